"""A2 builders for the absence and cover pages (school cancellations take no object id)."""

from datetime import time, timedelta

from django.utils import timezone

from leerorkest.timetable.models import (
    LessonDate,
    PlannedLesson,
    TeacherAbsence,
    Timetable,
)
from tests.access_teachers import build_school, build_teacher, current_year


def _absence(p) -> TeacherAbsence:
    teacher = build_teacher(p.organisation, name="Docent Afwezig", email="afwezig@test.example")
    day = timezone.localdate() + timedelta(days=7)
    return TeacherAbsence.objects.create(
        teacher=teacher, starts_on=day, ends_on=day, reason="ill", reported_by=p.owner
    )


def _lesson_needing_cover(p) -> LessonDate:
    absence = _absence(p)
    school = build_school(p.organisation)
    timetable = Timetable.objects.create(
        organisation=p.organisation,
        school_year=current_year(),
        name="Rooster",
        status=Timetable.Status.PUBLISHED,
        created_by=p.owner,
    )
    planned = PlannedLesson.objects.create(
        timetable=timetable,
        key="g1",
        kind="lesson",
        school=school,
        title="Viool 5",
        teacher=absence.teacher,
        weekday=absence.starts_on.weekday() % 5,
        starts_at=time(9, 0),
        minutes=45,
    )
    return LessonDate.objects.create(
        planned=planned,
        organisation=p.organisation,
        date=absence.starts_on,
        starts_at=time(9, 0),
        minutes=45,
        teacher=absence.teacher,
        absence=absence,
    )


OBJECT_URLS = {
    "timetable:absence_detail": lambda p: ("get", {"pk": _absence(p).pk}),
    "timetable:absence_withdraw": lambda p: ("post", {"pk": _absence(p).pk}),
    "timetable:cover_confirm": lambda p: ("post", {"pk": _lesson_needing_cover(p).pk}),
    "timetable:cover_cancel": lambda p: ("get", {"pk": _lesson_needing_cover(p).pk}),
}
