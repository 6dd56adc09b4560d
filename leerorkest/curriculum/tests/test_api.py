"""The learning line API: reads as on the pages, writes on drafts for the owner's coordinators."""

import pytest

from leerorkest.accounts.actions import create_api_token
from leerorkest.curriculum.models import Visibility
from leerorkest.curriculum.tests.builders import build_line

pytestmark = pytest.mark.django_db


def _auth(user):
    _token, raw = create_api_token(user=user, name="script")
    return {"authorization": f"Bearer {raw}"}


def test_anyone_reads_shared_published_lines(client, personas):
    shared = build_line(personas.organisation, personas.owner, visibility=Visibility.SHARED)
    private = build_line(personas.organisation, personas.owner, name="Eigen")
    response = client.get("/api/v1/learning-lines")
    assert response.status_code == 200
    assert [line["id"] for line in response.json()] == [shared.pk]
    detail = client.get(f"/api/v1/learning-lines/{shared.pk}").json()
    assert {g["code"] for g in detail["goals"]} == {"M5.1", "I5.2", "S5.3"}
    assert [m["order"] for m in detail["milestones"]] == [1, 2, 3]
    assert detail["milestones"][0]["instrument"] == "violin"
    assert client.get(f"/api/v1/learning-lines/{private.pk}").status_code == 404
    wrong = client.get("/api/v1/learning-lines", headers={"authorization": "Bearer lo_wrong"})
    assert wrong.status_code == 401


def test_members_read_their_own_lines(client, personas):
    draft = build_line(personas.organisation, personas.owner, publish=False)
    response = client.get("/api/v1/learning-lines", headers=_auth(personas.member))
    assert [line["id"] for line in response.json()] == [draft.pk]
    outsider = client.get("/api/v1/learning-lines", headers=_auth(personas.outsider))
    assert outsider.json() == []


def test_owner_adds_and_changes_goals_and_milestones_on_a_draft(client, personas):
    draft = build_line(personas.organisation, personas.owner, publish=False)
    headers = _auth(personas.owner)
    response = client.post(
        f"/api/v1/learning-lines/{draft.pk}/goals",
        {"year_group": 6, "kind": "social", "code": "S6.1", "text": "Helpt een ander"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    goal_id = response.json()["id"]
    assert response.json()["order"] == 1
    response = client.patch(
        f"/api/v1/learning-goals/{goal_id}",
        {"text": "Helpt een ander kind"},
        content_type="application/json",
        headers=headers,
    )
    assert response.json()["text"] == "Helpt een ander kind"
    duplicate = client.post(
        f"/api/v1/learning-lines/{draft.pk}/goals",
        {"year_group": 6, "kind": "social", "code": "S6.1", "text": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate"
    response = client.post(
        f"/api/v1/learning-lines/{draft.pk}/milestones",
        {"instrument": "cello", "notes": "C2 G2 D3 A3"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    milestone = response.json()
    assert (milestone["order"], milestone["instrument"]) == (1, "cello")
    response = client.patch(
        f"/api/v1/milestones/{milestone['id']}",
        {"notes": "C2 G2 D3 A3 (losse snaren)", "order": 2},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["order"] == 2
    unknown = client.post(
        f"/api/v1/learning-lines/{draft.pk}/milestones",
        {"instrument": "theremin", "notes": "A4"},
        content_type="application/json",
        headers=headers,
    )
    assert unknown.status_code == 400


def test_published_lines_and_other_organisations_refuse_writes(client, personas):
    published = build_line(personas.organisation, personas.owner, visibility=Visibility.SHARED)
    payload = {"year_group": 5, "kind": "musical", "code": "M5.9", "text": "x"}
    response = client.post(
        f"/api/v1/learning-lines/{published.pk}/goals",
        payload,
        content_type="application/json",
        headers=_auth(personas.owner),
    )
    assert response.status_code == 400 and response.json()["code"] == "not_a_draft"
    draft = build_line(personas.organisation, personas.owner, name="Concept", publish=False)
    for user, status in ((personas.outsider, 404), (personas.member, 403)):
        response = client.post(
            f"/api/v1/learning-lines/{draft.pk}/goals",
            payload,
            content_type="application/json",
            headers=_auth(user),
        )
        assert response.status_code == status
    goal = published.goals.first()
    response = client.patch(
        f"/api/v1/learning-goals/{goal.pk}",
        {"text": "x"},
        content_type="application/json",
        headers=_auth(personas.outsider),
    )
    assert response.status_code == 404
    assert not draft.goals.filter(code="M5.9").exists()
