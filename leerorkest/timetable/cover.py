"""Absences, cover and cancellations of dated lessons.

`rank_substitutes` says who could stand in for an absent teacher and in which order: only
teachers who play the instrument (or conduct, for an orchestra), are not absent and are not
teaching elsewhere at that time; those available that weekday first, then those who can be there
on time and within their working-hour limits, then the shortest ride from where they are just
before, then the fewest hours that week. It reads the database but changes nothing; `rank_many`
does the same for many lessons in a fixed number of queries (the cover page).

The actions (`report_absence`, `withdraw_absence`, `confirm_cover`, `cancel_lesson`,
`record_school_cancellation`) each run in one transaction, write the audit trail and send their
e-mails once the transaction has committed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

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
from leerorkest.programme.models import Ensemble, Teacher
from leerorkest.schools.models import School

from . import dates
from . import instance as model
from .models import LessonDate, PlannedLesson, SchoolCancellation, TeacherAbsence, TravelOverride

MAX_RANGE_DAYS = 366
# Someone without a lesson before (coming from home) or between schools without a known
# location is ranked as if the ride took this long: a ride across town.
ASSUMED_TRAVEL_MINUTES = 20
ORCHESTRA_KINDS = (PlannedLesson.Kind.ORCHESTRA, PlannedLesson.Kind.NEIGHBOURHOOD)


# --- Ranking substitutes ------------------------------------------------------------------------


@dataclass
class Candidate:
    """One teacher considered for one lesson; `refusal` says why they cannot cover it."""

    teacher: Teacher
    refusal: str = ""
    available: bool = False
    window: tuple[time, time] | None = None
    travel_minutes: int | None = None
    travel_from: str = ""
    late_minutes: int = 0
    day_minutes: int = 0
    week_minutes: int = 0
    over_limit: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def can_cover(self) -> bool:
        return not self.refusal

    @property
    def week_hours(self) -> float:
        return round(self.week_minutes / 60, 1)

    @property
    def sort_key(self) -> tuple:
        travel = ASSUMED_TRAVEL_MINUTES if self.travel_minutes is None else self.travel_minutes
        return (
            not self.available,
            self.late_minutes > 0,
            self.over_limit,
            travel,
            self.week_minutes,
            self.teacher.full_name.lower(),
            self.teacher.pk,
        )


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


def _clock(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _ends_at(lesson_date: LessonDate) -> time:
    start = datetime.combine(lesson_date.date, lesson_date.starts_at)
    return (start + timedelta(minutes=lesson_date.minutes)).time()


def _person(teacher: Teacher) -> tuple[str, int]:
    """One person may have a teacher profile in two programmes: their lessons all count."""
    return ("user", teacher.user_id) if teacher.user_id else ("teacher", teacher.pk)


def travel_minutes(origin: School | None, target: School | None, overrides: dict) -> int | None:
    """Minutes by bicycle between two schools: a known travel time, else the estimate from their
    locations; None when a school or its location is unknown."""
    if origin is None or target is None:
        return None
    if origin.pk == target.pk:
        return 0
    known = overrides.get((origin.pk, target.pk), overrides.get((target.pk, origin.pk)))
    if known is not None:
        return known
    if None in (origin.latitude, origin.longitude, target.latitude, target.longitude):
        return None
    return model.estimate_travel_minutes(
        model.School(str(origin.pk), "", origin.latitude, origin.longitude, (), {}),
        model.School(str(target.pk), "", target.latitude, target.longitude, (), {}),
    )


def needs_cover(lesson_date: LessonDate) -> bool:
    return (
        lesson_date.absence_id is not None
        and lesson_date.status == LessonDate.Status.PLANNED
        and not lesson_date.is_cover
    )


class _Facts:
    """What ranking needs about a programme's teachers on some dates, loaded once."""

    def __init__(self, lesson_dates: list[LessonDate], teachers):
        days = sorted({ld.date for ld in lesson_dates})
        mondays = sorted({d - timedelta(days=d.weekday()) for d in days})
        self.teachers = list(
            teachers.select_related("user").prefetch_related("instruments", "availability")
        )
        ids = [t.pk for t in self.teachers]
        users = [t.user_id for t in self.teachers if t.user_id]
        mine = Q(teacher_id__in=ids) | Q(teacher__user_id__in=users)
        self.conductors = set(
            Ensemble.objects.filter(conductor_id__in=ids).values_list("conductor_id", flat=True)
        )
        # Each person's lessons on the days concerned (cancelled ones free the time).
        self.lessons: dict[tuple, list[LessonDate]] = defaultdict(list)
        for row in (
            LessonDate.objects.filter(mine, date__in=days)
            .exclude(status=LessonDate.Status.CANCELLED)
            .select_related("teacher", "planned__school__organisation")
        ):
            self.lessons[(_person(row.teacher), row.date)].append(row)
        self.week_minutes: dict[tuple, int] = defaultdict(int)
        if mondays:
            for teacher_id, user_id, day, minutes in (
                LessonDate.objects.filter(
                    mine, date__range=(mondays[0], mondays[-1] + timedelta(days=6))
                )
                .exclude(status=LessonDate.Status.CANCELLED)
                .values_list("teacher_id", "teacher__user_id", "date", "minutes")
            ):
                person = ("user", user_id) if user_id else ("teacher", teacher_id)
                monday = day - timedelta(days=day.weekday())
                self.week_minutes[(person, monday)] += minutes
        self.absences: dict[tuple, list[TeacherAbsence]] = defaultdict(list)
        if days:
            for absence in TeacherAbsence.objects.filter(
                mine, withdrawn_at=None, starts_on__lte=days[-1], ends_on__gte=days[0]
            ).select_related("teacher"):
                self.absences[_person(absence.teacher)].append(absence)
        organisations = {ld.organisation_id for ld in lesson_dates}
        self.overrides = {
            (o.from_school_id, o.to_school_id): o.minutes
            for o in TravelOverride.objects.filter(organisation_id__in=organisations)
        }


