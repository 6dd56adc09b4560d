"""Certificate verification codes: an HMAC of the registration, checkable without a login.

The code is derived from the registration's id, participant, workshop and the server's secret
key, so it cannot be guessed from the id and it changes if the registration is moved to someone
else. Nothing is stored: the verification page recomputes it.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from leerorkest.academie.models import Registration

SALT = "leerorkest.academie.certificate"
CODE_LENGTH = 16  # hex digits: 64 bits, plenty for a link nobody can enumerate


def verification_code(registration: Registration) -> str:
    value = f"{registration.pk}:{registration.user_id}:{registration.workshop_id}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:CODE_LENGTH]


def code_matches(registration: Registration, code: str) -> bool:
    return constant_time_compare(verification_code(registration), (code or "").lower())


def display_code(registration: Registration) -> str:
    """The code as printed: the registration number, then the code in groups of four."""
    code = verification_code(registration)
    groups = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    return f"{registration.pk}-{groups}".upper()


def verification_url(registration: Registration) -> str:
    path = reverse(
        "academie:verify",
        kwargs={"pk": registration.pk, "code": verification_code(registration)},
    )
    return settings.SITE_URL + path
