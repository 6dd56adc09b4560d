"""Changes to timetables: create, copy, move, lock, publish. Each runs in one transaction.

Solving in the background is in `solving`.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.models import Ensemble, LessonGroup, Sectional
from leerorkest.schools.models import Room

from . import dates, export, validator
from .instance import Instance, Solution
from .models import PlannedLesson, Timetable

PROGRESS_EVERY_SECONDS = 2.0


def _titles(programme, year) -> dict[str, dict]:
    """Instance key -> the fields of its PlannedLesson row besides the placement."""
    titles = {}
    for group in LessonGroup.objects.filter(
        school_year=year, school__organisation__parent=programme
    ):
        titles[f"g{group.pk}"] = {
            "kind": PlannedLesson.Kind.LESSON,
            "lesson_group_id": group.pk,
            "school_id": group.school_id,
            "title": group.name,
        }
    for ensemble in Ensemble.objects.filter(organisation=programme, school_year=year):
        kind = (
            PlannedLesson.Kind.ORCHESTRA if ensemble.school_id else PlannedLesson.Kind.NEIGHBOURHOOD
        )
        titles[f"e{ensemble.pk}"] = {
            "kind": kind,
            "ensemble_id": ensemble.pk,
            "school_id": ensemble.school_id,
            "venue": "" if ensemble.school_id else (ensemble.venue or ensemble.name),
            "title": ensemble.name,
        }
    for sectional in Sectional.objects.filter(
        ensemble__organisation=programme, ensemble__school_year=year
    ).select_related("ensemble"):
        titles[f"x{sectional.pk}"] = {
            "kind": PlannedLesson.Kind.SECTIONAL,
            "ensemble_id": sectional.ensemble_id,
            "sectional_id": sectional.pk,
            "school_id": sectional.ensemble.school_id,
            "title": f"{sectional.ensemble.name}: {sectional.name}"[:160],
        }
    return titles


def published_timetable(programme, year) -> Timetable | None:
    return Timetable.objects.filter(
        organisation=programme, school_year=year, status=Timetable.Status.PUBLISHED
    ).first()


@transaction.atomic
def create_timetable(*, programme, year, by, time_limit: int = 60, name: str = "") -> Timetable:
    """A new draft from the current data, re-planning the published timetable if there is one."""
    if not 5 <= time_limit <= 900:
        raise DomainError(_("Give a planning time between 5 and 900 seconds."))
    current = published_timetable(programme, year)
    published = export.assignments_of(current) if current else []
    inst = export.build_instance(programme, year, published=published)
    if not inst.lessons:
        raise DomainError(
            _("There is nothing to plan: no lesson groups or orchestras with pupils this year.")
        )
    number = Timetable.objects.filter(organisation=programme, school_year=year).count() + 1
    timetable = Timetable.objects.create(
        organisation=programme,
        school_year=year,
        name=name or _("Timetable %(year)s, version %(number)s") % {"year": year, "number": number},
        based_on=current,
        created_by=by,
        time_limit=time_limit,
        instance=inst.to_json(),
    )
    create_rows(timetable, inst)
    if current:
        # Start from the published week (without the lessons of teachers who left): a re-plan
        # that changes nothing is a valid answer.
        apply_solution(timetable, Solution(inst.published))
    audit(
        actor=by,
        action="timetable.create",
        obj=timetable,
        organisation=timetable.organisation_id,
        lessons=len(inst.lessons),
    )
    return timetable


def create_rows(timetable: Timetable, inst: Instance) -> None:
    titles = _titles(timetable.organisation, timetable.school_year)
    rows = []
    for lesson in inst.lessons:
        rows.append(
            PlannedLesson(
                timetable=timetable,
                key=lesson.id,
                **titles[lesson.id],
                minutes=lesson.duration,
                locked=any(a.lesson == lesson.id for a in inst.locked),
            )
        )
    PlannedLesson.objects.bulk_create(rows)


def apply_solution(timetable: Timetable, solution: Solution) -> None:
    """Write a solution into the timetable's rows (unplaced lessons become empty)."""
    by_key = {a.lesson: a for a in solution.assignments}
    rows = list(PlannedLesson.objects.filter(timetable=timetable))
    for row in rows:
        a = by_key.get(row.key)
        if a is None:
            row.teacher_id = row.room_id = row.weekday = row.starts_at = None
            continue
        row.teacher_id = int(a.teacher[1:])
        row.room_id = int(a.room[1:]) if a.room.startswith("r") else None
        row.weekday = export.DAYS.index(a.day)
        row.starts_at = export.clock(a.start)
    PlannedLesson.objects.bulk_update(rows, ["teacher", "room", "weekday", "starts_at"])