def _assess(lesson_date: LessonDate, teacher: Teacher, facts: _Facts) -> Candidate:
    candidate = Candidate(teacher)
    planned = lesson_date.planned
    day, start, end = lesson_date.date, lesson_date.starts_at, _ends_at(lesson_date)
    person = _person(teacher)

    # Required: the instrument (or the baton), not absent, not teaching at that time.
    if planned.kind in ORCHESTRA_KINDS:
        if not (teacher.is_conductor or teacher.pk in facts.conductors):
            candidate.refusal = _("%(name)s does not conduct.") % {"name": teacher.full_name}
            return candidate
        candidate.reasons.append(_("conducts"))
    elif planned.lesson_group_id:
        instrument = planned.lesson_group.instrument
        if instrument.pk not in {i.pk for i in teacher.instruments.all()}:
            candidate.refusal = _("%(name)s does not teach %(instrument)s.") % {
                "name": teacher.full_name,
                "instrument": instrument.name.lower(),
            }
            return candidate
        candidate.reasons.append(
            _("plays %(instrument)s") % {"instrument": instrument.name.lower()}
        )
    if any(a.starts_on <= day <= a.ends_on for a in facts.absences.get(person, ())):
        candidate.refusal = _("%(name)s is absent that day.") % {"name": teacher.full_name}
        return candidate
    own = [row for row in facts.lessons.get((person, day), ()) if row.pk != lesson_date.pk]
    for row in own:
        if row.starts_at < end and start < _ends_at(row):
            candidate.refusal = _("%(name)s teaches %(lesson)s at %(time)s that day.") % {
                "name": teacher.full_name,
                "lesson": row.planned.title,
                "time": _clock(row.starts_at),
            }
            return candidate

    # Preferred: free at that time by their weekly availability.
    windows = [w for w in teacher.availability.all() if w.weekday == day.weekday()]
    covering = [w for w in windows if w.starts_at <= start and w.ends_at >= end]
    if covering:
        candidate.available = True
        candidate.window = (covering[0].starts_at, covering[0].ends_at)
        candidate.reasons.append(
            _("free %(from)s–%(until)s")
            % {"from": _clock(covering[0].starts_at), "until": _clock(covering[0].ends_at)}
        )
    elif windows:
        candidate.reasons.append(_("not free at this time by their availability"))
    else:
        candidate.reasons.append(_("no availability given for this day"))

    # Where they are just before, and whether they make it there and on to their next lesson.
    school = planned.school
    before = [row for row in own if row.starts_at < start]
    after = [row for row in own if row.starts_at >= end]
    if before:
        previous = max(before, key=_ends_at)
        origin = previous.planned.school
        minutes = travel_minutes(origin, school, facts.overrides)
        candidate.travel_minutes = minutes
        candidate.travel_from = str(origin) if origin else previous.planned.place
        if minutes == 0:
            candidate.reasons.append(_("already at this school"))
        elif minutes is None:
            candidate.reasons.append(
                _("travel time from %(place)s unknown") % {"place": candidate.travel_from}
            )
        else:
            candidate.reasons.append(
                _("%(minutes)s min by bike from %(place)s")
                % {"minutes": minutes, "place": candidate.travel_from}
            )
            late = _minute(_ends_at(previous)) + minutes - _minute(start)
            if late > 0:
                candidate.late_minutes = late
                candidate.reasons.append(_("would be %(minutes)s min late") % {"minutes": late})
    else:
        candidate.reasons.append(_("no lesson before; comes from home"))
    if after:
        following = min(after, key=lambda row: row.starts_at)
        minutes = travel_minutes(school, following.planned.school, facts.overrides) or 0
        late = _minute(end) + minutes - _minute(following.starts_at)
        if late > 0:
            candidate.late_minutes = max(candidate.late_minutes, late)
            candidate.reasons.append(
                _("would be %(minutes)s min late for %(lesson)s")
                % {"minutes": late, "lesson": following.planned.title}
            )

    # Their hours: the day's limit, the week's limit, and fewer hours rank higher.
    candidate.day_minutes = sum(row.minutes for row in own) + lesson_date.minutes
    monday = day - timedelta(days=day.weekday())
    candidate.week_minutes = facts.week_minutes.get((person, monday), 0)
    if candidate.day_minutes > teacher.max_hours_day * 60:
        candidate.over_limit = True
        candidate.reasons.append(
            _("over their %(hours)s h a day") % {"hours": _hours(teacher.max_hours_day * 60)}
        )
    if (
        teacher.max_hours_week is not None
        and candidate.week_minutes + lesson_date.minutes > teacher.max_hours_week * 60
    ):
        candidate.over_limit = True
        candidate.reasons.append(
            _("over their %(hours)s h a week") % {"hours": _hours(teacher.max_hours_week * 60)}
        )
    candidate.reasons.append(_("%(hours)s h that week") % {"hours": _hours(candidate.week_minutes)})
    return candidate


