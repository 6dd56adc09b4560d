"""A small programme with one school, classes, pupils and a lesson group, for the school tests."""

from dataclasses import dataclass
from datetime import time

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.programme.models import LessonGroup, LessonGroupMember, Teacher
from leerorkest.schools.models import SchoolParticipation
from leerorkest.testing import (
    instrument,
    make_class,
    make_member,
    make_pupil,
    make_school,
    make_school_year,
)


@dataclass
class World:
    school: object
    year: object
    classes: dict
    pupils: list
    contact: object
    group: object


def build_world(personas, *, start_year: int = 2026, pupils_per_class: int = 3) -> World:
    year = make_school_year(start_year)
    school = make_school(personas.organisation, name="OBS De Notenbalk")
    SchoolParticipation.objects.create(
        school=school,
        school_year=year,
        year_groups=[5, 6, 7, 8],
        music_day=3,
        day_starts_at=time(8, 30),
        day_ends_at=time(14, 30),
    ).instruments.set([instrument("violin"), instrument("cello")])
    classes = {
        g: make_class(school, year_group=g, name=f"{g}A", school_year=year) for g in (5, 6, 7, 8)
    }
    pupils = [
        make_pupil(c, parent_name="Ouder Test", parent_phone="06-12345678")
        for c in classes.values()
        for _ in range(pupils_per_class)
    ]
    contact = make_member(school.organisation, Role.SCHOOL_CONTACT)
    teacher = Teacher.objects.create(
        organisation=personas.organisation, user=personas.member, full_name="Docent"
    )
    group = LessonGroup.objects.create(
        organisation=personas.organisation,
        school=school,
        school_year=year,
        year_group=6,
        instrument=instrument("violin"),
        name="Viool 6-1",
        teacher=teacher,
        max_size=6,
    )
    LessonGroupMember.objects.create(group=group, pupil=pupils[3])
    assert Membership.objects.filter(user=personas.member, role=Role.TEACHER).exists()
    return World(school, year, classes, pupils, contact, group)
