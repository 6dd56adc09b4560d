"""The instrument request API: scoped per organisation, writes through the actions."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.roles import Role
from leerorkest.allocation.models import InstrumentRequest, RequestStatus
from leerorkest.allocation.tests.builders import confirmed_request, line, make_depot, make_request
from leerorkest.depot import sizes as size_catalogue
from leerorkest.depot.models import InstrumentStatus, Size
from leerorkest.programme.models import InstrumentType
from leerorkest.testing import instrument, make_member


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _auth(user):
    _token, raw = create_api_token(user=user, name="test")
    return {"authorization": f"Bearer {raw}"}


@pytest.fixture
def depot(personas):
    instrument("violin")  # the catalogue and its sizes, also after another test's flush
    size_catalogue.install(Size, InstrumentType)
    found = make_depot()
    found.staff = make_member(found, Role.DEPOT_STAFF)
    return found


def _payload(**extra):
    return {
        "needed_by": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "lines": [
            {"instrument": "violin", "size": "1/2", "quantity": 12, "allow_one_size_up": True},
            {"instrument": "trumpet", "quantity": 3},
        ],
        **extra,
    }


def test_create_submit_and_read(client, personas, depot):
    headers = {**_auth(personas.owner), "Idempotency-Key": "req-1"}
    response = client.post(
        "/api/v1/requests", _payload(submit=True), content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["borrower_id"] == personas.organisation.pk
    assert [(ln["instrument"], ln["size"], ln["quantity"]) for ln in body["lines"]] == [
        ("violin", "1/2", 12),
        ("trumpet", None, 3),
    ]
    # The same key again: the same answer, nothing written twice.
    again = client.post(
        "/api/v1/requests", _payload(submit=True), content_type="application/json", headers=headers
    )
    assert again.json()["id"] == body["id"]
    assert InstrumentRequest.objects.count() == 1
    # The depot sees it; another programme does not.
    seen = client.get("/api/v1/requests", headers=_auth(depot.staff)).json()
    assert [r["id"] for r in seen] == [body["id"]]
    assert client.get("/api/v1/requests", headers=_auth(personas.outsider)).json() == []
    other = client.get(f"/api/v1/requests/{body['id']}", headers=_auth(personas.outsider))
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_bad_lines_are_refused_with_a_code(client, personas, depot):
    payload = _payload()
    payload["lines"][0]["size"] = "5/4"
    response = client.post(
        "/api/v1/requests", payload, content_type="application/json", headers=_auth(personas.owner)
    )
    assert response.status_code == 400 and response.json()["code"] == "wrong_size"
    payload["lines"][0]["size"] = None
    response = client.post(
        "/api/v1/requests", payload, content_type="application/json", headers=_auth(personas.owner)
    )
    assert response.json()["code"] == "size_required"
    too_many = _payload()
    too_many["lines"][1]["quantity"] = 501
    response = client.post(
        "/api/v1/requests", too_many, content_type="application/json", headers=_auth(personas.owner)
    )
    assert response.status_code == 422
    assert not InstrumentRequest.objects.exists()


def test_submit_and_withdraw(client, personas, depot):
    draft = make_request(personas.organisation, depot, [line("flute", None, 1)], submit=False)
    url = f"/api/v1/requests/{draft.pk}"
    headers = _auth(personas.owner)
    response = client.patch(
        url, {"action": "submit"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    again = client.patch(
        url, {"action": "submit"}, content_type="application/json", headers=headers
    )
    assert again.status_code == 400 and again.json()["code"] == "not_draft"
    theirs = client.patch(
        url,
        {"action": "withdraw"},
        content_type="application/json",
        headers=_auth(personas.outsider),
    )
    assert theirs.status_code == 404
    # Depot staff read requests but do not withdraw them.
    staff = client.patch(
        url, {"action": "withdraw"}, content_type="application/json", headers=_auth(depot.staff)
    )
    assert staff.status_code == 403


def test_withdraw_releases_reservations(client, personas, depot):
    request, _run = confirmed_request(personas.organisation, depot, by=depot.staff, n=2)
    response = client.get(f"/api/v1/requests/{request.pk}", headers=_auth(personas.owner))
    assert response.json()["lines"][0]["reserved"] == 2
    response = client.patch(
        f"/api/v1/requests/{request.pk}",
        {"action": "withdraw"},
        content_type="application/json",
        headers=_auth(personas.owner),
    )
    assert response.json()["status"] == RequestStatus.WITHDRAWN
    assert not depot.instruments.filter(status=InstrumentStatus.RESERVED).exists()
