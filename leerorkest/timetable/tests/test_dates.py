"""Publishing turns the weekly lessons into dated lessons; holidays and cancellations apply."""

from datetime import date, timedelta

import pytest

from leerorkest.schools.models import Holiday
from leerorkest.timetable import dates
from leerorkest.timetable.models import LessonDate, SchoolCancellation, TeacherAbsence
from leerorkest.timetable.tests.builders import published_week
from tests.access_teachers import current_year


@pytest.mark.django_db
def test_dates_leave_out_holidays_and_follow_cancellations_and_absences(personas):
    year = current_year()
    Holiday.objects.create(
        school_year=year,
        region="noord",
        kind="autumn",
        starts_on=date(year.starts_on.year, 10, 17),
        ends_on=date(year.starts_on.year, 10, 25),
    )
    week = published_week(personas.organisation, owner=personas.owner, music_day=0)
    mondays = LessonDate.objects.filter(planned=week.lessons[0]).values_list("date", flat=True)
    assert all(d.weekday() == 0 for d in mondays)
    assert not any(
        date(year.starts_on.year, 10, 17) <= d <= date(year.starts_on.year, 10, 25) for d in mondays
    )
    assert len(mondays) == len(dates.school_days(year, 0, "noord", year.starts_on))
    first = min(mondays)
    trip = SchoolCancellation.objects.create(
        school=week.school,
        starts_on=first,
        ends_on=first,
        reason="trip",
        recorded_by=personas.owner,
    )
    assert dates.apply_school_cancellation(trip) == 3
    cancelled = LessonDate.objects.get(planned=week.lessons[0], date=first)
    assert cancelled.status == LessonDate.Status.CANCELLED
    assert cancelled.cancelled_by == LessonDate.CancelledBy.SCHOOL
    ill = TeacherAbsence.objects.create(
        teacher=week.teacher,
        starts_on=first,
        ends_on=first + timedelta(days=7),
        reason="ill",
        reported_by=personas.owner,
    )
    # The trip's lessons are already cancelled; the next Monday's three need cover.
    assert dates.link_absence(ill) == 3
    # Re-materialising keeps what was decided and does not plan a date twice.
    total = LessonDate.objects.filter(planned__timetable=week.timetable).count()
    assert dates.retire(week.timetable, first) == total - 3  # the trip's three stay
    dates.materialise(week.timetable, first)
    assert LessonDate.objects.filter(planned=week.lessons[0], date=first).count() == 1
    assert LessonDate.objects.filter(absence=ill).count() == 3
