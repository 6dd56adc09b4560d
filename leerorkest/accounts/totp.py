"""Second factor for the roles that see children's data (target A4): TOTP, RFC 6238.

SHA-1, 6 digits, 30-second steps, one step of clock drift either way, written with hmac, hashlib
and base32 from the standard library. The shared secret is stored encrypted with a key derived
from SECRET_KEY, so a copy of the database alone does not give away anyone's codes.

Until a person who needs it has entered a code in the current session, `TwoFactorMiddleware`
sends every page to enrolment or verification. The state lives in the session; failed attempts,
the lockout and the last accepted time step live in the database, so they hold across processes.
"""

import base64
import hashlib
import hmac
import re
import secrets
import struct
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import RecoveryCode, TotpDevice, User, hash_secret
from leerorkest.accounts.roles import Role

# The one place that says who must use a second factor: every role that can see pupils.
TWO_FACTOR_ROLES = frozenset(
    {Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_CONTACT, Role.PARTNER_COORDINATOR}
)

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends for SHA-1
MAX_FAILURES = 5
LOCK_SECONDS = 5 * 60
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
ISSUER = "Leerorkest"

SESSION_KEY = "two_factor"

# Tests move time by replacing this.
clock = time.time


# --- The algorithm (RFC 4226 and RFC 6238) ---------------------------------------------------


def hotp(secret: bytes, counter: int, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    mac = hmac.new(secret, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float) -> int:
    return int(at // STEP_SECONDS)


def totp(secret: bytes, at: float, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    return hotp(secret, time_step(at), digits=digits, digest=digest)


def matching_steps(secret: bytes, code: str, at: float) -> list[int]:
    """The time steps around `at` (±DRIFT_STEPS) whose code is `code`, compared in constant time."""
    now = time_step(at)
    return [
        step
        for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1)
        if hmac.compare_digest(hotp(secret, step), code)
    ]


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def b32(secret: bytes) -> str:
    return base64.b32encode(secret).decode().rstrip("=")


def from_b32(text: str) -> bytes:
    text = re.sub(r"\s", "", text).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def grouped(secret: bytes) -> str:
    """The secret for typing by hand: base32 in groups of four."""
    text = b32(secret)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(secret: bytes, account: str) -> str:
    label = quote(f"{ISSUER}:{account}")
    query = urlencode(
        {
            "secret": b32(secret),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str, *, title: str) -> str:
    """The QR code as an inline <svg> element: no script, no style attribute (the CSP allows it)."""
    import segno

    return segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=title, omitsize=True
    )


# --- Storing the secret -------------------------------------------------------------------------
# Encrypt-then-MAC with keys derived from SECRET_KEY: an HMAC-SHA256 keystream (counter mode)
# and an HMAC-SHA256 tag. Old keys in SECRET_KEY_FALLBACKS still decrypt, so the secret key can be
# rotated without everyone enrolling again.

_FORMAT = "v1"
_NONCE_BYTES = 16


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    root = hashlib.sha256(f"leerorkest.totp:{secret_key}".encode()).digest()
    encryption = hmac.new(root, b"encrypt", hashlib.sha256).digest()
    authentication = hmac.new(root, b"authenticate", hashlib.sha256).digest()
    return encryption, authentication


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + struct.pack(">I", counter), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def encrypt_secret(secret: bytes) -> str:
    encryption, authentication = _keys(settings.SECRET_KEY)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = _xor(secret, _keystream(encryption, nonce, len(secret)))
    tag = hmac.new(authentication, nonce + sealed, hashlib.sha256).digest()
    return f"{_FORMAT}${base64.urlsafe_b64encode(nonce + sealed + tag).decode()}"


def decrypt_secret(stored: str) -> bytes:
    version, _sep, payload = stored.partition("$")
    if version != _FORMAT:
        raise ValueError("unknown secret format")
    raw = base64.urlsafe_b64decode(payload)
    nonce, sealed, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-32], raw[-32:]
    for secret_key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        encryption, authentication = _keys(secret_key)
        expected = hmac.new(authentication, nonce + sealed, hashlib.sha256).digest()
        if hmac.compare_digest(expected, tag):
            return _xor(sealed, _keystream(encryption, nonce, len(sealed)))
    raise ValueError("the secret does not match SECRET_KEY (or its fallbacks)")


# --- Recovery codes ---------------------------------------------------------------------------


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def _replace_recovery_codes(device: TotpDevice) -> list[str]:
    device.recovery_codes.all().delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=hash_secret(normalise(code))) for code in codes
    )
    return codes


# --- Who needs it, and the session's state ------------------------------------------------------


def role_requires(roles) -> bool:
    return bool(set(roles) & TWO_FACTOR_ROLES)


def confirmed_device(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def start_session(request, user) -> None:
    """At every password login: the second factor is still to be given in this session."""
    enrolled = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    request.session[SESSION_KEY] = {"user": user.pk, "enrolled": enrolled, "verified": False}


def session_state(request) -> dict:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("user") != request.user.pk:
        # A session from before this feature, or a login that bypassed the signal.
        start_session(request, request.user)
        state = request.session[SESSION_KEY]
    return state


def mark_verified(request, *, enrolled: bool = True) -> None:
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "enrolled": enrolled,
        "verified": enrolled,
    }


def mark_reset(request) -> None:
    request.session[SESSION_KEY] = {"user": request.user.pk, "enrolled": False, "verified": False}


def held_roles(request) -> set[str]:
    context = getattr(request, "context", None)
    if context is not None and context.user == request.user:
        return {m.role for m in context.memberships}
    return set(
        request.user.memberships.filter(organisation__is_active=True).values_list("role", flat=True)
    )


