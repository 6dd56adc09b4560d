"""Inviting people: one-time links, roles the inviter may hand out, accounts made on acceptance."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from leerorkest.accounts.actions import DomainError, accept_invitation, invite_user
from leerorkest.accounts.models import AuditEvent, Invitation, Membership, User
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.testing import make_member, make_organisation


def link_token(message) -> str:
    match = re.search(r"/accounts/invite/([\w-]+)/", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite someone the way the site does (e-mail sent after commit); returns the link token."""

    def send(**kwargs) -> tuple[Invitation, str]:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invite_user(**kwargs)
        assert len(mail.outbox) == before + 1
        return invitation, link_token(mail.outbox[-1])

    return send


def test_coordinator_invites_a_teacher_by_email(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.owner)
    url = reverse("accounts:organisation_detail", args=[personas.organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Nieuwe.Docent@Test.example", "role": "teacher"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nieuwe.docent@test.example"
    assert invitation.role == Role.TEACHER
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuwe.docent@test.example"]
    assert personas.organisation.name in mail.outbox[0].subject
    # The raw token is only in the e-mail; the database keeps its hash.
    assert link_token(mail.outbox[0]) not in invitation.token_hash
    assert AuditEvent.objects.filter(action="invitation.create").count() == 1


def test_new_person_accepts_and_gets_an_account(client, personas, invite):
    _invitation, token = invite(
        organisation=personas.organisation,
        email="anna@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    url = reverse("accounts:accept_invitation", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"full_name": "Anna de Vries", "password1": "kort", "password2": "kort"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="anna@test.example").exists()
    strong = "vijf-cello's-en-een-harp"
    response = client.post(
        url, {"full_name": "Anna de Vries", "password1": strong, "password2": strong}
    )
    assert response.status_code == 302
    user = User.objects.get(email="anna@test.example")
    assert user.check_password(strong)
    assert Membership.objects.filter(
        user=user, organisation=personas.organisation, role=Role.TEACHER
    ).exists()
    # Logged in straight away, and the link is spent.
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404


def test_existing_user_accepts_while_logged_in(client, personas, invite):
    _invitation, token = invite(
        organisation=personas.organisation,
        email=personas.outsider.email,
        role=Role.TEACHER,
        by=personas.owner,
    )
    client.force_login(personas.outsider)
    response = client.post(reverse("accounts:accept_invitation", args=[token]))
    assert response.status_code == 302
    assert personas.outsider.memberships.filter(organisation=personas.organisation).exists()


def test_link_for_someone_else_is_refused(personas, invite):
    invitation, token = invite(
        organisation=personas.organisation,
        email="x@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    with pytest.raises(DomainError) as error:
        accept_invitation(token=token, user=personas.outsider)
    assert error.value.code == "wrong_user"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_teacher_cannot_invite_and_cannot_grant_roles(client, personas):
    client.force_login(personas.member)
    url = reverse("accounts:organisation_detail", args=[personas.organisation.pk])
    assert client.post(url, {"email": "a@test.example", "role": "teacher"}).status_code == 404
    with pytest.raises(DomainError):
        invite_user(
            organisation=personas.organisation,
            email="a@test.example",
            role=Role.COORDINATOR,
            by=personas.member,
        )
    assert not Invitation.objects.exists()


def test_role_that_does_not_fit_the_organisation_is_refused(client, personas):
    client.force_login(personas.owner)
    url = reverse("accounts:organisation_detail", args=[personas.organisation.pk])
    response = client.post(url, {"email": "a@test.example", "role": "depot_staff"})
    assert response.status_code == 400
    assert "role" in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


def test_coordinator_invites_school_contact_into_own_school(personas):
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    invitation = invite_user(
        organisation=school, email="icc@test.example", role=Role.SCHOOL_CONTACT, by=personas.owner
    )
    assert invitation.organisation == school
    with pytest.raises(DomainError):
        invite_user(
            organisation=school,
            email="icc2@test.example",
            role=Role.SCHOOL_CONTACT,
            by=personas.outsider,
        )


def test_workshop_lead_invites_volunteers_only(db):
    depot = make_organisation(kind=OrgKind.DEPOT)
    lead = make_member(depot, Role.WORKSHOP_LEAD)
    invite_user(organisation=depot, email="v@test.example", role=Role.WORKSHOP_VOLUNTEER, by=lead)
    with pytest.raises(DomainError):
        invite_user(organisation=depot, email="s@test.example", role=Role.DEPOT_STAFF, by=lead)


def test_reinviting_replaces_the_open_link(personas):
    first = invite_user(
        organisation=personas.organisation,
        email="a@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    second = invite_user(
        organisation=personas.organisation,
        email="a@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_open


def test_revoked_link_stops_working(client, personas, invite):
    invitation, token = invite(
        organisation=personas.organisation,
        email="a@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    client.force_login(personas.owner)
    client.post(reverse("accounts:revoke_invitation", args=[invitation.pk]))
    client.logout()
    assert client.get(reverse("accounts:accept_invitation", args=[token])).status_code == 404


def test_resending_makes_a_new_link_and_retires_the_old(
    client, personas, invite, django_capture_on_commit_callbacks
):
    invitation, old = invite(
        organisation=personas.organisation,
        email="a@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    client.force_login(personas.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:resend_invitation", args=[invitation.pk]))
    new = link_token(mail.outbox[-1])
    assert new != old
    client.logout()
    assert client.get(reverse("accounts:accept_invitation", args=[old])).status_code == 404
    assert client.get(reverse("accounts:accept_invitation", args=[new])).status_code == 200


def test_invitation_mail_is_in_the_invitees_language(personas, invite):
    personas.outsider.language = "en"
    personas.outsider.save()
    invite(
        organisation=personas.organisation,
        email=personas.outsider.email,
        role=Role.TEACHER,
        by=personas.owner,
    )
    assert "invites you" in mail.outbox[-1].body
    invite(
        organisation=personas.organisation,
        email="nieuw@test.example",
        role=Role.TEACHER,
        by=personas.owner,
    )
    assert "nodigt je uit" in mail.outbox[-1].body


def test_last_manager_cannot_be_removed(client, personas):
    client.force_login(personas.owner)
    own = Membership.objects.get(user=personas.owner)
    client.post(reverse("accounts:remove_membership", args=[own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()
    teacher = Membership.objects.get(user=personas.member)
    client.post(reverse("accounts:remove_membership", args=[teacher.pk]))
    assert not Membership.objects.filter(pk=teacher.pk).exists()
    assert AuditEvent.objects.filter(action="membership.remove").count() == 1
