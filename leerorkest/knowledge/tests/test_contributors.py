"""Professionals register; the account opens when a one-time link confirms the address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent, User, hash_secret
from leerorkest.knowledge.models import Contributor
from leerorkest.knowledge.tests.builders import make_contributor
from leerorkest.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Els Peeters",
    "email": "els@muziek.example",
    "password1": "een-lang-wachtwoord-42",
    "password2": "een-lang-wachtwoord-42",
    "organisation_name": "Orkest op School Gent",
    "city": "Gent",
    "country": "BE",
}


def invalid_page(response) -> bool:
    """The "this link is no longer valid" page (its words depend on the language)."""
    return "knowledge/verify_invalid.html" in [t.name for t in response.templates]


def link_token(message) -> str:
    return re.search(r"/knowledge/verify/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    def go(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("knowledge:register"), {**FORM, **changes})

    return go


def test_registering_creates_a_closed_account_and_mails_a_one_time_link(client, register):
    response = register()
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:register_sent")
    user = User.objects.get(email="els@muziek.example")
    assert not user.is_active
    contributor = Contributor.objects.get(user=user)
    assert (contributor.country, contributor.city) == ("BE", "Gent")
    assert contributor.email_verified_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["els@muziek.example"]
    token = link_token(mail.outbox[0])
    # Only a hash is stored.
    assert contributor.verification_hash == hash_secret(token)
    assert token not in contributor.verification_hash
    # The closed account cannot log in yet.
    login = client.post(
        reverse("accounts:login"),
        {"username": "els@muziek.example", "password": FORM["password1"]},
    )
    assert login.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="knowledge.contributor_register").exists()


def test_the_link_confirms_once_and_logs_in(client, register):
    register()
    url = reverse("knowledge:verify", args=[link_token(mail.outbox[0])])
    page = client.get(url)
    assert page.status_code == 200
    assert "els@muziek.example" in page.content.decode()
    assert Contributor.objects.get().email_verified_at is None  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:my_materials")
    contributor = Contributor.objects.get()
    assert contributor.is_verified
    assert contributor.user.is_active
    assert client.get(reverse("knowledge:my_materials")).status_code == 200
    # Used: the link is no longer valid.
    client.logout()
    again = client.get(url)
    assert again.status_code == 404
    assert invalid_page(again)
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.filter(action="knowledge.contributor_verify").count() == 1


def test_a_wrong_link_is_no_longer_valid(client):
    make_contributor(verified=False)
    response = client.get(reverse("knowledge:verify", args=["made-up-token"]))
    assert response.status_code == 404
    assert invalid_page(response)


def test_an_expired_link_is_no_longer_valid(client, register):
    from datetime import timedelta

    from django.utils import timezone

    register()
    Contributor.objects.update(verification_sent_at=timezone.now() - timedelta(days=4))
    url = reverse("knowledge:verify", args=[link_token(mail.outbox[0])])
    assert client.post(url).status_code == 404
    assert not Contributor.objects.get().is_verified


def test_registering_again_sends_a_new_link_and_the_old_one_stops(client, register):
    register()
    first = link_token(mail.outbox[0])
    register(full_name="Someone Else")
    assert len(mail.outbox) == 2
    second = link_token(mail.outbox[1])
    assert first != second
    assert client.post(reverse("knowledge:verify", args=[first])).status_code == 404
    assert client.post(reverse("knowledge:verify", args=[second])).status_code == 302
    assert User.objects.get(email="els@muziek.example").full_name == "Els Peeters"


def test_an_existing_account_is_told_by_mail_and_the_page_reveals_nothing(client, register):
    user = make_user(email="els@muziek.example")
    response = register()
    assert response["Location"] == reverse("knowledge:register_sent")
    assert len(mail.outbox) == 1
    assert "/accounts/login/" in mail.outbox[0].body
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "/knowledge/verify/" not in mail.outbox[0].body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # unchanged
    assert not Contributor.objects.exists()


def test_bad_input_is_refused_next_to_the_field(client, register):
    response = register(password2="iets-anders-123456", country="DE")
    assert response.status_code == 400
    form = response.context["form"]
    assert "password2" in form.errors
    assert "country" in form.errors
    assert not User.objects.filter(email="els@muziek.example").exists()
    assert not mail.outbox


def test_a_logged_in_person_becomes_a_contributor_and_verifies(
    client, personas, django_capture_on_commit_callbacks
):
    """A coordinator (with a membership) adds a contributor profile to their own account."""
    client.force_login(personas.owner)
    assert client.get(reverse("knowledge:material_create"))["Location"] == reverse(
        "knowledge:become_contributor"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("knowledge:become_contributor"),
            {"organisation_name": "Leerorkest Oost", "city": "Amsterdam", "country": "NL"},
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == [personas.owner.email]
    # Not yet verified: cannot share.
    response = client.get(reverse("knowledge:material_create"))
    assert response["Location"] == reverse("knowledge:my_materials")
    client.post(reverse("knowledge:verify", args=[link_token(mail.outbox[0])]))
    assert client.get(reverse("knowledge:material_create")).status_code == 200


def test_a_contributor_without_memberships_uses_the_pages(client):
    """Contributors have no organisation: their pages need a login, not a membership."""
    contributor = make_contributor()
    client.force_login(contributor.user)
    for name in ["knowledge:my_materials", "knowledge:material_create", "knowledge:home"]:
        assert client.get(reverse(name)).status_code == 200, name
    # After logging in, the platform's home sends them to their materials.
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home.url == reverse("knowledge:my_materials")


def test_a_new_link_can_be_asked_for(client, django_capture_on_commit_callbacks):
    contributor = make_contributor(verified=False)
    client.force_login(contributor.user)
    response = client.post(reverse("knowledge:resend_verification"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/knowledge/verify/" in mail.outbox[0].body
