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
