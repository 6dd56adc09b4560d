"""Professionals register to contribute: the account waits for its e-mail address to be verified
by a one-time link; only a SHA-256 of the link's token is stored, and the token is made by the
e-mail task, so it is never stored anywhere (not even in the task queue)."""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import User, hash_secret
from leerorkest.knowledge.models import Contributor

VERIFICATION_DAYS = 3
# Every registration sends an e-mail: at most this many per client address and per e-mail
# address in an hour, so the form cannot be used to flood mailboxes (or our sender's name).
REGISTRATIONS_PER_ADDRESS = 20  # a school's network may hold a team registering together
REGISTRATIONS_PER_EMAIL = 3
REGISTRATION_WINDOW = 60 * 60  # seconds


def _count(kind: str, value: str, now: float) -> int:
    """One more registration in this hour for `value` (hashed: no addresses in the cache)."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"knowledge:register:{kind}:{digest}:{int(now // REGISTRATION_WINDOW)}"
    cache.add(key, 0, timeout=REGISTRATION_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=REGISTRATION_WINDOW)
        return 1
    # Some backends (database, file) reset the timeout to their default on incr.
    cache.touch(key, REGISTRATION_WINDOW)
    return count


def check_registration_rate(*, client_ip: str | None, email: str, now: float | None = None) -> None:
    """Count a registration from this client for this address; a DomainError (code
    "rate_limited") when either passed its hourly limit. Counted in Django's cache, shared by
    every app process when the cache is (the limit is per process with the local-memory one)."""
    now = time.time() if now is None else now
    email = User.objects.normalize_email(email).strip().lower()
    over_address = _count("ip", client_ip or "unknown", now) > REGISTRATIONS_PER_ADDRESS
    over_email = _count("email", email, now) > REGISTRATIONS_PER_EMAIL
    if over_address or over_email:
        raise DomainError(
            _("Too many registrations from here or for this address. Try again in an hour."),
            code="rate_limited",
        )


@transaction.atomic
def register_contributor(
    *,
    full_name: str,
    email: str,
    password: str,
    organisation_name: str,
    city: str,
    country: str,
) -> None:
    """Create an inactive account with a contributor profile and e-mail a verification link.

    An address that already has an account gets a message saying so instead (the form answers
    the same either way, so nobody learns which addresses have accounts); an unverified
    contributor who registers again gets a fresh link and keeps their first details.
    """
    from leerorkest.knowledge.tasks import send_already_registered, send_verification

    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        profile = Contributor.objects.filter(user=existing).first()
        if profile is not None and not profile.is_verified:
            transaction.on_commit(lambda: send_verification.enqueue(profile.pk))
        else:
            transaction.on_commit(lambda: send_already_registered.enqueue(existing.pk))
        return
    user = User.objects.create_user(email, password, full_name=full_name.strip())
    user.is_active = False
    user.save(update_fields=["is_active"])
    contributor = Contributor.objects.create(
        user=user,
        organisation_name=organisation_name.strip(),
        city=city.strip(),
        country=country,
    )
    audit(actor=None, action="knowledge.contributor_register", obj=contributor)
    transaction.on_commit(lambda: send_verification.enqueue(contributor.pk))


@transaction.atomic
def become_contributor(
    *, user: User, organisation_name: str, city: str, country: str
) -> Contributor:
    """A logged-in person (say, a coordinator) adds a contributor profile; they verify too."""
    from leerorkest.knowledge.tasks import send_verification

    if Contributor.objects.filter(user=user).exists():
        raise DomainError(_("You are registered as a contributor already."))
    contributor = Contributor.objects.create(
        user=user,
        organisation_name=organisation_name.strip(),
        city=city.strip(),
        country=country,
    )
    audit(actor=user, action="knowledge.contributor_register", obj=contributor)
    transaction.on_commit(lambda: send_verification.enqueue(contributor.pk))
    return contributor


@transaction.atomic
def issue_verification_link(*, contributor_id: int) -> tuple[Contributor, str] | None:
    """A fresh one-time link for an unverified contributor (the previous link stops working)."""
    contributor = (
        Contributor.objects.select_for_update()
        .select_related("user")
        .filter(pk=contributor_id)
        .first()
    )
    if contributor is None or contributor.is_verified:
        return None
    token = secrets.token_urlsafe(32)
    contributor.verification_hash = hash_secret(token)
    contributor.verification_sent_at = timezone.now()
    contributor.save(update_fields=["verification_hash", "verification_sent_at"])
    return contributor, settings.SITE_URL + reverse("knowledge:verify", args=[token])


def find_open_verification(token: str) -> Contributor | None:
    """The contributor whose unused, unexpired link this is; None for anything else."""
    if not token:
        return None
    contributor = (
        Contributor.objects.select_related("user")
        .filter(verification_hash=hash_secret(token), email_verified_at__isnull=True)
        .first()
    )
    if contributor is None or contributor.verification_sent_at is None:
        return None
    if timezone.now() - contributor.verification_sent_at > timedelta(days=VERIFICATION_DAYS):
        return None
    return contributor


@transaction.atomic
def verify_email(*, token: str) -> Contributor:
    """Use the one-time link: the address is verified and the account may log in and contribute.

    The link works once; a used, replaced, expired or made-up link is refused.
    """
    found = find_open_verification(token)
    if found is None:
        raise DomainError(_("This link is no longer valid."), code="link_invalid")
    contributor = Contributor.objects.select_for_update().select_related("user").get(pk=found.pk)
    if contributor.is_verified or contributor.verification_hash != hash_secret(token):
        raise DomainError(_("This link is no longer valid."), code="link_invalid")
    contributor.email_verified_at = timezone.now()
    contributor.verification_hash = ""
    contributor.save(update_fields=["email_verified_at", "verification_hash"])
    user = contributor.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit(actor=user, action="knowledge.contributor_verify", obj=contributor)
    return contributor
