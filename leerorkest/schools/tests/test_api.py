"""The school, class, pupil and ensemble API: scoping and fields per role (A2, A3, A7)."""

import pytest

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.models import AuditEvent
from leerorkest.programme.models import Ensemble, EnsembleKind, EnsembleMember
from leerorkest.schools.tests.builders import build_world


@pytest.fixture
def world(personas):
    return build_world(personas)


def get(client, user, path, **params):
    _token, raw = create_api_token(user=user, name="test")
    return client.get("/api/v1" + path, params, headers={"authorization": f"Bearer {raw}"})


def test_schools_and_classes(client, personas, world):
    schools = get(client, personas.owner, "/schools").json()
    assert [s["brin"] for s in schools] == [world.school.brin]
    classes = get(client, personas.owner, f"/schools/{world.school.pk}/classes", year=2026).json()
    assert [(c["name"], c["pupil_count"]) for c in classes] == [
        ("5A", 3),
        ("6A", 3),
        ("7A", 3),
        ("8A", 3),
    ]
    assert get(client, personas.outsider, f"/schools/{world.school.pk}").status_code == 404
    assert get(client, personas.outsider, "/schools").json() == []


def test_fields_per_role(client, personas, world):
    pupil = world.pupils[3]  # in the teacher's lesson group
    coordinator = get(client, personas.owner, f"/pupils/{pupil.pk}").json()
    assert coordinator["parent_phone"] == "06-12345678"
    assert coordinator["date_of_birth"] is not None
    contact = get(client, world.contact, f"/pupils/{pupil.pk}").json()
    assert contact["parent_phone"] is None and contact["date_of_birth"] is not None
    teacher = get(client, personas.member, f"/pupils/{pupil.pk}").json()
    assert teacher["date_of_birth"] is None and teacher["parent_name"] is None
    assert teacher["class_name"] == "6A"
    assert get(client, personas.member, f"/pupils/{world.pupils[0].pk}").status_code == 404
    assert AuditEvent.objects.filter(action="pupil.view", object_id=str(pupil.pk)).count() == 3


def test_pupil_list_filters_and_audit(client, personas, world):
    rows = get(client, personas.owner, "/pupils", year_group=8, year=2026).json()
    assert {r["id"] for r in rows} == {p.pk for p in world.pupils[9:]}
    assert get(client, personas.outsider, "/pupils", year=2026).json() == []
    assert get(client, personas.owner, "/pupils", year_group=11).status_code == 422
    event = AuditEvent.objects.filter(action="pupil.list").first()
    assert sorted(event.details["pupil_ids"]) == sorted(p.pk for p in world.pupils[9:])


def test_class_list_for_a_school_contact(client, personas, world):
    body = get(client, world.contact, f"/classes/{world.classes[5].pk}").json()
    assert len(body["pupils"]) == 3
    assert all(p["parent_name"] is None for p in body["pupils"])


def test_ensembles_for_managers_and_conductors(client, personas, world):
    ensemble = Ensemble.objects.create(
        organisation=personas.organisation,
        kind=EnsembleKind.SCHOOL_ORCHESTRA,
        name="Orkest 6",
        school_year=world.year,
        school=world.school,
        year_group=6,
        conductor=world.group.teacher,
    )
    EnsembleMember.objects.create(ensemble=ensemble, pupil=world.pupils[3])
    body = get(client, personas.owner, f"/ensembles/{ensemble.pk}").json()
    assert [m["pupil_id"] for m in body["members"]] == [world.pupils[3].pk]
    assert get(client, personas.member, "/ensembles").json()[0]["id"] == ensemble.pk
    assert get(client, world.contact, f"/ensembles/{ensemble.pk}").status_code == 404
