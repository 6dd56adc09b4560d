"""Registers: who was at a dated lesson, marked by its teacher with one tap per child.

The register of a `LessonDate` lists the lesson group's current members (for an orchestra: its
playing members) plus every pupil who already has a mark on that date. A child never disappears
from a register because they left the group or the programme, or joined later: such pupils are
listed with a note. The first mark takes the register (`register_taken_at` / `_by`) and records
the lesson as given.

Access: the teacher who gives the lesson (`LessonDate.teacher`, a substitute included) and the
coordinators of its programme; everyone else gets a 404 (`get_lesson_date_for_user`).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.access_programme import managed_programmes, teaching_programmes
from leerorkest.programme.models import EnsembleMember, LessonGroupMember
from leerorkest.schools.models import ClassPlacement, Pupil

from .models import AttendanceMark, LessonDate, PlannedLesson

Status = AttendanceMark.Status


# --- Access -------------------------------------------------------------------------------------


def lesson_dates_for_user(user) -> QuerySet[LessonDate]:
    """Dated lessons whose register the user may open: the ones they give (as the planned
    teacher or as a substitute) and every lesson of a programme they manage."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return LessonDate.objects.none()
    return LessonDate.objects.filter(
        Q(teacher__user=user, organisation__in=teaching_programmes(user))
        | Q(organisation__in=managed_programmes(user))
    )


