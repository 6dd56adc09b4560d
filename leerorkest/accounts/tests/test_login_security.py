"""Targets A4 and A5: password rules, lockout, session limits, deactivation, and the role switch."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from leerorkest.accounts.actions import deactivate_user
from leerorkest.accounts.middleware import SESSION_STARTED
from leerorkest.accounts.models import AuditEvent, Membership, UserSession
from leerorkest.accounts.roles import Role
from leerorkest.testing import PASSWORD

LOGIN = "/accounts/login/"


def log_in(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_with_email_and_logout(client, personas):
    response = log_in(client, personas.owner.email.upper())
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=personas.owner).count() == 1
    assert AuditEvent.objects.filter(action="user.login", actor=personas.owner).exists()
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("password", ["kort", "password1234", "123456789012345", "leerorkest"])
def test_weak_passwords_are_refused(password, personas):
    with pytest.raises(ValidationError):
        validate_password(password, personas.owner)


def test_long_uncommon_password_is_accepted(personas):
    validate_password("drie-trompetten-op-dinsdag", personas.owner)


def test_password_hasher_in_production_is_argon2():
    from leerorkest import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_lockout_after_repeated_failures_per_user_and_address(client, personas, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        # Capitals do not make a new username to guess with.
        email = personas.owner.email.upper() if attempt % 2 else personas.owner.email
        assert log_in(client, email, "wrong-password-!").status_code == 200
    assert log_in(client, personas.owner.email, "wrong-password-!").status_code == 429
    # Now even the right password is refused from this address.
    locked = log_in(client, personas.owner.email)
    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower() or "geblokkeerd" in locked.content.decode()
    # Another address is not locked out for this user, and another user is not locked here.
    assert log_in(client, personas.owner.email, ip="10.0.0.2").status_code == 302
    client.logout()
    assert log_in(client, personas.member.email).status_code == 302


def test_sessions_expire_after_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sessions_end_after_the_absolute_limit(client, personas, settings):
    client.force_login(personas.owner)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_deactivating_a_user_ends_their_sessions(client, personas, platform_admin):
    log_in(client, personas.member.email)
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    deactivate_user(user=personas.member, by=platform_admin)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
    assert log_in(client, personas.member.email).status_code == 200  # refused


def test_switching_between_memberships(client, personas):
    Membership.objects.create(user=personas.member, organisation=personas.other, role=Role.TEACHER)
    client.force_login(personas.member)
    home = client.get(reverse("home"))
    first = home.context["request"].context.organisation
    other = personas.other if first == personas.organisation else personas.organisation
    target = Membership.objects.get(user=personas.member, organisation=other)
    client.post(reverse("accounts:switch_context"), {"context": target.pk})
    assert client.get(reverse("home")).context["request"].context.organisation == other


def test_switching_to_a_membership_of_someone_else_is_refused(client, personas):
    client.force_login(personas.member)
    foreign = Membership.objects.get(user=personas.outsider)
    response = client.post(reverse("accounts:switch_context"), {"context": foreign.pk})
    assert response.status_code == 404
    assert (
        client.post(reverse("accounts:switch_context"), {"context": "platform_admin"}).status_code
        == 404
    )


def test_password_reset_sends_a_one_time_link(client, personas, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": personas.member.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    new = "vier-violen-en-een-bas"
    form_url = response.redirect_chain[-1][0]
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.check_password(new)
    # The same link a second time: invalid.
    assert client.get(path, follow=True).context["validlink"] is False
    # No e-mail for an unknown address, and the page does not reveal it.
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_blocking_in_the_admin_site_ends_sessions_too(client, personas, platform_admin, rf):
    from types import SimpleNamespace

    from django.contrib import admin

    from leerorkest.accounts.models import User

    log_in(client, personas.member.email)
    key = client.session.session_key
    user = User.objects.get(pk=personas.member.pk)
    user.is_active = False
    request = rf.post("/admin/")
    request.user = platform_admin
    form = SimpleNamespace(changed_data=["is_active"])
    admin.site._registry[User].save_model(request, user, form, change=True)
    user.refresh_from_db()
    assert user.is_active is False
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(user.pk)).exists()
