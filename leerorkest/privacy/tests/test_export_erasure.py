"""Target P2: subject-access export (JSON and a readable page) and erasure by pseudonymisation;
A7: each export writes one audit row."""

import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.privacy import actions, export
from leerorkest.privacy.tests.builders import NAMES, child_with_history
from leerorkest.programme.models import EnsembleMember, InstrumentChoice, LessonGroupMember
from leerorkest.schools.models import ClassPlacement, Consent, Pupil


@pytest.fixture
def child(personas):
    return child_with_history(personas)


def export_json(client, pupil) -> dict:
    response = client.get(reverse("privacy:pupil_export_json", args=[pupil.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def test_json_export_holds_everything_linked(client, personas, child):
    client.force_login(personas.owner)
    client.get(reverse("privacy:pupil_consent", args=[child.pupil.pk]))  # an earlier view
    response = client.get(reverse("privacy:pupil_export_json", args=[child.pupil.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="leerling-{child.pupil.pk}.json"'
    )
    data = json.loads(response.content)
    assert data["format"] == export.FORMAT
    pupil = data["pupil"]
    assert pupil["given_name"] == "Fenna" and pupil["surname_prefix"] == "van der"
    assert pupil["date_of_birth"] == "2016-03-14"
    assert pupil["parent_email"] == "marieke.zwaluw@mail.example"
    assert pupil["organisation"] == {"id": personas.organisation.pk, "name": "Leerorkest Oost"}
    assert data["placements"] == [
        {
            "school_year": "2026-2027",
            "school": "OBS De Vioolsleutel",
            "brin": child.school.brin,
            "class": "6B",
            "groep": 6,
            "leaving": False,
        }
    ]
    assert data["instrument_choices"][0]["first"] == "violin"
    assert data["instrument_choices"][0]["assigned"] == "violin"
    assert data["lesson_groups"][0]["group"] == "Viool 6-1"
    assert data["lesson_groups"][0]["teacher"] == "Docent Viool"
    assert data["ensembles"][0]["ensemble"] == "Orkest 6 De Vioolsleutel"
    assert data["consents"][0]["given_by"] == "moeder Zwaluw"
    assert data["consents"][0]["given"] is True
    assert [e["action"] for e in data["audit_events"]] == ["pupil.view_consent", "pupil.export"]


def test_export_page_is_readable_and_printable(client, personas, child):
    client.force_login(personas.owner)
    response = client.get(reverse("privacy:pupil_export", args=[child.pupil.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    for text in ["Fenna", "6B", "Viool 6-1", "Orkest 6 De Vioolsleutel", "moeder Zwaluw"]:
        assert text in html
    assert "css/privacy.css" in html  # its print styles hide the navigation
    assert "style=" not in html and "<script>" not in html


@pytest.mark.parametrize("name", ["privacy:pupil_export", "privacy:pupil_export_json"])
def test_each_export_writes_exactly_one_audit_row(client, personas, child, name):
    client.force_login(personas.owner)
    before = AuditEvent.objects.count()
    client.get(reverse(name, args=[child.pupil.pk]))
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_id, e.actor) for e in rows] == [
        ("pupil.export", str(child.pupil.pk), personas.owner)
    ]


def test_only_coordinators_export_and_erase(client, personas, child):
    for user, status in [
        (child.contact, 403),
        (personas.member, 403),
        (personas.outsider, 404),
    ]:
        client.force_login(user)
        for name in ["privacy:pupil_export", "privacy:pupil_export_json", "privacy:pupil_erase"]:
            assert client.get(reverse(name, args=[child.pupil.pk])).status_code == status
        response = client.post(
            reverse("privacy:pupil_erase", args=[child.pupil.pk]), {"confirm": "on"}
        )
        assert response.status_code == status
    assert Pupil.objects.get(pk=child.pupil.pk).pseudonymised_at is None
    assert not AuditEvent.objects.filter(action="pupil.export").exists()


def related_counts(pupil):
    return {
        "placements": ClassPlacement.objects.filter(pupil=pupil).count(),
        "choices": InstrumentChoice.objects.filter(pupil=pupil).count(),
        "groups": LessonGroupMember.objects.filter(pupil=pupil).count(),
        "orchestras": EnsembleMember.objects.filter(pupil=pupil).count(),
        "consents": Consent.objects.filter(pupil=pupil).count(),
    }


def test_erasure_needs_confirmation(client, personas, child):
    client.force_login(personas.owner)
    url = reverse("privacy:pupil_erase", args=[child.pupil.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Fenna" in page.content.decode()
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"]
    assert Pupil.objects.get(pk=child.pupil.pk).given_name == "Fenna"
    assert not AuditEvent.objects.filter(action="pupil.erase").exists()


def test_erasure_pseudonymises_and_keeps_everything_else(client, personas, child):
    before = related_counts(child.pupil)
    client.force_login(personas.owner)
    response = client.post(reverse("privacy:pupil_erase", args=[child.pupil.pk]), {"confirm": "on"})
    assert response.status_code == 302
    pupil = Pupil.objects.get(pk=child.pupil.pk)
    assert pupil.given_name == actions.PSEUDONYM_GIVEN_NAME
    assert len(pupil.surname) == 6 and pupil.surname.isalnum()
    assert pupil.surname_prefix == ""
    assert pupil.date_of_birth is None
    assert (pupil.parent_name, pupil.parent_phone, pupil.parent_email) == ("", "", "")
    assert pupil.secondary_school == ""
    assert pupil.pseudonymised_at is not None
    assert related_counts(pupil) == before
    event = AuditEvent.objects.get(action="pupil.erase")
    assert event.object_repr == pupil.audit_label  # a number, never the name
    # Gone from every list, for the coordinator and for the school contact.
    assert not Pupil.objects.for_user(personas.owner).filter(pk=pupil.pk).exists()
    assert not Pupil.objects.for_user(child.contact).filter(pk=pupil.pk).exists()
    # No trace of the names anywhere in the export.
    text = json.dumps(export_json(client, pupil), ensure_ascii=False)
    for name in NAMES:
        assert name not in text, name
    page = client.get(reverse("privacy:pupil_export", args=[pupil.pk])).content.decode()
    for name in NAMES:
        assert name not in page, name
    assert f"Leerling {pupil.surname}" in page


def test_erasing_twice_is_refused(client, personas, child):
    actions.erase_pupil(pupil=child.pupil, by=personas.owner)
    client.force_login(personas.owner)
    url = reverse("privacy:pupil_erase", args=[child.pupil.pk])
    assert 'name="confirm"' not in client.get(url).content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="pupil.erase").count() == 1


def test_erasure_decides_about_every_field_of_a_pupil():
    """A new field on Pupil must be added to ERASED_FIELDS or KEPT_FIELDS."""
    fields = {f.name for f in Pupil._meta.concrete_fields}
    assert set(actions.ERASED_FIELDS).isdisjoint(actions.KEPT_FIELDS)
    assert fields == set(actions.ERASED_FIELDS) | set(actions.KEPT_FIELDS)


def test_export_covers_every_model_that_points_at_a_pupil():
    """A new table with a pupil in it (loans, attendance…) must get an export section."""
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField)
        and field.related_model is Pupil
    }
    assert pointing
    assert pointing - export.covered_models() == set()
