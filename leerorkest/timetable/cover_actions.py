"""Actions on absences, cover and cancellations: `report_absence`, `withdraw_absence`,
`confirm_cover`, `cancel_lesson` and `record_school_cancellation` each run in one transaction,
write the audit trail and send their e-mails once the transaction has committed."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import PROGRAMME_MANAGER_ROLES
from leerorkest.programme.models import Teacher
from leerorkest.schools.models import School

from . import dates
from .cover import (
    MAX_RANGE_DAYS,
    assess,
    clock_text,
    lesson_end,
    needs_cover,
    with_relations,
)
from .models import LessonDate, SchoolCancellation, TeacherAbsence

# --- Checks shared by the actions ---------------------------------------------------------------


def _check_range(starts_on: date, ends_on: date) -> None:
    if starts_on is None or ends_on is None:
        raise DomainError(_("Give the first and the last day."), field="starts_on")
    if ends_on < starts_on:
        raise DomainError(_("The last day cannot be before the first day."), field="ends_on")
    if (ends_on - starts_on).days >= MAX_RANGE_DAYS:
        raise DomainError(_("A period can be at most a year long."), field="ends_on")


def manages(user, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user,
        organisation_id=organisation_id,
        role__in=PROGRAMME_MANAGER_ROLES,
        organisation__is_active=True,
    ).exists()


def _may_act_for(teacher: Teacher, by) -> bool:
    return (teacher.user_id is not None and teacher.user_id == by.pk) or manages(
        by, teacher.organisation_id
    )


def _lock_lesson_date(lesson_date: LessonDate) -> LessonDate:
    LessonDate.objects.select_for_update().filter(pk=lesson_date.pk).first()
    found = with_relations(LessonDate.objects.filter(pk=lesson_date.pk)).first()
    if found is None:
        raise DomainError(_("This lesson no longer exists."))
    return found


# --- Absences -----------------------------------------------------------------------------------


@transaction.atomic
def report_absence(
    *,
    teacher: Teacher,
    starts_on: date,
    ends_on: date,
    reason: str,
    note: str = "",
    by,
) -> TeacherAbsence:
    """Record that `teacher` cannot teach from `starts_on` to `ends_on` (the teacher themselves or
    a coordinator of their programme). Their planned lessons in that period are marked as
    needing cover and the programme's coordinators are e-mailed. Lessons the teacher was to give
    as a substitute need cover again (`dates.release_cover`)."""
    if not _may_act_for(teacher, by):
        raise DomainError(_("You can only report your own absence."), code="not_allowed")
    _check_range(starts_on, ends_on)
    if reason not in TeacherAbsence.Reason.values:
        raise DomainError(_("Choose a reason."), field="reason")
    Teacher.objects.select_for_update().filter(pk=teacher.pk).first()
    overlapping = TeacherAbsence.objects.filter(
        teacher=teacher, withdrawn_at=None, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlapping is not None:
        raise DomainError(
            _("An absence from %(first)s to %(last)s is already reported for these days.")
            % {
                "first": formats.date_format(overlapping.starts_on, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(overlapping.ends_on, "SHORT_DATE_FORMAT"),
            },
            field="starts_on",
            code="overlap",
        )
    absence = TeacherAbsence.objects.create(
        teacher=teacher,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=(note or "").strip()[:200],
        reported_by=by,
    )
    linked = dates.link_absence(absence)
    released = dates.release_cover(absence)
    audit(
        actor=by,
        action="timetable.absence.report",
        obj=absence,
        organisation=teacher.organisation_id,
        lessons=linked,
        cover_released=len(released),
    )
    transaction.on_commit(lambda: _tell_coordinators_of_absence(absence.pk, released))
    return absence


@transaction.atomic
def withdraw_absence(*, absence: TeacherAbsence, by) -> int:
    """Withdraw a reported absence: its lessons nobody covers or cancelled yet are planned with
    the teacher again (covered and cancelled ones stay as decided). Returns how many."""
    absence = (
        TeacherAbsence.objects.select_for_update().select_related("teacher").get(pk=absence.pk)
    )
    if not _may_act_for(absence.teacher, by):
        raise DomainError(_("You can only withdraw your own absence."), code="not_allowed")
    if absence.withdrawn_at is not None:
        raise DomainError(_("This absence was withdrawn already."), code="withdrawn")
    absence.withdrawn_at = timezone.now()
    absence.save(update_fields=["withdrawn_at"])
    unlinked = LessonDate.objects.filter(
        absence=absence, status=LessonDate.Status.PLANNED, is_cover=False
    ).update(absence=None)
    audit(
        actor=by,
        action="timetable.absence.withdraw",
        obj=absence,
        organisation=absence.teacher.organisation_id,
        lessons=unlinked,
    )
    transaction.on_commit(lambda: _tell_coordinators_of_withdrawal(absence.pk, unlinked))
    return unlinked


# --- Cover and cancelling -----------------------------------------------------------------------


@transaction.atomic
def confirm_cover(*, lesson_date: LessonDate, substitute: Teacher, by) -> LessonDate:
    """`substitute` gives the lesson instead of the absent teacher; both are e-mailed.

    Refused when the lesson no longer needs cover, or the substitute belongs to another
    programme, is inactive, does not play the instrument (or conduct), is absent, or teaches
    at that time."""
    lesson_date = _lock_lesson_date(lesson_date)
    if not manages(by, lesson_date.organisation_id):
        raise DomainError(_("Only the programme's coordinators arrange cover."), code="not_allowed")
    if not needs_cover(lesson_date):
        raise DomainError(_("This lesson does not need cover any more."), code="no_cover_needed")
    # Two covers at once for one substitute: the second waits here and then sees the first.
    substitute = Teacher.objects.select_for_update().filter(pk=substitute.pk).first()
    if substitute is None or substitute.organisation_id != lesson_date.organisation_id:
        raise DomainError(_("Choose a teacher of this programme."), field="substitute")
    if not substitute.is_active:
        raise DomainError(
            _("%(name)s is no longer active.") % {"name": substitute.full_name},
            field="substitute",
        )
    if substitute.pk in (lesson_date.teacher_id, lesson_date.absence.teacher_id):
        raise DomainError(_("Choose another teacher than the absent one."), field="substitute")
    candidates = assess([lesson_date], Teacher.objects.filter(pk=substitute.pk))
    candidate = candidates[lesson_date.pk][0]
    if not candidate.can_cover:
        raise DomainError(candidate.refusal, field="substitute", code="not_suitable")
    absent = lesson_date.teacher
    lesson_date.teacher = substitute
    lesson_date.is_cover = True
    lesson_date.cover_confirmed_by = by
    lesson_date.save(update_fields=["teacher", "is_cover", "cover_confirmed_by"])
    audit(
        actor=by,
        action="timetable.cover.confirm",
        obj=lesson_date,
        organisation=lesson_date.organisation_id,
        absent=absent.pk,
        substitute=substitute.pk,
    )
    transaction.on_commit(lambda: _tell_about_cover(lesson_date.pk, absent.pk))
    return lesson_date


@transaction.atomic
def cancel_lesson(*, lesson_date: LessonDate, reason: str, by) -> LessonDate:
    """Cancel a lesson whose teacher is absent and that nobody covers (cancelled by the
    teacher's side, with the reason given)."""
    lesson_date = _lock_lesson_date(lesson_date)
    if not manages(by, lesson_date.organisation_id):
        raise DomainError(
            _("Only the programme's coordinators cancel lessons."), code="not_allowed"
        )
    if not needs_cover(lesson_date):
        raise DomainError(_("This lesson does not need cover any more."), code="no_cover_needed")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    lesson_date.status = LessonDate.Status.CANCELLED
    lesson_date.cancelled_by = LessonDate.CancelledBy.TEACHER
    lesson_date.cancel_reason = reason[:200]
    lesson_date.save(update_fields=["status", "cancelled_by", "cancel_reason"])
    audit(
        actor=by,
        action="timetable.lesson.cancel",
        obj=lesson_date,
        organisation=lesson_date.organisation_id,
    )
    return lesson_date


def may_record_for(user, school: School) -> bool:
    """A coordinator of the school's programme, or a contact of the school itself."""
    return (
        manages(user, school.organisation.parent_id)
        or Membership.objects.filter(
            user=user,
            organisation_id=school.organisation_id,
            role=Role.SCHOOL_CONTACT,
            organisation__is_active=True,
        ).exists()
    )


@transaction.atomic
def record_school_cancellation(
    *,
    school: School,
    starts_on: date,
    ends_on: date,
    reason: str,
    note: str = "",
    year_groups=(),
    by,
) -> tuple[SchoolCancellation, int]:
    """The school cancels music lessons on these days (only for `year_groups`, if given): the
    planned lessons are cancelled, given ones stay given, and their teachers are e-mailed.
    Returns the cancellation and how many lessons it cancelled."""
    if not may_record_for(by, school):
        raise DomainError(_("You cannot cancel lessons of this school."), code="not_allowed")
    _check_range(starts_on, ends_on)
    if reason not in SchoolCancellation.Reason.values:
        raise DomainError(_("Choose a reason."), field="reason")
    groups = sorted({int(g) for g in year_groups})
    if any(not 1 <= g <= 8 for g in groups):
        raise DomainError(_("Year groups run from 1 to 8."), field="year_groups")
    cancellation = SchoolCancellation.objects.create(
        school=school,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=(note or "").strip()[:200],
        year_groups=groups,
        recorded_by=by,
    )
    affected = list(
        dates.dates_of_cancellation(cancellation)
        .filter(status=LessonDate.Status.PLANNED)
        .values_list("pk", flat=True)
    )
    cancelled = dates.apply_school_cancellation(cancellation)
    audit(
        actor=by,
        action="timetable.school_cancellation.record",
        obj=cancellation,
        organisation=school.organisation.parent_id,
        lessons=cancelled,
    )
    transaction.on_commit(lambda: _tell_teachers_of_cancellation(cancellation.pk, affected))
    return cancellation, cancelled


# --- E-mail -------------------------------------------------------------------------------------


def teacher_address(teacher: Teacher) -> str:
    if teacher.email:
        return teacher.email
    return teacher.user.email if teacher.user_id and teacher.user.is_active else ""


def describe(lesson_date: LessonDate) -> str:
    """One line a teacher can act on: day, time, group, school and room."""
    planned = lesson_date.planned
    return _("%(day)s %(from)s–%(until)s: %(lesson)s at %(place)s") % {
        "day": formats.date_format(lesson_date.date, "l j F Y"),
        "from": clock_text(lesson_date.starts_at),
        "until": clock_text(lesson_end(lesson_date)),
        "lesson": planned.title,
        "place": planned.place,
    }


def _mail(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({r for r in recipients if r})
    if recipients:
        send_mail(subject, body, None, recipients, fail_silently=True)


def _coordinator_addresses(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id,
            role__in=PROGRAMME_MANAGER_ROLES,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def _period(absence: TeacherAbsence) -> dict:
    return {
        "name": absence.teacher.full_name,
        "first": formats.date_format(absence.starts_on, "j F"),
        "last": formats.date_format(absence.ends_on, "j F"),
    }


def _tell_coordinators_of_absence(absence_id: int, released: list[int]) -> None:
    absence = TeacherAbsence.objects.select_related("teacher__organisation").get(pk=absence_id)
    lessons = list(
        with_relations(LessonDate.objects.filter(Q(absence=absence) | Q(pk__in=released))).order_by(
            "date", "starts_at"
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Absence: %(name)s, %(first)s to %(last)s") % _period(absence)
        lines = [
            _("%(name)s cannot teach from %(first)s to %(last)s (%(reason)s).")
            % {
                "name": absence.teacher.full_name,
                "first": formats.date_format(absence.starts_on, "l j F Y"),
                "last": formats.date_format(absence.ends_on, "l j F Y"),
                "reason": absence.get_reason_display(),
            }
        ]
        if absence.note:
            lines.append(_("Note: %(note)s") % {"note": absence.note})
        lines.append("")
        if lessons:
            lines.append(_("These lessons need cover:"))
            lines += [f"- {describe(ld)}" for ld in lessons]
        else:
            lines.append(_("No planned lessons fall in this period."))
        lines += ["", settings.SITE_URL + reverse("timetable:cover")]
    _mail(subject, "\n".join(lines), _coordinator_addresses(absence.teacher.organisation_id))


def _tell_coordinators_of_withdrawal(absence_id: int, unlinked: int) -> None:
    absence = TeacherAbsence.objects.select_related("teacher").get(pk=absence_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Absence withdrawn: %(name)s, %(first)s to %(last)s") % _period(absence)
        body = ngettext(
            "%(name)s can teach after all. %(count)s lesson that nobody covered yet is "
            "planned with them again; covered and cancelled lessons stay as they are.",
            "%(name)s can teach after all. %(count)s lessons that nobody covered yet are "
            "planned with them again; covered and cancelled lessons stay as they are.",
            unlinked,
        ) % {"name": absence.teacher.full_name, "count": unlinked}
    _mail(subject, body, _coordinator_addresses(absence.teacher.organisation_id))


def _tell_about_cover(lesson_date_id: int, absent_id: int) -> None:
    lesson_date = with_relations(LessonDate.objects.filter(pk=lesson_date_id)).get()
    absent = Teacher.objects.select_related("user").get(pk=absent_id)
    substitute = Teacher.objects.select_related("user").get(pk=lesson_date.teacher_id)
    with translation.override(settings.LANGUAGE_CODE):
        line = describe(lesson_date)
        _mail(
            _("You cover a lesson on %(day)s")
            % {"day": formats.date_format(lesson_date.date, "l j F")},
            _(
                "Hello %(name)s,\n\nYou give this lesson instead of %(absent)s:\n%(lesson)s"
                "\n\nIt is in your week and your calendar feed."
            )
            % {"name": substitute.full_name, "absent": absent.full_name, "lesson": line},
            [teacher_address(substitute)],
        )
        _mail(
            _("Your lesson on %(day)s is covered")
            % {"day": formats.date_format(lesson_date.date, "l j F")},
            _("Hello %(name)s,\n\n%(substitute)s gives this lesson instead of you:\n%(lesson)s")
            % {"name": absent.full_name, "substitute": substitute.full_name, "lesson": line},
            [teacher_address(absent)],
        )


def _tell_teachers_of_cancellation(cancellation_id: int, lesson_date_ids: list[int]) -> None:
    cancellation = SchoolCancellation.objects.select_related("school__organisation").get(
        pk=cancellation_id
    )
    by_teacher: dict[int, list[LessonDate]] = defaultdict(list)
    rows = with_relations(
        LessonDate.objects.filter(
            pk__in=lesson_date_ids,
            school_cancellation=cancellation,
            status=LessonDate.Status.CANCELLED,
        )
    ).select_related("teacher__user")
    for lesson_date in rows.order_by("date", "starts_at"):
        by_teacher[lesson_date.teacher_id].append(lesson_date)
    with translation.override(settings.LANGUAGE_CODE):
        reason = cancellation.get_reason_display()
        if cancellation.note:
            reason += f": {cancellation.note}"
        for lessons in by_teacher.values():
            teacher = lessons[0].teacher
            _mail(
                _("Lessons cancelled at %(school)s") % {"school": cancellation.school},
                _(
                    "Hello %(name)s,\n\n%(school)s cancels these lessons (%(reason)s):\n"
                    "%(lessons)s\n\nYou do not need to come."
                )
                % {
                    "name": teacher.full_name,
                    "school": cancellation.school,
                    "reason": reason,
                    "lessons": "\n".join(f"- {describe(ld)}" for ld in lessons),
                },
                [teacher_address(teacher)],
            )
