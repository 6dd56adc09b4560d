"""One pupil with something in every table that points at a pupil, for the privacy tests."""

from dataclasses import dataclass
from datetime import date

from leerorkest.accounts.roles import Role
from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    InstrumentChoice,
    LessonGroup,
    LessonGroupMember,
    Teacher,
)
from leerorkest.schools.models import Consent, ConsentPurpose
from leerorkest.testing import (
    instrument,
    make_class,
    make_member,
    make_pupil,
    make_school,
    make_school_year,
)


@dataclass
class Child:
    pupil: object
    school: object
    school_class: object
    contact: object  # school contact of the pupil's school
    teacher: object  # the teacher of the pupil's lesson group (personas.member)


def child_with_history(personas, *, start_year: int = 2026) -> Child:
    year = make_school_year(start_year)
    school = make_school(personas.organisation, name="OBS De Vioolsleutel")
    school_class = make_class(school, year_group=6, name="6B", school_year=year)
    pupil = make_pupil(
        school_class,
        given_name="Fenna",
        surname_prefix="van der",
        surname="Zwaluw",
        date_of_birth=date(2016, 3, 14),
        parent_name="Marieke Zwaluw",
        parent_phone="06-98765432",
        parent_email="marieke.zwaluw@mail.example",
        secondary_school="Het Zwaluwcollege",
    )
    teacher = Teacher.objects.create(
        organisation=personas.organisation, user=personas.member, full_name="Docent Viool"
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
    LessonGroupMember.objects.create(group=group, pupil=pupil)
    InstrumentChoice.objects.create(
        pupil=pupil,
        school_year=year,
        first=instrument("violin"),
        second=instrument("cello"),
        assigned=instrument("violin"),
    )
    orchestra = Ensemble.objects.create(
        organisation=personas.organisation,
        kind=EnsembleKind.SCHOOL_ORCHESTRA,
        name="Orkest 6 De Vioolsleutel",
        school_year=year,
        school=school,
        year_group=6,
    )
    EnsembleMember.objects.create(ensemble=orchestra, pupil=pupil, instrument=instrument("violin"))
    Consent.objects.create(
        pupil=pupil,
        purpose=ConsentPurpose.PHOTO_VIDEO,
        given=True,
        given_by="moeder Zwaluw",
        source=Consent.Source.PAPER,
        decided_on=date(2026, 9, 1),
        recorded_by=personas.owner,
    )
    contact = make_member(school.organisation, Role.SCHOOL_CONTACT)
    return Child(pupil, school, school_class, contact, personas.member)


NAMES = ["Fenna", "Zwaluw", "Marieke", "marieke.zwaluw", "06-98765432", "Zwaluwcollege"]
