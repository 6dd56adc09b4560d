"""Shared test set-up: fast password hashing and the owner / member / outsider personas."""

from dataclasses import dataclass

import pytest

from leerorkest.accounts.models import Organisation, User
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.testing import make_member, make_organisation, make_user


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The second factor is tested in accounts/tests/test_totp.py, which turns it on.
    settings.TWO_FACTOR_REQUIRED = False


@dataclass
class Personas:
    """Owner and member belong to `organisation`; the outsider manages another programme."""

    organisation: Organisation
    other: Organisation
    owner: User
    member: User
    outsider: User


@pytest.fixture
def personas(db) -> Personas:
    organisation = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Oost")
    other = make_organisation(kind=OrgKind.PARTNER, name="Leerorkest Elders", city="Dordrecht")
    return Personas(
        organisation=organisation,
        other=other,
        owner=make_member(organisation, Role.COORDINATOR),
        member=make_member(organisation, Role.TEACHER),
        outsider=make_member(other, Role.PARTNER_COORDINATOR),
    )


@pytest.fixture
def platform_admin(db) -> User:
    return make_user(is_platform_admin=True, is_staff=True, is_superuser=True)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item, so fixtures can react to a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files (instrument photos) go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _quick_demo_timetable(monkeypatch):
    """Demo builds inside tests give the timetable planner two seconds (it starts from a complete
    greedy week, so the week is just as valid); the served demo takes its full time."""
    from leerorkest.demo import timetable

    monkeypatch.setattr(timetable, "SOLVE_SECONDS", 2)