def needs_verification(request) -> bool:
    """True while this session must still give a second factor before it may go on."""
    state = session_state(request)
    if state["verified"]:
        return False
    if state["enrolled"]:
        # Whoever set up an authenticator app is asked for a code, required or not.
        return True
    return bool(settings.TWO_FACTOR_REQUIRED) and role_requires(held_roles(request))


def is_verified(request) -> bool:
    return bool(session_state(request)["verified"])


# --- Actions ------------------------------------------------------------------------------------


@dataclass
class Enrolment:
    device: TotpDevice
    secret: bytes

    @property
    def uri(self) -> str:
        return provisioning_uri(self.secret, self.device.user.email)


@transaction.atomic
def begin_enrolment(*, user: User) -> Enrolment:
    """A device waiting for its first code: the same one on every visit until it is confirmed."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise DomainError(_("You have already set up an authenticator app."), code="enrolled")
    if device is None:
        secret = new_secret()
        device = TotpDevice.objects.create(user=user, encrypted_secret=encrypt_secret(secret))
    else:
        secret = decrypt_secret(device.encrypted_secret)
    return Enrolment(device=device, secret=secret)


def confirm_enrolment(*, user: User, code: str) -> list[str]:
    """Confirm the waiting device with its first code; returns the ten recovery codes (shown once).

    Wrong codes count towards the lockout like at login.
    """
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise DomainError(_("Start the set-up again."), code="no_device", field="code")
    _check_code(device, code, stage="enrolment", allow_recovery=False)
    with transaction.atomic():
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
        codes = _replace_recovery_codes(device)
        audit(actor=user, action="totp.enrol", obj=user)
    return codes


def verify(*, user: User, code: str) -> str:
    """Check a code at login: "totp" for an app code, "recovery" for a one-time recovery code."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError(_("Set up an authenticator app first."), code="no_device", field="code")
    return _check_code(device, code, stage="login", allow_recovery=True)


def _check_code(device: TotpDevice, code: str, *, stage: str, allow_recovery: bool) -> str:
    """Accept a code once, or count a failure. Not one transaction on purpose: a failure must be
    counted even though the caller turns it into an error."""
    now = timezone.now()
    if device.locked_until and device.locked_until > now:
        minutes = max(1, round((device.locked_until - now).total_seconds() / 60))
        raise DomainError(
            _("Too many wrong codes. Try again in %(minutes)s minutes.") % {"minutes": minutes},
            code="rate_limited",
            field="code",
        )
    entered = normalise(code)
    reason = "wrong"
    if re.fullmatch(rf"[0-9]{{{DIGITS}}}", entered):
        steps = matching_steps(decrypt_secret(device.encrypted_secret), entered, clock())
        if steps:
            step = max(steps)
            # One conditional update: two requests with the same code cannot both win.
            accepted = (
                TotpDevice.objects.filter(pk=device.pk)
                .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
                .update(last_used_step=step, failed_attempts=0, locked_until=None)
            )
            if accepted:
                return "totp"
            reason = "replay"
    elif allow_recovery and len(entered) == 10:
        used = RecoveryCode.objects.filter(
            device=device, code_hash=hash_secret(entered), used_at__isnull=True
        ).update(used_at=now)
        if used:
            TotpDevice.objects.filter(pk=device.pk).update(failed_attempts=0, locked_until=None)
            left = device.recovery_codes.filter(used_at__isnull=True).count()
            audit(actor=device.user, action="totp.recovery_code_used", obj=device.user, left=left)
            return "recovery"
    _count_failure(device, stage=stage, reason=reason)
    if reason == "replay":
        raise DomainError(
            _("This code has been used already. Wait for the next code in your app."),
            code="replay",
            field="code",
        )
    raise DomainError(
        _("This code is not right. Check the time on your phone and try the newest code."),
        code="wrong_code",
        field="code",
    )


def _count_failure(device: TotpDevice, *, stage: str, reason: str) -> None:
    TotpDevice.objects.filter(pk=device.pk).update(failed_attempts=F("failed_attempts") + 1)
    failures = TotpDevice.objects.values_list("failed_attempts", flat=True).get(pk=device.pk)
    audit(
        actor=device.user,
        action="totp.verify_failed",
        obj=device.user,
        stage=stage,
        reason=reason,
        attempt=failures,
    )
    if failures >= MAX_FAILURES:
        TotpDevice.objects.filter(pk=device.pk).update(
            failed_attempts=0, locked_until=timezone.now() + timedelta(seconds=LOCK_SECONDS)
        )
        audit(actor=device.user, action="totp.locked", obj=device.user, seconds=LOCK_SECONDS)


def _check_password(user: User, password: str) -> None:
    if not user.check_password(password or ""):
        raise DomainError(_("This is not your password."), code="wrong_password", field="password")


@transaction.atomic
def reset_device(*, user: User, password: str) -> None:
    """Remove the user's own authenticator app and recovery codes, after the password again."""
    _check_password(user, password)
    deleted, _detail = TotpDevice.objects.filter(user=user).delete()
    if deleted:
        audit(actor=user, action="totp.reset", obj=user)


@transaction.atomic
def new_recovery_codes(*, user: User, password: str) -> list[str]:
    """Replace the recovery codes (the old ones stop working), after the password again."""
    _check_password(user, password)
    device = confirmed_device(user)
    if device is None:
        raise DomainError(_("Set up an authenticator app first."), code="no_device")
    codes = _replace_recovery_codes(device)
    audit(actor=user, action="totp.recovery_codes_replaced", obj=user)
    return codes
