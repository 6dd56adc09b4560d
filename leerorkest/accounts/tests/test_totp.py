"""Target A4: the TOTP second factor for every role that sees children's data."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts import totp
from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.models import AuditEvent, RecoveryCode, TotpDevice, hash_secret
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.testing import PASSWORD, make_member, make_organisation, make_user

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/two-factor/verify/"

# RFC 6238 appendix B, SHA-1 (seed "12345678901234567890", 8 digits).
RFC6238_SHA1 = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]
# RFC 4226 appendix D: HOTP values for counters 0..9.
RFC4226 = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]
SEED = b"12345678901234567890"


@pytest.fixture
def clock(monkeypatch):
    """Control the time the code check sees; starts now, `clock.step()` moves 30 s on."""

    class Clock:
        now = time.time()

        def __call__(self):
            return self.now

        def step(self, steps: int = 1):
            self.now += steps * totp.STEP_SECONDS

    fake = Clock()
    monkeypatch.setattr(totp, "clock", fake)
    return fake


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def log_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def enrol(user) -> bytes:
    """Enrol `user` directly through the actions; returns the secret."""
    enrolment = totp.begin_enrolment(user=user)
    now = time.time() - 10 * totp.STEP_SECONDS  # an old step, so tests' own codes are newer
    totp.TotpDevice.objects.filter(pk=enrolment.device.pk).update(
        confirmed_at=timezone.now(), last_used_step=totp.time_step(now)
    )
    return enrolment.secret


def code_at(secret: bytes, clock) -> str:
    return totp.totp(secret, clock())


# --- The algorithm ------------------------------------------------------------------------------


@pytest.mark.parametrize(("at", "expected"), RFC6238_SHA1)
def test_rfc6238_sha1_vectors(at, expected):
    assert totp.totp(SEED, at, digits=8) == expected
    # Six digits are the last six of the same number.
    assert totp.totp(SEED, at) == expected[-6:]


def test_rfc4226_hotp_vectors():
    assert [totp.hotp(SEED, counter) for counter in range(10)] == RFC4226


def test_one_step_of_drift_either_way_is_accepted():
    at = 1111111111
    assert totp.matching_steps(SEED, totp.totp(SEED, at - 30), at) == [totp.time_step(at) - 1]
    assert totp.matching_steps(SEED, totp.totp(SEED, at + 30), at) == [totp.time_step(at) + 1]
    assert totp.matching_steps(SEED, totp.totp(SEED, at + 60), at) == []


def test_base32_and_provisioning_uri():
    secret = totp.new_secret()
    assert len(secret) == 20
    assert totp.from_b32(totp.grouped(secret).lower()) == secret
    uri = totp.provisioning_uri(secret, "a.b@school.example")
    assert uri.startswith("otpauth://totp/Leerorkest%3Aa.b%40school.example?")
    assert f"secret={totp.b32(secret)}" in uri
    assert "period=30" in uri and "digits=6" in uri and "algorithm=SHA1" in uri


def test_qr_code_is_inline_svg_without_style_or_script():
    svg = totp.qr_svg("otpauth://totp/x?secret=ABC", title="QR")
    assert svg.startswith("<svg") and "<title>QR</title>" in svg
    assert "style" not in svg and "script" not in svg


def test_secret_is_encrypted_and_authenticated(settings):
    secret = totp.new_secret()
    stored = totp.encrypt_secret(secret)
    assert totp.b32(secret) not in stored and secret.hex() not in stored
    assert totp.encrypt_secret(secret) != stored  # a fresh nonce each time
    assert totp.decrypt_secret(stored) == secret
    tampered = stored[:-6] + ("AAAAAA" if not stored.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(ValueError):
        totp.decrypt_secret(tampered)
    # A rotated SECRET_KEY still reads it through SECRET_KEY_FALLBACKS; a foreign key does not.
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    with pytest.raises(ValueError):
        totp.decrypt_secret(stored)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert totp.decrypt_secret(stored) == secret


def test_the_required_roles_are_those_that_see_pupils():
    assert {
        Role.COORDINATOR,
        Role.TEACHER,
        Role.SCHOOL_CONTACT,
        Role.PARTNER_COORDINATOR,
    } == totp.TWO_FACTOR_ROLES


# --- Who is sent where --------------------------------------------------------------------------


def test_unverified_coordinator_is_sent_to_enrolment_from_every_page(client, personas, required):
    log_in(client, personas.owner)
    for url in [
        reverse("home"),
        reverse("accounts:profile"),
        reverse("accounts:organisation_detail", args=[personas.organisation.pk]),
        reverse("privacy:register"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == f"{SETUP}?next={url.replace('/', '%2F')}"
    # Still reachable: the second-factor pages, logging out, the health check.
    assert client.get(SETUP).status_code == 200
    assert client.get("/healthz").status_code == 200
    # A POST elsewhere does not get through either (nothing is changed).
    response = client.post(reverse("accounts:token_create"), {"name": "script"})
    assert response.status_code == 302
    assert not personas.owner.api_tokens.exists()
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).headers["Location"].startswith(LOGIN)


def test_htmx_requests_are_redirected_with_a_header(client, personas, required):
    log_in(client, personas.owner)
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith(SETUP)


@pytest.mark.parametrize(
    ("kind", "role", "needs"),
    [
        (OrgKind.PROGRAMME, Role.TEACHER, True),
        (OrgKind.SCHOOL, Role.SCHOOL_CONTACT, True),
        (OrgKind.PARTNER, Role.PARTNER_COORDINATOR, True),
        (OrgKind.DEPOT, Role.DEPOT_STAFF, False),
        (OrgKind.DEPOT, Role.WORKSHOP_VOLUNTEER, False),
    ],
)
def test_every_role_that_sees_pupils_needs_it(client, db, required, kind, role, needs):
    user = make_member(make_organisation(kind=kind), role)
    log_in(client, user)
    assert (client.get(reverse("home")).status_code == 302) is needs


def test_platform_admin_without_pupil_roles_is_not_asked(client, db, required):
    admin = make_user(is_platform_admin=True)
    log_in(client, admin)
    assert client.get(reverse("home")).status_code == 200


def test_switched_off_nobody_is_asked_unless_they_enrolled(client, personas, settings):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, personas.owner)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))
    enrol(personas.member)
    log_in(client, personas.member)
    assert client.get(reverse("home")).headers["Location"].startswith(VERIFY)


def test_api_ignores_an_unverified_session_but_accepts_personal_tokens(client, personas, required):
    _token, raw = create_api_token(user=personas.owner, name="script")
    log_in(client, personas.owner)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    # A bogus token does not fall back to the unverified session.
    response = client.get("/api/v1/me", headers={"authorization": "Bearer lo_nonsense"})
    assert response.status_code == 401


# --- Enrolment ----------------------------------------------------------------------------------


def test_enrolment_with_qr_code_key_and_first_code(client, personas, required, clock):
    log_in(client, personas.owner)
    page = client.get(f"{SETUP}?next=/accounts/profile/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'class="segno"' in html
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', html).group(1)
    secret = totp.from_b32(key)
    device = TotpDevice.objects.get(user=personas.owner)
    assert device.confirmed_at is None
    assert totp.decrypt_secret(device.encrypted_secret) == secret
    assert key.replace(" ", "") not in device.encrypted_secret
    # Reloading shows the same key: a half-scanned code keeps working.
    assert key in client.get(SETUP).content.decode()

    wrong = client.post(SETUP, {"code": "000000" if code_at(secret, clock) != "000000" else "1"})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["code"]

    done = client.post(SETUP, {"code": code_at(secret, clock), "next": "/accounts/profile/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    html = done.content.decode()
    assert all(code in html for code in codes)
    device.refresh_from_db()
    assert device.confirmed_at is not None
    stored = set(RecoveryCode.objects.filter(device=device).values_list("code_hash", flat=True))
    assert stored == {hash_secret(totp.normalise(c)) for c in codes}
    assert AuditEvent.objects.filter(action="totp.enrol", actor=personas.owner).count() == 1
    assert AuditEvent.objects.filter(action="totp.verify_failed", actor=personas.owner).exists()
    # Verified in this session: every page opens.
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/accounts/profile/").status_code == 200
    # The set-up page now shows the status and no secret.
    status = client.get(SETUP)
    assert status.status_code == 200
    assert key not in status.content.decode()
    assert status.context["codes_left"] == 10


def test_enrolment_can_be_done_voluntarily_when_not_required(client, personas, clock):
    client.force_login(personas.member)
    html = client.get(SETUP).content.decode()
    secret = totp.from_b32(re.search(r'id="totp-key">([A-Z2-7 ]+)<', html).group(1))
    assert client.post(SETUP, {"code": code_at(secret, clock)}).status_code == 200
    assert TotpDevice.objects.get(user=personas.member).confirmed_at is not None


# --- Verification at login ----------------------------------------------------------------------


def test_login_asks_for_a_code_and_accepts_the_right_one(client, personas, required, clock):
    secret = enrol(personas.owner)
    log_in(client, personas.owner)
    response = client.get(reverse("accounts:profile"))
    assert response.headers["Location"] == f"{VERIFY}?next=%2Faccounts%2Fprofile%2F"
    # The enrolment page sends an enrolled person to verification, without showing the secret.
    assert client.get(SETUP).headers["Location"].startswith(VERIFY)

    assert client.post(VERIFY, {"code": "12345"}).status_code == 400
    event = AuditEvent.objects.get(action="totp.verify_failed", actor=personas.owner)
    assert event.details["stage"] == "login"

    response = client.post(VERIFY, {"code": code_at(secret, clock), "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/profile/"
    assert client.get(reverse("home")).status_code == 200
    # An outside "next" is not followed.
    client.post(reverse("accounts:logout"))
    log_in(client, personas.owner)
    clock.step()
    response = client.post(
        VERIFY, {"code": code_at(secret, clock), "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == reverse("home")


def test_each_password_login_needs_its_own_code(client, personas, required, clock):
    secret = enrol(personas.owner)
    log_in(client, personas.owner)
    client.post(VERIFY, {"code": code_at(secret, clock)})
    assert client.get(reverse("home")).status_code == 200
    log_in(client, personas.owner)  # a new password login in the same browser
    assert client.get(reverse("home")).headers["Location"].startswith(VERIFY)


def test_a_code_works_only_once(client, personas, required, clock):
    secret = enrol(personas.owner)
    code = code_at(secret, clock)
    log_in(client, personas.owner)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    # Someone who saw the code tries it in another browser within the same 30 seconds.
    other = type(client)()
    log_in(other, personas.owner)
    replay = other.post(VERIFY, {"code": code})
    assert replay.status_code == 400
    assert replay.context["form"].errors["code"]
    assert AuditEvent.objects.filter(action="totp.verify_failed", details__reason="replay").exists()
    # An older code (previous step) is refused as well; the next one works.
    assert other.post(VERIFY, {"code": totp.totp(secret, clock() - 30)}).status_code == 400
    clock.step()
    assert other.post(VERIFY, {"code": code_at(secret, clock)}).status_code == 302


def test_recovery_codes_work_once(client, personas, required, clock):
    enrol(personas.owner)
    codes = totp.new_recovery_codes(user=personas.owner, password=PASSWORD)
    log_in(client, personas.owner)
    response = client.post(VERIFY, {"code": codes[0].lower().replace("-", " ")})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="totp.recovery_code_used").details == {"left": 9}
    client.post(reverse("accounts:logout"))
    log_in(client, personas.owner)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_wrong_codes_lock_verification_for_a_while(client, personas, required, clock):
    secret = enrol(personas.owner)
    log_in(client, personas.owner)
    right = code_at(secret, clock)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    for _attempt in range(totp.MAX_FAILURES):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
    assert AuditEvent.objects.filter(action="totp.locked", actor=personas.owner).count() == 1
    device = TotpDevice.objects.get(user=personas.owner)
    assert device.locked_until > timezone.now()
    # Even the right code is refused now, and it does not count as used.
    locked = client.post(VERIFY, {"code": right})
    assert locked.status_code == 400
    assert locked.context["form"].errors["code"]
    assert TotpDevice.objects.get(pk=device.pk).last_used_step < totp.time_step(clock())
    # The lock is in the database: another browser is locked out as well.
    other = type(client)()
    log_in(other, personas.owner)
    assert other.post(VERIFY, {"code": right}).status_code == 400
    # When the time is up, the right code works.
    TotpDevice.objects.filter(pk=device.pk).update(locked_until=timezone.now())
    assert client.post(VERIFY, {"code": right}).status_code == 302
    device.refresh_from_db()
    assert device.failed_attempts == 0


# --- Reset and new recovery codes ---------------------------------------------------------------


def test_reset_needs_a_verified_session_and_the_password(client, personas, required, clock):
    secret = enrol(personas.owner)
    log_in(client, personas.owner)
    # With only the password (no code yet) the reset is out of reach.
    response = client.post(reverse("accounts:totp_reset"), {"reset-password": PASSWORD})
    assert response.headers["Location"].startswith(VERIFY)
    assert TotpDevice.objects.filter(user=personas.owner).exists()

    client.post(VERIFY, {"code": code_at(secret, clock)})
    wrong = client.post(reverse("accounts:totp_reset"), {"reset-password": "not-my-password"})
    assert wrong.status_code == 400
    assert wrong.context["reset_form"].errors["password"]
    assert TotpDevice.objects.filter(user=personas.owner).exists()

    response = client.post(reverse("accounts:totp_reset"), {"reset-password": PASSWORD})
    assert response.headers["Location"] == SETUP
    assert not TotpDevice.objects.filter(user=personas.owner).exists()
    assert not RecoveryCode.objects.exists()
    assert AuditEvent.objects.filter(action="totp.reset", actor=personas.owner).count() == 1
    # Required role: straight back to enrolment with a new secret.
    assert client.get(reverse("home")).headers["Location"].startswith(SETUP)
    new_key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', client.get(SETUP).content.decode())
    assert totp.from_b32(new_key.group(1)) != secret


def test_new_recovery_codes_replace_the_old(client, personas, clock):
    secret = enrol(personas.owner)
    old = totp.new_recovery_codes(user=personas.owner, password=PASSWORD)
    log_in(client, personas.owner)
    client.post(VERIFY, {"code": code_at(secret, clock)})
    url = reverse("accounts:totp_recovery_codes")
    assert client.post(url, {"codes-password": "wrong-password-!!"}).status_code == 400
    response = client.post(url, {"codes-password": PASSWORD})
    assert response.status_code == 200
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    hashes = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert hashes == {hash_secret(totp.normalise(c)) for c in new}


def test_nobody_sees_another_persons_secret(client, personas, clock):
    other_secret = totp.begin_enrolment(user=personas.member).secret
    client.force_login(personas.owner)
    html = client.get(SETUP).content.decode()
    assert totp.grouped(other_secret) not in html
    assert totp.b32(other_secret) not in html
    # The secret is nowhere in the database in the clear.
    stored = TotpDevice.objects.get(user=personas.member).encrypted_secret
    assert totp.b32(other_secret) not in stored
