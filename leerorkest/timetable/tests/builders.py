"""A published week for tests of registers, cover and delivery (no solver involved)."""

from dataclasses import dataclass, field
from datetime import date, time

from django.utils import timezone

from leerorkest.accounts.roles import Role
from leerorkest.programme.models import Ensemble, LessonGroup, Teacher
from leerorkest.schools.models import Room, School
from leerorkest.testing import make_member
from leerorkest.timetable import dates
from leerorkest.timetable.models import PlannedLesson, Timetable
from tests.access_teachers import (
    build_ensemble,
    build_lesson_group,
    build_school,
    build_teacher,
    current_year,
)


@dataclass
class Week:
    timetable: Timetable
    school: School
    teacher: Teacher
    colleague: Teacher
    groups: list[LessonGroup]
    orchestra: Ensemble
    lessons: list[PlannedLesson] = field(default_factory=list)


def published_week(
    programme,
    *,
    owner,
    teacher_user=None,
    music_day: int | None = None,
    since: date | None = None,
) -> Week:
    """A school of `programme` with its music day (default today's weekday, Friday at weekends),
    a teacher (linked to `teacher_user`) with two violin groups of three pupils at 09:00 and
    10:00, a cello colleague, and a school orchestra the teacher conducts at 11:00; published
    by `owner` and turned into dated lessons from `since` (default: the school year's start)."""
    year = current_year()
    if music_day is None:
        music_day = min(timezone.localdate().weekday(), 4)
    school = build_school(programme, music_day=music_day, year=year)
    room = Room.objects.create(school=school, name="Lokaal 1", capacity=30)
    teacher = build_teacher(
        programme,
        name="Docent Viool",
        email="viool@test.example",
        user=teacher_user,
        is_conductor=True,
        instruments=("violin",),
    )
    colleague = build_teacher(
        programme,
        name="Docent Cello",
        email="cello@test.example",
        user=make_member(programme, Role.TEACHER),
        instruments=("cello", "violin"),
    )
    groups = [
        build_lesson_group(programme, teacher=teacher, school=school, name=f"Viool 5-{n}")
        for n in (1, 2)
    ]
    orchestra = build_ensemble(programme, conductor=teacher, school=school, name="Orkest 6")
    timetable = Timetable.objects.create(
        organisation=programme,
        school_year=year,
        name="Rooster",
        status=Timetable.Status.PUBLISHED,
        created_by=owner,
        published_by=owner,
        published_at=timezone.now(),
    )
    week = Week(timetable, school, teacher, colleague, groups, orchestra)
    for start, (kind, group, ensemble) in zip(
        (time(9, 0), time(10, 0), time(11, 0)),
        [("lesson", groups[0], None), ("lesson", groups[1], None), ("orchestra", None, orchestra)],
        strict=True,
    ):
        week.lessons.append(
            PlannedLesson.objects.create(
                timetable=timetable,
                key=f"g{group.pk}" if group else f"e{ensemble.pk}",
                kind=kind,
                lesson_group=group,
                ensemble=ensemble,
                school=school,
                title=group.name if group else ensemble.name,
                teacher=teacher,
                room=room,
                weekday=music_day,
                starts_at=start,
                minutes=45,
            )
        )
    dates.materialise(timetable, since or year.starts_on)
    return week