def instance_of(timetable: Timetable) -> Instance:
    return Instance.from_json(timetable.instance)


def solution_of(timetable: Timetable) -> Solution:
    return Solution(tuple(export.assignments_of(timetable)))


def check(timetable: Timetable) -> validator.Report:
    return validator.check(instance_of(timetable), solution_of(timetable))


def store_report(timetable: Timetable) -> validator.Report:
    report = check(timetable)
    timetable.result = {**timetable.result, "report": report.to_dict()}
    Timetable.objects.filter(pk=timetable.pk).update(result=timetable.result)
    return report


@transaction.atomic
def copy_timetable(source: Timetable, *, by) -> Timetable:
    """A new version with the same lessons, places and locks, to change by hand or re-plan."""
    programme, year = source.organisation, source.school_year
    current = published_timetable(programme, year)
    inst = export.build_instance(
        programme,
        year,
        locked=export.assignments_of(source, only_locked=True),
        published=export.assignments_of(current) if current else [],
    )
    number = Timetable.objects.filter(organisation=programme, school_year=year).count() + 1
    copy = Timetable.objects.create(
        organisation=programme,
        school_year=year,
        name=_("Timetable %(year)s, version %(number)s") % {"year": year, "number": number},
        status=Timetable.Status.READY,
        based_on=current,
        created_by=by,
        time_limit=source.time_limit,
        instance=inst.to_json(),
    )
    create_rows(copy, inst)
    apply_solution(copy, solution_of(source))
    locked = set(
        PlannedLesson.objects.filter(timetable=source, locked=True).values_list("key", flat=True)
    )
    PlannedLesson.objects.filter(timetable=copy, key__in=locked).update(locked=True)
    store_report(copy)
    audit(actor=by, action="timetable.copy", obj=copy, source=source.pk)
    return copy


# --- Editing -----------------------------------------------------------------------------


def _editable(timetable: Timetable) -> None:
    if not timetable.is_editable:
        raise DomainError(
            _("This timetable can no longer be changed; make a new version to re-plan.")
        )


@transaction.atomic
def move_lesson(lesson: PlannedLesson, *, by, weekday: int, starts_at, teacher=None, room=None):
    """Put a lesson elsewhere by hand; it is locked so a re-solve keeps it. Returns the new
    hard violations the move causes (empty when it breaks no rule)."""
    timetable = Timetable.objects.select_for_update().get(pk=lesson.timetable_id)
    _editable(timetable)
    before = check(timetable).hard
    if teacher is not None and teacher.organisation_id != timetable.organisation_id:
        raise DomainError(_("Choose a teacher of the programme."))
    if room is not None and room.school_id != lesson.school_id:
        raise DomainError(_("Choose a room of the lesson's school."))
    if lesson.kind == PlannedLesson.Kind.NEIGHBOURHOOD:
        raise DomainError(_("A neighbourhood orchestra keeps its own day and time."))
    lesson.weekday = weekday
    lesson.starts_at = starts_at
    if teacher is not None:
        lesson.teacher = teacher
    if room is not None:
        lesson.room = room
    elif lesson.room_id is None and lesson.school_id:
        lesson.room = Room.objects.filter(school_id=lesson.school_id, is_active=True).first()
    lesson.locked = True
    lesson.save()
    report = store_report(timetable)
    audit(
        actor=by,
        action="timetable.move",
        obj=timetable,
        organisation=timetable.organisation_id,
        lesson=lesson.key,
        day=weekday,
        start=str(starts_at),
    )
    new = [
        message
        for kind, messages in report.examples.items()
        for message in messages
        if report.hard.get(kind, 0) > before.get(kind, 0)
    ]
    # The problems naming the moved lesson first; otherwise whatever the move broke.
    return [message for message in new if lesson.key in message] or new


