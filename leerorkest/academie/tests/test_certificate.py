"""Certificates: a printable page per attended registration, and a public check of its code."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from leerorkest.academie.certificates import display_code, verification_code
from leerorkest.academie.models import RegistrationStatus
from leerorkest.academie.tests.builders import make_registration, make_workshop
from leerorkest.accounts.roles import Role
from leerorkest.testing import make_member

S = RegistrationStatus


def attended(personas, **fields):
    workshop = make_workshop(
        personas.organisation,
        title="Orkestspel",
        starts_at=datetime(2025, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam")),
        place="Muziekcentrum Zuidoost",
    )
    return make_registration(workshop, personas.member, fields.pop("status", S.ATTENDED))


def test_the_certificate_shows_what_it_certifies(client, personas):
    registration = attended(personas)
    client.force_login(personas.member)
    response = client.get(reverse("academie:certificate", args=[registration.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        personas.member.full_name,
        "Orkestspel",
        "12 March 2025",
        "2.5",
        personas.organisation.name,
        display_code(registration),
        reverse("academie:verify", args=[registration.pk, verification_code(registration)]),
        "css/academie.css",
    ):
        assert text in html, text
    # The organiser prints it too; another teacher of the programme cannot.
    client.force_login(personas.owner)
    assert client.get(reverse("academie:certificate", args=[registration.pk])).status_code == 200
    client.force_login(make_member(personas.organisation, Role.TEACHER))
    assert client.get(reverse("academie:certificate", args=[registration.pk])).status_code == 404


def test_no_certificate_without_attendance(client, personas):
    registration = attended(personas, status=S.ABSENT)
    client.force_login(personas.member)
    assert client.get(reverse("academie:certificate", args=[registration.pk])).status_code == 404


def test_the_right_code_shows_name_workshop_and_date_only(client, personas):
    registration = attended(personas)
    url = reverse("academie:verify", args=[registration.pk, verification_code(registration)])
    response = client.get(url)  # nobody logged in
    assert response.status_code == 200
    html = response.content.decode()
    assert personas.member.full_name in html
    assert "Orkestspel" in html and "12 March 2025" in html
    assert personas.member.email not in html
    assert "Muziekcentrum Zuidoost" not in html
    # The code is accepted in capitals too, as printed.
    upper = reverse(
        "academie:verify", args=[registration.pk, verification_code(registration).upper()]
    )
    assert client.get(upper).status_code == 200


def test_a_wrong_code_or_a_registration_not_attended_is_404(client, personas):
    registration = attended(personas)
    code = verification_code(registration)
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    assert client.get(reverse("academie:verify", args=[registration.pk, wrong])).status_code == 404
    other = make_registration(registration.workshop, personas.owner, S.ATTENDED)
    # The code of one registration does not open another.
    assert client.get(reverse("academie:verify", args=[other.pk, code])).status_code == 404
    registration.status = S.ABSENT
    registration.save()
    assert client.get(reverse("academie:verify", args=[registration.pk, code])).status_code == 404


def test_codes_differ_per_registration_and_secret(personas, settings):
    one = attended(personas)
    two = make_registration(one.workshop, personas.owner, S.ATTENDED)
    assert verification_code(one) != verification_code(two)
    before = verification_code(one)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert verification_code(one) != before
