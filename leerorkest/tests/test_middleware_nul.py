"""NUL characters in input are refused with 400 everywhere, never a server error (found by the
B1 fuzz tests on PostgreSQL)."""

import json

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot.tests.builders import make_depot

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_page_query_is_a_400(client, personas):
    depot = make_depot()
    Membership.objects.create(user=personas.owner, organisation=depot, role=Role.DEPOT_STAFF)
    client.force_login(personas.owner)
    url = reverse("depot:instrument_list")
    assert client.get(url, {"q": "LO-\x001"}).status_code == 400
    assert client.get(url, {"q": "LO-1"}).status_code == 200


def test_a_nul_in_an_api_query_or_body_is_a_400_with_a_code(client, personas):
    _token, raw = create_api_token(user=personas.owner, name="t")
    headers = {"authorization": f"Bearer {raw}"}
    response = client.get("/api/v1/schools", {"q": "a\x00b"}, headers=headers)
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"
    body = json.dumps({"needed_by": "2030-01-01", "note": "a\x00b", "lines": []})
    response = client.post(
        "/api/v1/requests", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"


def test_a_nul_in_a_form_field_is_a_400(client):
    response = client.post(
        reverse("accounts:login"), {"username": "a\x00@example.org", "password": "x"}
    )
    assert response.status_code == 400
