"""Absences, cover and cancellations of dated lessons.

`rank_substitutes` says who could stand in for an absent teacher and in which order: only
teachers who play the instrument (or conduct, for an orchestra), are not absent and are not
teaching elsewhere at that time; those available that weekday first, then those who can be there
on time and within their working-hour limits, then the shortest ride from where they are just
before, then the fewest hours that week. It reads the database but changes nothing; `rank_many`
does the same for many lessons in a fixed number of queries (the cover page).

The actions that change absences, cover and cancellations are in `cover_actions`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from leerorkest.programme.models import Ensemble, Teacher
from leerorkest.programme.models.teachers import TravelMode
from leerorkest.schools.models import School

from . import instance as model
from .models import LessonDate, PlannedLesson, TeacherAbsence, TravelOverride

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


def clock_text(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def lesson_end(lesson_date: LessonDate) -> time:
    start = datetime.combine(lesson_date.date, lesson_date.starts_at)
    return (start + timedelta(minutes=lesson_date.minutes)).time()


def _person(teacher: Teacher) -> tuple[str, int]:
    """One person may have a teacher profile in two programmes: their lessons all count."""
    return ("user", teacher.user_id) if teacher.user_id else ("teacher", teacher.pk)


def travel_minutes(
    origin: School | None, target: School | None, overrides: dict, mode: str = "bicycle"
) -> int | None:
    """Minutes between two schools: a known travel time, else the estimate from their locations
    by `mode` (bicycle or transit); None when a school or its location is unknown."""
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
        mode,
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
    day, start, end = lesson_date.date, lesson_date.starts_at, lesson_end(lesson_date)
    person = _person(teacher)

    # Required: the instrument (or the baton), not absent, not teaching at that time.
    if planned.kind in ORCHESTRA_KINDS:
        if not (teacher.is_conductor or teacher.pk in facts.conductors):
            candidate.refusal = _("%(name)s does not conduct.") % {"name": teacher.full_name}
            return candidate
        candidate.reasons.append(_("conducts"))
    elif planned.instrument is not None:
        instrument = planned.instrument
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
        if row.starts_at < end and start < lesson_end(row):
            candidate.refusal = _("%(name)s teaches %(lesson)s at %(time)s that day.") % {
                "name": teacher.full_name,
                "lesson": row.planned.title,
                "time": clock_text(row.starts_at),
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
            % {"from": clock_text(covering[0].starts_at), "until": clock_text(covering[0].ends_at)}
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
        previous = max(before, key=lesson_end)
        origin = previous.planned.school
        minutes = travel_minutes(origin, school, facts.overrides, teacher.travel_mode)
        candidate.travel_minutes = minutes
        candidate.travel_from = str(origin) if origin else previous.planned.place
        if minutes == 0:
            candidate.reasons.append(_("already at this school"))
        elif minutes is None:
            candidate.reasons.append(
                _("travel time from %(place)s unknown") % {"place": candidate.travel_from}
            )
        else:
            trip = (
                _("%(minutes)s min by public transport from %(place)s")
                if teacher.travel_mode == TravelMode.TRANSIT
                else _("%(minutes)s min by bike from %(place)s")
            )
            candidate.reasons.append(trip % {"minutes": minutes, "place": candidate.travel_from})
            late = _minute(lesson_end(previous)) + minutes - _minute(start)
            if late > 0:
                candidate.late_minutes = late
                candidate.reasons.append(_("would be %(minutes)s min late") % {"minutes": late})
    else:
        candidate.reasons.append(_("no lesson before; comes from home"))
    if after:
        following = min(after, key=lambda row: row.starts_at)
        minutes = (
            travel_minutes(school, following.planned.school, facts.overrides, teacher.travel_mode)
            or 0
        )
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


def with_relations(lesson_dates):
    return lesson_dates.select_related(
        "teacher",
        "absence__teacher",
        "planned__school__organisation",
        "planned__room",
        "planned__lesson_group__instrument",
        "planned__sectional__led_by",
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
    lesson_date = with_relations(LessonDate.objects.filter(pk=lesson_date.pk)).get()
    return rank_many([lesson_date])[lesson_date.pk]


def needing_cover(organisation, since: date | None = None):
    """The programme's upcoming lessons whose teacher is absent and that nobody covers yet."""
    return with_relations(
        LessonDate.objects.filter(
            organisation=organisation,
            date__gte=since or timezone.localdate(),
            absence__isnull=False,
            status=LessonDate.Status.PLANNED,
            is_cover=False,
        )
    ).order_by("date", "starts_at", "pk")
