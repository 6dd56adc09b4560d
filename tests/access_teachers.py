"""A2 builders for the teacher pages and a teacher's own groups, and the data builders the
teacher tests share."""

import itertools
from datetime import date, time

from django.utils import timezone

from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    LessonGroup,
    LessonGroupMember,
    Teacher,
)
from leerorkest.schools.models import SchoolParticipation, SchoolYear
from leerorkest.testing import instrument, make_class, make_pupil, make_school

_classes = itertools.count(1)


def current_year() -> SchoolYear:
    today = timezone.localdate()
    return SchoolYear.for_start_year(today.year if today.month >= 8 else today.year - 1)


def build_teacher(programme, *, name: str = "Docent Een", email: str = "", user=None, **fields):
    codes = fields.pop("instruments", ("violin",))
    teacher = Teacher.objects.create(
        organisation=programme, full_name=name, email=email, user=user, **fields
    )
    teacher.instruments.set([instrument(code) for code in codes])
    return teacher


def build_school(programme, *, music_day: int | None = None, year=None, name: str = ""):
    """A school of `programme` taking part this year, with its music day (default: today)."""
    school = make_school(programme, name=name)
    year = year or current_year()
    if music_day is None:
        music_day = min(timezone.localdate().weekday(), 4)
    SchoolParticipation.objects.create(
        school=school,
        school_year=year,
        year_groups=[5, 6, 7, 8],
        music_day=music_day,
        day_starts_at=time(8, 30),
        day_ends_at=time(15, 0),
    )
    return school


def build_lesson_group(
    programme, *, teacher=None, school=None, pupils: int = 3, code: str = "violin", name=""
):
    """A lesson group of `pupils` placed pupils at `school` (a new one by default)."""
    year = current_year()
    school = school or build_school(programme, year=year)
    school_class = make_class(school, year_group=5, school_year=year, name=f"5L{next(_classes)}")
    group = LessonGroup.objects.create(
        organisation=programme,
        school=school,
        school_year=year,
        year_group=5,
        instrument=instrument(code),
        name=name or f"{code} {school_class.name}-{school.pk}",
        teacher=teacher,
        max_size=6,
    )
    for _n in range(pupils):
        pupil = make_pupil(school_class, date_of_birth=date(2017, 3, 14))
        LessonGroupMember.objects.create(group=group, pupil=pupil)
    return group


def build_ensemble(
    programme,
    *,
    conductor=None,
    school=None,
    players: int = 3,
    kind=None,
    name: str = "",
    year=None,
):
    """An ensemble this school year with `players` active members (and one who left)."""
    year = year or current_year()
    kind = kind or (
        EnsembleKind.SCHOOL_ORCHESTRA if school else EnsembleKind.NEIGHBOURHOOD_ORCHESTRA
    )
    ensemble = Ensemble.objects.create(
        organisation=programme,
        kind=kind,
        name=name or f"Orkest {Ensemble.objects.count() + 1}",
        school_year=year,
        school=school,
        year_group=6 if school else None,
        conductor=conductor,
        weekday=None if school else 2,
        starts_at=None if school else time(15, 30),
        ends_at=None if school else time(17, 30),
    )
    school = school or build_school(programme, year=year)
    school_class = make_class(school, year_group=6, school_year=year, name=f"6E{next(_classes)}")
    for _n in range(players):
        EnsembleMember.objects.create(ensemble=ensemble, pupil=make_pupil(school_class))
    EnsembleMember.objects.create(
        ensemble=ensemble, pupil=make_pupil(school_class), status=EnsembleMember.Status.LEFT
    )
    return ensemble


def _teacher(p):
    return "get", {"pk": build_teacher(p.organisation, email="docent@test.example").pk}


def _teacher_post(p):
    return "post", {"pk": build_teacher(p.organisation, email="docent@test.example").pk}


OBJECT_URLS = {
    "programme:teacher_detail": _teacher,
    "programme:teacher_edit": _teacher,
    "programme:teacher_link": _teacher_post,
    "programme:teacher_unlink": _teacher_post,
    "programme:teacher_invite": _teacher_post,
    "programme:my_group": lambda p: ("get", {"pk": build_lesson_group(p.organisation).pk}),
    "programme:my_ensemble": lambda p: ("get", {"pk": build_ensemble(p.organisation).pk}),
}

OBJECT_OPERATIONS = {
    "/teachers/{teacher_id}": lambda p: {"teacher_id": build_teacher(p.organisation).pk},
}
