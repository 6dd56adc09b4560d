"""A2 builders for the instrument-choice and lesson-group pages, and the data builders their
tests share."""

from datetime import time
from types import SimpleNamespace

from leerorkest.programme.choice.actions import Scope
from leerorkest.programme.models import LessonGroup, LessonGroupMember, Teacher
from leerorkest.schools.models import SchoolParticipation
from leerorkest.testing import instrument, make_class, make_pupil, make_school, make_school_year


def make_year_group(
    programme,
    *,
    pupils: int = 6,
    menu=("violin", "cello", "flute"),
    year_group: int = 5,
    classes: int = 1,
    school=None,
    school_year=None,
):
    """A school of `programme` with an instrument menu and `pupils` pupils in `classes` classes
    of one year group."""
    school = school or make_school(programme)
    year = school_year or make_school_year()
    participation, _created = SchoolParticipation.objects.get_or_create(
        school=school,
        school_year=year,
        defaults={
            "year_groups": [5, 6, 7, 8],
            "music_day": 3,
            "day_starts_at": time(8, 30),
            "day_ends_at": time(15, 0),
        },
    )
    participation.instruments.set([instrument(code) for code in menu])
    school_classes = [
        make_class(school, year_group=year_group, school_year=year, name=f"{year_group}{letter}")
        for letter in "ABCD"[:classes]
    ]
    children = [
        make_pupil(school_classes[n % classes], given_name=f"Kind{n:02d}", surname=f"Naam{n:02d}")
        for n in range(pupils)
    ]
    school = type(school).objects.select_related("organisation__parent").get(pk=school.pk)
    return SimpleNamespace(
        school=school,
        year=year,
        classes=school_classes,
        pupils=children,
        scope=Scope(school, year, year_group),
    )


def make_teacher(programme, *codes: str, name: str = "", user=None) -> Teacher:
    teacher = Teacher.objects.create(
        organisation=programme, full_name=name or f"Docent {'/'.join(codes)}", user=user
    )
    teacher.instruments.set([instrument(code) for code in codes])
    return teacher


def make_lesson_group(programme, *, pupils: int = 2, code: str = "violin", teacher=None):
    data = make_year_group(programme, pupils=pupils, menu=(code,))
    group = LessonGroup.objects.create(
        organisation=programme,
        school=data.school,
        school_year=data.year,
        year_group=5,
        instrument=instrument(code),
        name=f"{instrument(code).name_nl} 5A-{data.school.pk}",
        teacher=teacher,
        max_size=instrument(code).lesson_group_size,
    )
    for pupil in data.pupils:
        LessonGroupMember.objects.create(group=group, pupil=pupil)
    data.group = group
    return data


def _year_group_url(p, method="get"):
    data = make_year_group(p.organisation)
    return method, {"school_pk": data.school.pk, "year_group": 5}


def _override(p):
    data = make_year_group(p.organisation)
    return "post", {"school_pk": data.school.pk, "year_group": 5, "pupil_pk": data.pupils[0].pk}


def _group(p, method="get"):
    return method, {"pk": make_lesson_group(p.organisation).group.pk}


OBJECT_URLS = {
    "programme:choice_grid": _year_group_url,
    "programme:choice_sections": _year_group_url,
    "programme:choice_result": _year_group_url,
    "programme:choice_run": lambda p: _year_group_url(p, "post"),
    "programme:lessongroup_form": lambda p: _year_group_url(p, "post"),
    "programme:choice_override": _override,
    "programme:lessongroup_detail": _group,
    "programme:lessongroup_teacher": lambda p: _group(p, "post"),
    "programme:lessongroup_move": lambda p: _group(p, "post"),
    "programme:lessongroup_remove": lambda p: _group(p, "post"),
    "programme:lessongroup_add": lambda p: _group(p, "post"),
}

OBJECT_OPERATIONS = {
    "/lesson-groups/{group_id}": lambda p: {"group_id": make_lesson_group(p.organisation).group.pk},
}