def get_lesson_date_for_user(user, pk) -> LessonDate:
    try:
        return (
            lesson_dates_for_user(user)
            .select_related(
                "organisation",
                "planned__timetable__school_year",
                "planned__school__organisation",
                "planned__room",
                "planned__teacher",
                "planned__lesson_group",
                "planned__ensemble",
                "planned__sectional",
                "teacher",
                "register_taken_by",
            )
            .get(pk=pk)
        )
    except (LessonDate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Who is on a register -----------------------------------------------------------------------


@dataclass
class RegisterPupil:
    """One line of a register: the child, their class and mark, and why they might not be
    expected (left the group or the programme, joined later)."""

    pupil: Pupil
    class_name: str = ""
    mark: AttendanceMark | None = None
    member: bool = True
    joined_on: date | None = None
    notes: list[str] = field(default_factory=list)
    expected: bool = True  # "Everyone present" marks the expected pupils without a mark

    @property
    def pk(self) -> int:
        return self.pupil.pk

    @property
    def organisation_id(self) -> int:
        return self.pupil.organisation_id

    @property
    def name(self) -> str:
        # Erased pupils carry their pseudonym ("Leerling 8F3A2C") in the name fields.
        return self.pupil.full_name

    @property
    def status(self) -> str:
        return self.mark.status if self.mark else ""


def _short(day: date) -> str:
    return date_format(day, "j F Y")


def register_pupils(lesson_date: LessonDate) -> list[RegisterPupil]:
    """The register's pupils: current members first, then pupils marked on this date who are
    no longer in the group; each part by surname."""
    planned = lesson_date.planned
    marks = {
        m.pupil_id: m
        for m in AttendanceMark.objects.filter(lesson_date=lesson_date).select_related("marked_by")
    }
    joined: dict[int, date | None] = {}
    if planned.lesson_group_id:
        members = set(
            LessonGroupMember.objects.filter(group_id=planned.lesson_group_id).values_list(
                "pupil_id", flat=True
            )
        )
        left_group_note = _("No longer in this lesson group")
    elif planned.kind == PlannedLesson.Kind.SECTIONAL and not planned.sectional_id:
        members = set()  # the sectional was removed: its register keeps who was marked
        left_group_note = _("No longer in this orchestra")
    elif planned.ensemble_id:
        players = (
            planned.sectional.players()
            if planned.sectional_id
            else EnsembleMember.objects.filter(
                ensemble_id=planned.ensemble_id, status=EnsembleMember.Status.ACTIVE
            )
        )
        joined = {
            pupil_id: timezone.localdate(since)
            for pupil_id, since in players.values_list("pupil_id", "since")
        }
        members = set(joined)
        left_group_note = _("No longer in this orchestra")
    else:
        members = set()
        left_group_note = ""
    ids = members | set(marks)
    pupils = Pupil.objects.filter(pk__in=ids)
    year_id = planned.timetable.school_year_id
    classes = dict(
        ClassPlacement.objects.filter(pupil_id__in=ids, school_year_id=year_id).values_list(
            "pupil_id", "school_class__name"
        )
    )
    rows = []
    for pupil in pupils:
        member = pupil.pk in members
        row = RegisterPupil(
            pupil=pupil,
            class_name=classes.get(pupil.pk, ""),
            mark=marks.get(pupil.pk),
            member=member,
            joined_on=joined.get(pupil.pk),
        )
        if not member:
            row.notes.append(left_group_note)
            row.expected = False
        if pupil.left_on is not None:
            row.notes.append(_("Left the programme on %(date)s") % {"date": _short(pupil.left_on)})
            if pupil.left_on <= lesson_date.date:
                row.expected = False
        if row.joined_on is not None and row.joined_on > lesson_date.date:
            # Said, not acted on: the date is when the membership was recorded.
            row.notes.append(_("Joined on %(date)s") % {"date": _short(row.joined_on)})
        if pupil.pseudonymised_at is not None:
            row.expected = False
        rows.append(row)
    rows.sort(key=lambda r: (not r.member, r.pupil.surname.lower(), r.pupil.given_name.lower()))
    return rows


@dataclass
class Counts:
    present: int = 0
    absent: int = 0
    late: int = 0
    excused: int = 0
    unmarked: int = 0

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.late + self.excused


def count(rows: list[RegisterPupil]) -> Counts:
    counts = Counts()
    for row in rows:
        if row.mark:
            setattr(counts, row.mark.status, getattr(counts, row.mark.status) + 1)
        elif row.expected:
            counts.unmarked += 1
    return counts


# --- Marking ------------------------------------------------------------------------------------


def refusal(lesson_date: LessonDate, today: date | None = None) -> str:
    """Why this lesson cannot have marks (now), or an empty string."""
    today = today or timezone.localdate()
    if lesson_date.status == LessonDate.Status.CANCELLED:
        if lesson_date.cancel_reason:
            return _("This lesson was cancelled (%(reason)s), so it has no register.") % {
                "reason": lesson_date.cancel_reason
            }
        return _("This lesson was cancelled, so it has no register.")
    if lesson_date.date > today:
        return _("This lesson is on %(date)s; its register opens on that day.") % {
            "date": _short(lesson_date.date)
        }
    return ""


def _lock(lesson_date: LessonDate) -> LessonDate:
    """The lesson date, locked for this transaction and checked for marks."""
    locked = LessonDate.objects.select_for_update().get(pk=lesson_date.pk)
    reason = refusal(locked)
    if reason:
        raise DomainError(reason, code="no_register")
    return locked


def _take(locked: LessonDate, by) -> None:
    """The first mark takes the register; any mark records the lesson as given."""
    fields = []
    if locked.register_taken_at is None:
        locked.register_taken_at = timezone.now()
        locked.register_taken_by = by
        fields += ["register_taken_at", "register_taken_by"]
        audit(actor=by, action="timetable.register_taken", obj=locked)
    if locked.status != LessonDate.Status.GIVEN:
        locked.status = LessonDate.Status.GIVEN
        fields.append("status")
    if fields:
        locked.save(update_fields=fields)


def _refresh(lesson_date: LessonDate, locked: LessonDate) -> None:
    lesson_date.status = locked.status
    lesson_date.register_taken_at = locked.register_taken_at
    lesson_date.register_taken_by = locked.register_taken_by


@transaction.atomic
def mark(lesson_date: LessonDate, pupil: Pupil, status: str, by) -> AttendanceMark:
    """Mark one pupil present, absent, late or excused; a second mark replaces the first."""
    if status not in Status.values:
        raise DomainError(_("Choose present, absent, late or excused."), field="status")
    locked = _lock(lesson_date)
    if pupil.pk not in {row.pk for row in register_pupils(locked)}:
        raise DomainError(_("This pupil is not on this lesson's register."), code="not_listed")
    existing = AttendanceMark.objects.filter(lesson_date=locked, pupil=pupil).first()
    if existing is None:
        result = AttendanceMark.objects.create(
            lesson_date=locked, pupil=pupil, status=status, marked_by=by
        )
    else:
        if existing.status != status:
            # A correction: the trail keeps who changed a mark (ids only, no names).
            audit(actor=by, action="timetable.mark_changed", obj=locked, pupil_ids=[pupil.pk])
        existing.status = status
        existing.marked_by = by
        existing.marked_at = timezone.now()
        existing.save(update_fields=["status", "marked_by", "marked_at"])
        result = existing
    _take(locked, by)
    _refresh(lesson_date, locked)
    return result


@transaction.atomic
def mark_all_present(lesson_date: LessonDate, by) -> int:
    """Mark present every expected pupil who has no mark yet; returns how many were marked.
    Pupils who left the group or the programme, or were erased, are left for the teacher."""
    locked = _lock(lesson_date)
    rest = [row.pupil for row in register_pupils(locked) if row.mark is None and row.expected]
    if rest:
        AttendanceMark.objects.bulk_create(
            [
                AttendanceMark(lesson_date=locked, pupil=pupil, status=Status.PRESENT, marked_by=by)
                for pupil in rest
            ]
        )
        _take(locked, by)
    _refresh(lesson_date, locked)
    return len(rest)
