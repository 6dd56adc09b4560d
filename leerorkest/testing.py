"""Data builders for tests: plain functions, no fixtures files."""

import itertools

from leerorkest.accounts.models import Membership, Organisation, User
from leerorkest.accounts.roles import OrgKind

_counter = itertools.count(1)
PASSWORD = "a-long-test-password-1"  # noqa: S105


def make_organisation(*, kind: str = OrgKind.PROGRAMME, name: str = "", **fields) -> Organisation:
    number = next(_counter)
    name = name or f"{OrgKind(kind).label} {number}"
    return Organisation.objects.create(
        name=name, slug=f"org-{number}", kind=kind, city=fields.pop("city", "Amsterdam"), **fields
    )


def make_user(*, email: str = "", full_name: str = "", password: str = PASSWORD, **fields) -> User:
    number = next(_counter)
    return User.objects.create_user(
        email or f"user{number}@test.example",
        password,
        full_name=full_name or f"Test Person {number}",
        **fields,
    )


def make_member(organisation: Organisation, role: str, **fields) -> User:
    user = make_user(**fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_school_year(start_year: int = 2026):
    from leerorkest.schools.models import SchoolYear

    return SchoolYear.for_start_year(start_year)


def make_school(programme: Organisation, *, name: str = "", brin: str = "", **fields):
    """A school organisation of `programme` with its School details."""
    from leerorkest.schools.models import School

    number = next(_counter)
    org = make_organisation(kind=OrgKind.SCHOOL, parent=programme, name=name or f"School {number}")
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    code = brin or f"{10 + number % 90:02d}{letters[number % 22]}{letters[(number // 22) % 22]}00"
    return School.objects.create(organisation=org, brin=code, **fields)


def make_class(school, *, year_group: int = 5, name: str = "", school_year=None, **fields):
    from leerorkest.schools.models import SchoolClass

    return SchoolClass.objects.create(
        school=school,
        school_year=school_year or make_school_year(),
        year_group=year_group,
        name=name or f"{year_group}{chr(65 + next(_counter) % 26)}",
        **fields,
    )


def make_pupil(school_class=None, *, organisation: Organisation | None = None, **fields):
    """A pupil, placed in `school_class` when given (its school's programme owns the record)."""
    from datetime import date

    from leerorkest.schools.models import ClassPlacement, Pupil

    number = next(_counter)
    if organisation is None:
        organisation = school_class.school.organisation.parent
    pupil = Pupil.objects.create(
        organisation=organisation,
        given_name=fields.pop("given_name", f"Kind{number}"),
        surname=fields.pop("surname", f"Achternaam{number}"),
        date_of_birth=fields.pop("date_of_birth", date(2017, 1 + number % 12, 1 + number % 28)),
        **fields,
    )
    if school_class is not None:
        ClassPlacement.objects.create(pupil=pupil, school_class=school_class)
    return pupil


def instrument(code: str):
    """An instrument of the catalogue (put back first if a flush in this worker removed it)."""
    from leerorkest.programme import catalogue
    from leerorkest.programme.models import InstrumentType

    found = InstrumentType.objects.filter(code=code).first()
    if found is None:
        from leerorkest.depot import sizes
        from leerorkest.depot.models import KitItem, Size

        # The migrations' data went with the flush: the instruments, their sizes and kits.
        catalogue.install(InstrumentType)
        sizes.install(Size, InstrumentType)
        sizes.install_kits(KitItem, InstrumentType)
        found = InstrumentType.objects.get(code=code)
    return found
