"""Dated lessons from a published timetable, and the cancellations and absences that touch them.

`materialise` turns the weekly lessons of a published timetable into one `LessonDate` per
school day from a given date to the end of the school year, leaving out the days a school
holiday of the school's region covers. Re-publishing calls `retire` first: future dates of the
old timetable that nothing was recorded on are removed, dates with a register or a decision
stay where they are (they are the record of what happened).
"""

from datetime import date, timedelta

from leerorkest.schools.models import Holiday
from leerorkest.schools.models.places import HolidayRegion

from .models import LessonDate, PlannedLesson, SchoolCancellation, TeacherAbsence, Timetable


def school_days(year, weekday: int, region: str, since: date) -> list[date]:
    """Every `weekday` of the school year from `since` on that no holiday of `region` covers."""
    holidays = [
        (h.starts_on, h.ends_on) for h in Holiday.objects.filter(school_year=year, region=region)
    ]
    first = max(since, year.starts_on)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while day <= year.ends_on:
        if not any(start <= day <= end for start, end in holidays):
            days.append(day)
        day += timedelta(days=7)
    return days


def retire(timetable: Timetable, since: date) -> int:
    """Remove the timetable's dates from `since` on on which nothing was recorded."""
    deletable = LessonDate.objects.filter(
        planned__timetable=timetable,
        date__gte=since,
        status=LessonDate.Status.PLANNED,
        register_taken_at__isnull=True,
        is_cover=False,
        marks__isnull=True,
    )
    ids = list(deletable.values_list("pk", flat=True))
    count, _detail = LessonDate.objects.filter(pk__in=ids).delete()
    return count


def materialise(timetable: Timetable, since: date) -> int:
    """Create the dated lessons of a published timetable from `since` to the end of the year."""
    year = timetable.school_year
    lessons = (
        PlannedLesson.objects.filter(timetable=timetable, teacher__isnull=False)
        .exclude(starts_at=None)
        .select_related("school")
    )
    # A date already there for the same group (kept by `retire`) is not planned twice.
    taken = set(
        LessonDate.objects.filter(organisation=timetable.organisation, date__gte=since).values_list(
            "planned__key", "date"
        )
    )
    cache: dict[tuple[int, str], list[date]] = {}
    rows = []
    for lesson in lessons:
        region = lesson.school.holiday_region if lesson.school else HolidayRegion.NOORD
        key = (lesson.weekday, region)
        if key not in cache:
            cache[key] = school_days(year, lesson.weekday, region, since)
        rows += [
            LessonDate(
                planned=lesson,
                organisation=timetable.organisation,
                date=day,
                starts_at=lesson.starts_at,
                minutes=lesson.minutes,
                teacher_id=lesson.teacher_id,
            )
            for day in cache[key]
            if (lesson.key, day) not in taken
        ]
    LessonDate.objects.bulk_create(rows, batch_size=2000)
    for cancellation in SchoolCancellation.objects.filter(
        school__organisation__parent=timetable.organisation, ends_on__gte=since
    ):
        apply_school_cancellation(cancellation)
    for absence in TeacherAbsence.objects.filter(
        teacher__organisation=timetable.organisation, ends_on__gte=since, withdrawn_at=None
    ):
        link_absence(absence)
    return len(rows)


def dates_of_cancellation(cancellation: SchoolCancellation):
    dates = LessonDate.objects.filter(
        planned__school=cancellation.school,
        date__range=(cancellation.starts_on, cancellation.ends_on),
    )
    if cancellation.year_groups:
        dates = dates.filter(
            planned__lesson_group__year_group__in=cancellation.year_groups
        ) | dates.filter(planned__ensemble__year_group__in=cancellation.year_groups)
    return dates


def apply_school_cancellation(cancellation: SchoolCancellation) -> int:
    """Cancel the planned dates the school's cancellation covers; given lessons stay given."""
    return (
        dates_of_cancellation(cancellation)
        .filter(status=LessonDate.Status.PLANNED)
        .update(
            status=LessonDate.Status.CANCELLED,
            cancelled_by=LessonDate.CancelledBy.SCHOOL,
            cancel_reason=cancellation.get_reason_display()
            + (f": {cancellation.note}" if cancellation.note else ""),
            school_cancellation=cancellation,
        )
    )


def link_absence(absence: TeacherAbsence) -> int:
    """Mark the absent teacher's own planned dates in the absence as needing cover (the ones
    they were to give as a substitute are `release_cover`'s)."""
    return LessonDate.objects.filter(
        teacher=absence.teacher,
        date__range=(absence.starts_on, absence.ends_on),
        status=LessonDate.Status.PLANNED,
        is_cover=False,
    ).update(absence=absence)


def release_cover(absence: TeacherAbsence) -> list[int]:
    """A substitute falls ill: the lessons they were to cover in the absence go back to the
    teacher they covered for, needing cover again while that teacher's absence stands (and
    given by that teacher when it was withdrawn meanwhile). Returns the dates' ids."""
    rows = list(
        LessonDate.objects.select_for_update(of=("self",))
        .filter(
            teacher=absence.teacher,
            date__range=(absence.starts_on, absence.ends_on),
            status=LessonDate.Status.PLANNED,
            is_cover=True,
        )
        .select_related("absence", "planned")
    )
    for row in rows:
        original = row.absence
        row.teacher_id = original.teacher_id if original else row.planned.teacher_id
        if original is not None and original.withdrawn_at is not None:
            row.absence = None
        row.is_cover = False
        row.cover_confirmed_by = None
    LessonDate.objects.bulk_update(rows, ["teacher", "absence", "is_cover", "cover_confirmed_by"])
    return [row.pk for row in rows]