@transaction.atomic
def set_locked(lesson: PlannedLesson, *, by, locked: bool) -> None:
    timetable = Timetable.objects.select_for_update().get(pk=lesson.timetable_id)
    _editable(timetable)
    if not lesson.is_placed:
        raise DomainError(_("Only a planned lesson can be locked."))
    lesson.locked = locked
    lesson.save(update_fields=["locked"])


# --- Comparing and publishing ------------------------------------------------------------


def diff(timetable: Timetable, other: Timetable | None) -> list[dict]:
    """What changes for each lesson from `other` (the published timetable) to `timetable`."""
    if other is None:
        return []
    fields = ("teacher_id", "room_id", "weekday", "starts_at")
    old = {
        row.key: row
        for row in PlannedLesson.objects.filter(timetable=other).select_related(
            "teacher", "room", "school__organisation"
        )
    }
    changes = []
    for row in PlannedLesson.objects.filter(timetable=timetable).select_related(
        "teacher", "room", "school__organisation"
    ):
        before = old.pop(row.key, None)
        if before is None:
            changes.append({"kind": "new", "lesson": row, "before": None})
        elif any(getattr(before, f) != getattr(row, f) for f in fields):
            changed = [
                f.removesuffix("_id") for f in fields if getattr(before, f) != getattr(row, f)
            ]
            changes.append({"kind": "changed", "lesson": row, "before": before, "fields": changed})
    for row in old.values():
        changes.append({"kind": "removed", "lesson": None, "before": row})
    return changes


@transaction.atomic
def publish(timetable: Timetable, *, by, since: date | None = None, notify: bool = True) -> int:
    """Publish: the previous timetable is replaced from `since` (today) on, dated lessons are
    made for the rest of the school year and every teacher whose week changed is told."""
    timetable = Timetable.objects.select_for_update().get(pk=timetable.pk)
    if timetable.status != Timetable.Status.READY:
        raise DomainError(_("Only a planned timetable can be published."))
    report = check(timetable)
    if report.hard_total:
        raise DomainError(
            _(
                "The timetable breaks %(count)s hard rules; solve them (or re-plan) before "
                "publishing."
            )
            % {"count": report.hard_total}
        )
    since = since or timezone.localdate()
    current = published_timetable(timetable.organisation, timetable.school_year)
    changes = diff(timetable, current)
    if current:
        dates.retire(current, since)
        current.status = Timetable.Status.SUPERSEDED
        current.save(update_fields=["status"])
    timetable.status = Timetable.Status.PUBLISHED
    timetable.published_at = timezone.now()
    timetable.published_by = by
    timetable.save()
    created = dates.materialise(timetable, since)
    audit(
        actor=by,
        action="timetable.publish",
        obj=timetable,
        organisation=timetable.organisation_id,
        dates=created,
        changes=len(changes),
    )
    if current is None:
        teachers = {row.teacher for row in timetable.lessons.exclude(teacher=None)}
    else:
        teachers = set()
        for change in changes:
            for row in (change["lesson"], change["before"]):
                if row is not None and row.teacher is not None:
                    teachers.add(row.teacher)
    if notify:
        transaction.on_commit(lambda: _tell_teachers(timetable, teachers))
    return created


def _tell_teachers(timetable: Timetable, teachers) -> None:
    from django.urls import reverse

    url = settings.SITE_URL.rstrip("/") + reverse("timetable:my_week")
    for teacher in teachers:
        if not teacher.email:
            continue
        send_mail(
            subject=_("Your timetable has changed"),
            message=_(
                "Hello %(name)s,\n\nThe timetable of %(programme)s has been published. "
                "See your week at %(url)s; your calendar feed follows by itself."
            )
            % {"name": teacher.full_name, "programme": timetable.organisation.name, "url": url},
            from_email=None,
            recipient_list=[teacher.email],
            fail_silently=True,
        )
