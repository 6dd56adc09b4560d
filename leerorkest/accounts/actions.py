"""Workflows on people and organisations: each runs in one transaction and writes the audit log."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    User,
    UserSession,
    hash_secret,
)
from leerorkest.accounts.roles import INVITES, MANAGER_ROLES, OrgKind, Role


class DomainError(Exception):
    """A refusal the user can understand; views show `message`, the API returns it as JSON."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


def invitable_roles(user: User, organisation: Organisation) -> list[str]:
    """The roles `user` may hand out in `organisation`, in the order of `Role`."""
    allowed = set(organisation.roles)
    if user.is_platform_admin:
        return [r for r in Role.values if r in allowed]
    held = set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )
    grantable = {r for role in held for r in INVITES.get(role, ())}
    # The managers of a programme invite the contacts of its schools.
    if (
        organisation.kind == OrgKind.SCHOOL
        and organisation.parent_id
        and Membership.objects.filter(
            user=user, organisation_id=organisation.parent_id, role__in=MANAGER_ROLES
        ).exists()
    ):
        grantable.add(Role.SCHOOL_CONTACT)
    return [r for r in Role.values if r in grantable and r in allowed]


@transaction.atomic
def invite_user(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    """Create an invitation; its one-time link is e-mailed by a background task after commit.

    Refuses roles the inviter may not hand out and people who already hold the role. A new
    invitation for the same person and role replaces an open one.
    """
    from leerorkest.accounts.tasks import send_invitation

    email = User.objects.normalize_email(email).strip().lower()
    if role not in invitable_roles(by, organisation):
        raise DomainError(_("You cannot invite someone in this role here."), field="role")
    if Membership.objects.filter(
        organisation=organisation, role=role, user__email__iexact=email
    ).exists():
        raise DomainError(_("This person already has this role here."), field="email")
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        # Nobody knows this token: the e-mail task replaces it with the one it sends.
        token_hash=hash_secret(Invitation.new_token()),
        invited_by=by,
        expires_at=Invitation.default_expiry(),
    )
    audit(
        actor=by, action="invitation.create", obj=invitation, organisation=organisation, role=role
    )
    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: User) -> None:
    """Send the invitation again with a new link (the old link stops working)."""
    from leerorkest.accounts.tasks import send_invitation

    if not invitation.is_open:
        raise DomainError(_("This invitation was already used or withdrawn."))
    audit(actor=by, action="invitation.resend", obj=invitation)
    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))


@transaction.atomic
def issue_invitation_link(*, invitation_id: int) -> tuple[Invitation, str] | None:
    """Give an open invitation a fresh one-time token; returns it with its link, or None."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    token = Invitation.new_token()
    invitation.token_hash = hash_secret(token)
    invitation.save(update_fields=["token_hash"])
    return invitation, settings.SITE_URL + reverse("accounts:accept_invitation", args=[token])


def find_open_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    return invitation if invitation and invitation.is_open else None


@transaction.atomic
def accept_invitation(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Use a one-time invitation link: give the role to `user`, or to a new account.

    The link works once: a second use, an expired or revoked link is refused. A logged-in user
    must be the person invited (same e-mail address).
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise DomainError(_("This invitation link is no longer valid."), code="invitation_invalid")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise DomainError(
                _("An account with this e-mail address exists: log in first, then open the link."),
                code="login_required",
            )
        user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
        audit(actor=user, action="user.create", obj=user, organisation=invitation.organisation)
    elif user.email.lower() != invitation.email.lower():
        raise DomainError(
            _("This invitation is for %(email)s. Log in with that address.")
            % {"email": invitation.email},
            code="wrong_user",
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(actor=user, action="invitation.accept", obj=invitation, role=invitation.role)
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation was already used or withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(actor=by, action="invitation.revoke", obj=invitation)


@transaction.atomic
def remove_membership(*, membership: Membership, by: User) -> None:
    """Take a role away. The last manager of an organisation cannot be removed."""
    if membership.role in MANAGER_ROLES:
        others = Membership.objects.filter(
            organisation=membership.organisation, role__in=MANAGER_ROLES, user__is_active=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise DomainError(_("An organisation needs at least one manager."))
    audit(
        actor=by,
        action="membership.remove",
        obj=membership,
        role=membership.role,
        user_id=membership.user_id,
    )
    membership.delete()


def end_sessions(user: User) -> int:
    """Log the user out everywhere; returns how many sessions ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def deactivate_user(*, user: User, by: User) -> None:
    """Block the account, end every session and revoke its API tokens (target A5)."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions(user)
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit(actor=by, action="user.deactivate", obj=user)


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the raw token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    raw = ApiToken.new_token()
    token = ApiToken.objects.create(
        user=user, name=name[:100], token_hash=hash_secret(raw), hint=raw[:8]
    )
    audit(actor=user, action="api_token.create", obj=token)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=by, action="api_token.revoke", obj=token)


def record_login(*, user: User, session_key: str) -> None:
    UserSession.objects.get_or_create(user=user, session_key=session_key)
    audit(actor=user, action="user.login", obj=user)