def _hours(minutes) -> str:
    return formats.number_format(round(float(minutes) / 60, 1), decimal_pos=1)


def _with_relations(lesson_dates):
    return lesson_dates.select_related(
        "teacher",
        "absence__teacher",
        "planned__school__organisation",
        "planned__room",
        "planned__lesson_group__instrument",
        "planned__ensemble",
    )


def assess(lesson_dates: list[LessonDate], teachers=None) -> dict[int, list[Candidate]]:
    """Every teacher considered for each lesson (refused ones included), best first.

    `teachers` defaults to the active teachers of each lesson's programme. The lessons' own
    teachers (and the absent teacher) are never considered for them.
    """
    lesson_dates = list(lesson_dates)
    result: dict[int, list[Candidate]] = {}
    for organisation_id in {ld.organisation_id for ld in lesson_dates}:
        group = [ld for ld in lesson_dates if ld.organisation_id == organisation_id]
        pool = Teacher.objects.filter(organisation_id=organisation_id, is_active=True)
        if teachers is not None:
            pool = teachers.filter(organisation_id=organisation_id)
        facts = _Facts(group, pool)
        for lesson_date in group:
            absent = {lesson_date.teacher_id, lesson_date.planned.teacher_id}
            if lesson_date.absence_id:
                absent.add(lesson_date.absence.teacher_id)
            candidates = [
                _assess(lesson_date, teacher, facts)
                for teacher in facts.teachers
                if teacher.pk not in absent
            ]
            candidates.sort(key=lambda c: (not c.can_cover, c.sort_key))
            result[lesson_date.pk] = candidates
    return result


def rank_many(lesson_dates) -> dict[int, list[Candidate]]:
    """The substitutes for each lesson, best first (those who cannot cover it left out)."""
    return {
        pk: [c for c in candidates if c.can_cover]
        for pk, candidates in assess(lesson_dates).items()
    }


def rank_substitutes(lesson_date: LessonDate) -> list[Candidate]:
    """The teachers who could cover `lesson_date`, best first, each with the reasons."""
    lesson_date = _with_relations(LessonDate.objects.filter(pk=lesson_date.pk)).get()
    return rank_many([lesson_date])[lesson_date.pk]


def needing_cover(organisation, since: date | None = None):
    """The programme's upcoming lessons whose teacher is absent and that nobody covers yet."""
    return _with_relations(
        LessonDate.objects.filter(
            organisation=organisation,
            date__gte=since or timezone.localdate(),
            absence__isnull=False,
            status=LessonDate.Status.PLANNED,
            is_cover=False,
        )
    ).order_by("date", "starts_at", "pk")


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
    found = _with_relations(LessonDate.objects.filter(pk=lesson_date.pk)).first()
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
    needing cover and the programme's coordinators are e-mailed."""
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
    audit(
        actor=by,
        action="timetable.absence.report",
        obj=absence,
        organisation=teacher.organisation_id,
        lessons=linked,
    )
    transaction.on_commit(lambda: _tell_coordinators_of_absence(absence.pk))
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
        "from": _clock(lesson_date.starts_at),
        "until": _clock(_ends_at(lesson_date)),
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


def _tell_coordinators_of_absence(absence_id: int) -> None:
    absence = TeacherAbsence.objects.select_related("teacher__organisation").get(pk=absence_id)
    lessons = list(_with_relations(absence.dates.all()).order_by("date", "starts_at"))
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
    lesson_date = _with_relations(LessonDate.objects.filter(pk=lesson_date_id)).get()
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
    rows = _with_relations(
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
