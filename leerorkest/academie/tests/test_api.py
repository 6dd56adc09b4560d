"""The Academie API: workshops as on the pages, and my own registration."""

from django.core import mail

from leerorkest.academie.models import Registration, RegistrationStatus
from leerorkest.academie.tests.builders import make_registration, make_workshop
from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.testing import make_member, make_organisation

S = RegistrationStatus
BASE = "/api/v1/academie/workshops"


def bearer(user):
    _token, raw = create_api_token(user=user, name="test")
    return {"authorization": f"Bearer {raw}"}


def test_list_and_detail(client, personas):
    workshop = make_workshop(personas.organisation, capacity=2, title="Ritme")
    make_workshop(personas.organisation, days=-3, title="Voorbij")
    make_registration(workshop, personas.owner)
    make_registration(workshop, make_member(personas.organisation, Role.TEACHER))
    make_registration(workshop, make_member(personas.organisation, Role.TEACHER), S.WAITING)
    headers = bearer(personas.member)
    rows = client.get(BASE, headers=headers).json()
    assert [(r["title"], r["free_places"], r["waiting"]) for r in rows] == [("Ritme", 0, 1)]
    past = client.get(BASE + "?include_past=true", headers=headers).json()
    assert {r["title"] for r in past} == {"Ritme", "Voorbij"}
    detail = client.get(f"{BASE}/{workshop.pk}", headers=headers).json()
    assert detail["organiser"] == personas.organisation.name
    assert detail["capacity"] == 2


def test_register_and_cancel_for_myself(client, personas, django_capture_on_commit_callbacks):
    workshop = make_workshop(personas.organisation, capacity=1)
    url = f"{BASE}/{workshop.pk}/registration"
    me = bearer(personas.member)
    assert client.get(url, headers=me).json()["status"] is None
    response = client.post(url, headers=me)
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    # Twice is a clear refusal, not a second row.
    again = client.post(url, headers=me)
    assert again.status_code == 400 and again.json()["code"] == "registered"
    other = bearer(personas.owner)
    waiting = client.post(url, headers=other).json()
    assert (waiting["status"], waiting["waiting_position"]) == ("waiting", 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(url, headers=me)
    assert response.json()["status"] == "cancelled"
    assert client.get(url, headers=other).json()["status"] == "registered"
    assert [m.to for m in mail.outbox] == [[personas.owner.email]]
    assert Registration.objects.count() == 2


def test_readers_only(client, personas):
    workshop = make_workshop(personas.organisation)
    depot_staff = make_member(make_organisation(kind=OrgKind.DEPOT), Role.DEPOT_STAFF)
    response = client.get(BASE, headers=bearer(depot_staff))
    assert response.status_code == 403
    response = client.post(f"{BASE}/{workshop.pk}/registration", headers=bearer(personas.outsider))
    assert response.status_code == 404
    assert not Registration.objects.exists()
    assert client.get(BASE).status_code == 401
