"""Lesson-group workflows: forming groups from the assignment, teachers, moving pupils.

Each action runs in one transaction and writes the audit log; refusals are `DomainError`s.
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.choice.actions import Scope
from leerorkest.programme.choice.grouping import (
    TeacherLoad,
    fill_existing,
    group_label,
    group_name,
    pick_teacher,
    split_sizes,
)
from leerorkest.programme.models import (
    InstrumentChoice,
    InstrumentType,
    LessonGroup,
    LessonGroupMember,
    Teacher,
)
from leerorkest.schools.models import ClassPlacement


def _add_members(rows: list[LessonGroupMember]) -> None:
    """Insert members; the database keeps one lesson group per pupil per school year."""
    try:
        with transaction.atomic():
            LessonGroupMember.objects.bulk_create(rows)
    except IntegrityError:
        raise DomainError(
            _("A pupil is already in another lesson group this school year."), code="conflict"
        ) from None


def teacher_loads(programme, school_year, school) -> dict[int, TeacherLoad]:
    """Every active teacher of the programme with their lesson groups this school year."""
    teachers = Teacher.objects.filter(organisation=programme, is_active=True).annotate(
        groups=Count("lesson_groups", filter=Q(lesson_groups__school_year=school_year)),
        here=Count(
            "lesson_groups",
            filter=Q(lesson_groups__school_year=school_year, lesson_groups__school=school),
        ),
    )
    return {
        t.pk: TeacherLoad(id=t.pk, name=t.full_name, at_school=t.here > 0, groups=t.groups)
        for t in teachers
    }


def teachers_by_instrument(programme) -> dict[int, list[int]]:
    through = Teacher.instruments.through.objects.filter(
        teacher__organisation=programme, teacher__is_active=True
    )
    found: dict[int, list[int]] = defaultdict(list)
    for teacher_id, instrument_id in through.values_list("teacher_id", "instrumenttype_id"):
        found[instrument_id].append(teacher_id)
    return found


@transaction.atomic
def form_lesson_groups(*, scope: Scope, by) -> dict[str, int]:
    """Put the year group's assigned pupils into lesson groups of their instrument.

    Guarantees: existing groups stay; only pupils without a group (or in a group of another
    instrument than now assigned, who are taken out first) are placed, first into free places
    of existing groups, then into new groups no larger than the instrument's lesson-group size
    and as even as possible. New groups get unique names per school and year ("Viool 5A-1")
    and, like existing groups without one, a teacher of the programme who teaches the
    instrument: one already teaching at the school first, then the least loaded.
    """
    programme = scope.programme
    placements = {p.pupil_id: p for p in scope.placements()}
    assigned = dict(
        InstrumentChoice.objects.filter(
            school_year=scope.school_year, pupil_id__in=placements, assigned__isnull=False
        ).values_list("pupil_id", "assigned_id")
    )
    members = {
        m.pupil_id: m
        for m in LessonGroupMember.objects.filter(
            school_year=scope.school_year, pupil_id__in=assigned
        ).select_related("group")
    }
    moved = [m for pid, m in members.items() if m.group.instrument_id != assigned[pid]]
    LessonGroupMember.objects.filter(pk__in=[m.pk for m in moved]).delete()
    placed = {pid for pid, m in members.items() if m not in moved}
    newcomers: dict[int, list[int]] = defaultdict(list)
    for pupil_id, instrument_id in assigned.items():
        if pupil_id not in placed:
            newcomers[instrument_id].append(pupil_id)

    groups = list(
        LessonGroup.objects.filter(
            school=scope.school, school_year=scope.school_year, year_group=scope.year_group
        )
        .annotate(size=Count("members"))
        .order_by("name", "pk")
    )
    by_instrument: dict[int, list[LessonGroup]] = defaultdict(list)
    for group in groups:
        by_instrument[group.instrument_id].append(group)
    taken = set(
        LessonGroup.objects.filter(school=scope.school, school_year=scope.school_year).values_list(
            "name", flat=True
        )
    )
    loads = teacher_loads(programme, scope.school_year, scope.school)
    teaching = teachers_by_instrument(programme)
    instruments = InstrumentType.objects.in_bulk(set(newcomers) | set(by_instrument))

    def teacher_for(instrument_id: int) -> int | None:
        chosen = pick_teacher([loads[t] for t in teaching.get(instrument_id, []) if t in loads])
        if chosen is None:
            return None
        chosen.groups += 1
        chosen.at_school = True
        return chosen.id

    new_members: list[LessonGroupMember] = []
    created = without_teacher = 0
    for instrument_id in sorted(instruments, key=lambda pk: instruments[pk].sort_order):
        instrument = instruments[instrument_id]
        existing = by_instrument.get(instrument_id, [])
        for group in existing:
            if group.teacher_id is None:
                group.teacher_id = teacher_for(instrument_id)
                if group.teacher_id is not None:
                    group.save(update_fields=["teacher"])
        children = sorted(
            newcomers.get(instrument_id, []),
            key=lambda pid: (
                placements[pid].school_class.name,
                placements[pid].pupil.surname,
                placements[pid].pupil.given_name,
                pid,
            ),
        )
        if not children:
            continue
        takes, left = fill_existing(
            [g.size for g in existing], [g.max_size for g in existing], len(children)
        )
        queue = iter(children)
        for group, count in zip(existing, takes, strict=True):
            new_members += [
                LessonGroupMember(group=group, pupil_id=next(queue), school_year=scope.school_year)
                for _n in range(count)
            ]
        rest = list(queue)
        start = 0
        for size in split_sizes(left, instrument.lesson_group_size):
            chunk = rest[start : start + size]
            start += size
            label = group_label(
                {placements[pid].school_class.name for pid in chunk}, scope.year_group
            )
            group = LessonGroup.objects.create(
                organisation=programme,
                school=scope.school,
                school_year=scope.school_year,
                year_group=scope.year_group,
                instrument=instrument,
                name=group_name(instrument.name_nl, label, taken),
                teacher_id=teacher_for(instrument_id),
                max_size=instrument.lesson_group_size,
            )
            created += 1
            without_teacher += group.teacher_id is None
            new_members += [
                LessonGroupMember(group=group, pupil_id=pid, school_year=scope.school_year)
                for pid in chunk
            ]
    _add_members(new_members)
    summary = {
        "created": created,
        "placed": len(new_members),
        "moved": len(moved),
        "without_teacher": without_teacher,
        "unassigned": len(placements) - len(assigned),
    }
    audit(
        actor=by,
        action="lesson_groups.form",
        obj=scope.school,
        organisation=programme,
        school_year=str(scope.school_year),
        year_group=scope.year_group,
        pupil_ids=sorted(m.pupil_id for m in new_members),
        **summary,
    )
    return summary


def teacher_choices(group: LessonGroup):
    """Teachers who may take over the group: active, of its programme, teaching its instrument."""
    return Teacher.objects.filter(
        organisation_id=group.organisation_id, is_active=True, instruments=group.instrument_id
    ).order_by("full_name", "pk")


@transaction.atomic
def change_teacher(*, group: LessonGroup, teacher: Teacher | None, by) -> None:
    """Give the group another teacher (or none); only a teacher of the group's instrument."""
    if teacher is not None and not teacher_choices(group).filter(pk=teacher.pk).exists():
        raise DomainError(
            _("This teacher does not teach this instrument for the programme."), field="teacher"
        )
    previous = group.teacher_id
    group.teacher = teacher
    group.save(update_fields=["teacher"])
    audit(
        actor=by,
        action="lesson_group.change_teacher",
        obj=group,
        previous_teacher_id=previous,
        teacher_id=teacher.pk if teacher else None,
    )


