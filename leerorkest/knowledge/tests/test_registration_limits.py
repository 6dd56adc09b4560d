"""Registration sends an e-mail, so it is limited per client address and per e-mail address:
over the limit the form says so (429) and nothing is created or sent."""

import pytest
from django.core import mail
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import User
from leerorkest.knowledge import contributors
from leerorkest.knowledge.models import Contributor
from leerorkest.knowledge.tests.test_contributors import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    def go(ip="192.0.2.10", **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("knowledge:register"), {**FORM, **changes}, REMOTE_ADDR=ip)

    return go


def test_one_address_registers_a_few_times_then_is_told_to_wait(register, monkeypatch):
    monkeypatch.setattr(contributors, "REGISTRATIONS_PER_EMAIL", 2)
    assert register().status_code == 302
    assert register().status_code == 302  # a fresh link for the unverified contributor
    assert len(mail.outbox) == 2
    response = register(ip="198.51.100.7")  # another client does not help
    assert response.status_code == 429
    assert "knowledge/register.html" in [t.name for t in response.templates]
    assert response.context["form"].non_field_errors()
    assert response.context["form"].non_field_errors()[0] in response.content.decode()
    assert len(mail.outbox) == 2
    # Another address is still welcome from the same client.
    assert register(email="piet@muziek.example").status_code == 302
    assert len(mail.outbox) == 3


def test_one_client_registers_a_few_addresses_then_is_told_to_wait(register, monkeypatch):
    monkeypatch.setattr(contributors, "REGISTRATIONS_PER_ADDRESS", 3)
    for number in range(3):
        assert register(email=f"docent{number}@muziek.example").status_code == 302
    assert len(mail.outbox) == 3
    response = register(email="docent9@muziek.example")
    assert response.status_code == 429
    assert not User.objects.filter(email="docent9@muziek.example").exists()
    assert Contributor.objects.count() == 3
    assert len(mail.outbox) == 3
    # The limit is per client: another one registers that address.
    assert register(ip="198.51.100.7", email="docent9@muziek.example").status_code == 302
    assert User.objects.filter(email="docent9@muziek.example").exists()


def test_the_limit_counts_addresses_case_blind(register, monkeypatch):
    monkeypatch.setattr(contributors, "REGISTRATIONS_PER_EMAIL", 1)
    assert register().status_code == 302
    assert register(ip="203.0.113.5", email="ELS@Muziek.Example ").status_code == 429
    assert len(mail.outbox) == 1


def test_the_limits_end_with_the_hour(monkeypatch):
    monkeypatch.setattr(contributors, "REGISTRATIONS_PER_EMAIL", 1)
    window = contributors.REGISTRATION_WINDOW
    start = 1_800_000_000 // window * window  # the first second of an hour

    def check(now):
        contributors.check_registration_rate(client_ip="192.0.2.10", email=FORM["email"], now=now)

    check(start)
    with pytest.raises(DomainError) as refused:
        check(start + window - 1)
    assert refused.value.code == "rate_limited"
    check(start + window)


def test_invalid_forms_do_not_count(register, monkeypatch):
    monkeypatch.setattr(contributors, "REGISTRATIONS_PER_ADDRESS", 1)
    for _ in range(3):
        assert register(password2="iets-anders-dan-eerst").status_code == 400
    assert register().status_code == 302