def sibling_groups(group: LessonGroup):
    """Groups a pupil of `group` may move to: same school, year, year group and instrument."""
    return (
        LessonGroup.objects.filter(
            school_id=group.school_id,
            school_year_id=group.school_year_id,
            year_group=group.year_group,
            instrument_id=group.instrument_id,
        )
        .exclude(pk=group.pk)
        .annotate(size=Count("members"))
        .order_by("name", "pk")
    )


def _lock_with_room(group: LessonGroup) -> None:
    """Lock the group's row (so two moves cannot both take its last place) and refuse if full."""
    LessonGroup.objects.select_for_update().filter(pk=group.pk).first()
    if group.members.count() >= group.max_size:
        raise DomainError(
            _("%(group)s is full (%(size)s pupils).") % {"group": group, "size": group.max_size},
            code="full",
            field="to_group",
        )


@transaction.atomic
def move_pupil(*, group: LessonGroup, pupil_id: int, to_group: LessonGroup, by) -> None:
    """Move a pupil to another group of the same instrument and year group, if it has room."""
    member = LessonGroupMember.objects.filter(group=group, pupil_id=pupil_id).first()
    if member is None:
        raise DomainError(_("This pupil is not in this lesson group."), field="pupil")
    if to_group.pk == group.pk or not sibling_groups(group).filter(pk=to_group.pk).exists():
        raise DomainError(
            _("A pupil can only move to another group of the same instrument and year group."),
            field="to_group",
        )
    _lock_with_room(to_group)
    member.group = to_group
    member.save()
    audit(
        actor=by,
        action="lesson_group.move_pupil",
        obj=group,
        pupil_id=pupil_id,
        to_group_id=to_group.pk,
    )


@transaction.atomic
def remove_pupil(*, group: LessonGroup, pupil_id: int, by) -> None:
    """Take a pupil out of the group (the instrument assignment stays)."""
    deleted, _rows = LessonGroupMember.objects.filter(group=group, pupil_id=pupil_id).delete()
    if not deleted:
        raise DomainError(_("This pupil is not in this lesson group."), field="pupil")
    audit(actor=by, action="lesson_group.remove_pupil", obj=group, pupil_id=pupil_id)


def addable_pupils(group: LessonGroup):
    """Pupils of the group's school and year group without a lesson group this school year."""
    grouped = LessonGroupMember.objects.filter(school_year_id=group.school_year_id).values(
        "pupil_id"
    )
    return (
        ClassPlacement.objects.filter(
            school_class__school_id=group.school_id,
            school_class__school_year_id=group.school_year_id,
            school_class__year_group=group.year_group,
            pupil__pseudonymised_at__isnull=True,
        )
        .exclude(pupil_id__in=grouped)
        .select_related("pupil", "school_class")
        .order_by("pupil__surname", "pupil__given_name", "pupil_id")
    )


@transaction.atomic
def add_pupil(*, group: LessonGroup, pupil_id: int, by) -> None:
    """Put a pupil of the group's school and year group into the group, if it has room.

    A pupil already in a lesson group this school year is refused (the database's rule).
    """
    placed = ClassPlacement.objects.filter(
        pupil_id=pupil_id,
        school_class__school_id=group.school_id,
        school_class__school_year_id=group.school_year_id,
        school_class__year_group=group.year_group,
    ).exists()
    if not placed:
        raise DomainError(_("This pupil is not in the group's year group."), field="pupil")
    _lock_with_room(group)
    _add_members(
        [LessonGroupMember(group=group, pupil_id=pupil_id, school_year_id=group.school_year_id)]
    )
    audit(actor=by, action="lesson_group.add_pupil", obj=group, pupil_id=pupil_id)
