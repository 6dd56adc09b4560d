"""The API: personal tokens, errors as JSON, what each caller can see."""

from django.urls import reverse

from leerorkest.accounts.actions import create_api_token, revoke_api_token
from leerorkest.accounts.models import ApiToken, AuditEvent
from leerorkest.accounts.roles import OrgKind
from leerorkest.testing import make_organisation


def bearer(raw):
    return {"authorization": f"Bearer {raw}"}


def test_token_created_on_profile_page_is_shown_once(client, personas):
    client.force_login(personas.owner)
    response = client.post(reverse("accounts:token_create"), {"name": "rooster-export"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("lo_")
    token = ApiToken.objects.get(user=personas.owner)
    assert raw not in token.token_hash and token.hint == raw[:8]
    assert raw not in client.get(reverse("accounts:profile")).content.decode()
    client.logout()
    me = client.get("/api/v1/me", headers=bearer(raw))
    assert me.status_code == 200
    assert me.json()["email"] == personas.owner.email


def test_token_needs_a_name(client, personas):
    client.force_login(personas.owner)
    response = client.post(reverse("accounts:token_create"), {"name": "  "})
    assert response.status_code == 400
    assert "name" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_revoked_token_stops_working(client, personas):
    token, raw = create_api_token(user=personas.owner, name="x")
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    revoke_api_token(token=token, by=personas.owner)
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "Authenticatie vereist."}
    english = client.get("/api/v1/me", headers={**bearer(raw), "accept-language": "en"})
    assert english.json()["message"] == "Authentication required."
    assert AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_deactivated_user_token_stops_working(client, personas):
    _token, raw = create_api_token(user=personas.member, name="x")
    personas.member.is_active = False
    personas.member.save()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_anonymous_and_wrong_token_get_json_401(client, db):
    for headers in ({}, bearer("lo_nonsense")):
        response = client.get("/api/v1/organisations", headers=headers)
        assert response.status_code == 401
        assert set(response.json()) == {"code", "message"}


def test_browser_session_works_for_reads(client, personas):
    client.force_login(personas.member)
    assert client.get("/api/v1/me").json()["memberships"][0]["role"] == "teacher"


def test_organisation_list_shows_only_own_and_managed(client, personas):
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    _t, owner = create_api_token(user=personas.owner, name="x")
    _t, member = create_api_token(user=personas.member, name="x")
    ids = {o["id"] for o in client.get("/api/v1/organisations", headers=bearer(owner)).json()}
    assert ids == {personas.organisation.pk, school.pk}
    ids = {o["id"] for o in client.get("/api/v1/organisations", headers=bearer(member)).json()}
    assert ids == {personas.organisation.pk}
    filtered = client.get("/api/v1/organisations?kind=school", headers=bearer(owner)).json()
    assert [o["id"] for o in filtered] == [school.pk]


def test_bad_parameters_get_json_422(client, personas):
    _t, raw = create_api_token(user=personas.owner, name="x")
    for query in ("kind=castle", "limit=0", "offset=-1", "limit=abc"):
        response = client.get(f"/api/v1/organisations?{query}", headers=bearer(raw))
        assert response.status_code == 422, query
        assert response.json()["code"] == "invalid_input"
    response = client.get("/api/v1/organisations/not-a-number", headers=bearer(raw))
    assert response.status_code in {404, 422}
    response = client.get(f"/api/v1/organisations/{2**70}", headers=bearer(raw))
    assert response.status_code in {404, 422}


def test_members_are_for_managers_only(client, personas):
    _t, member = create_api_token(user=personas.member, name="x")
    url = f"/api/v1/organisations/{personas.organisation.pk}/members"
    response = client.get(url, headers=bearer(member))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    _t, owner = create_api_token(user=personas.owner, name="x")
    emails = {m["email"] for m in client.get(url, headers=bearer(owner)).json()}
    assert emails == {personas.owner.email, personas.member.email}


def test_audit_events_are_scoped_to_managed_organisations(client, personas):
    _t, owner = create_api_token(user=personas.owner, name="x")
    _t, outsider = create_api_token(user=personas.outsider, name="x")
    from leerorkest.accounts.audit import audit

    audit(actor=personas.owner, action="test.own", obj=personas.organisation)
    audit(actor=personas.outsider, action="test.other", obj=personas.other)
    actions = {
        e["action"] for e in client.get("/api/v1/audit-events", headers=bearer(owner)).json()
    }
    assert "test.own" in actions and "test.other" not in actions
    url = f"/api/v1/audit-events?organisation_id={personas.organisation.pk}"
    assert client.get(url, headers=bearer(outsider)).status_code == 404


def test_list_costs_the_same_queries_for_few_and_many(
    client, personas, django_assert_max_num_queries
):
    _t, raw = create_api_token(user=personas.owner, name="x")
    for _ in range(30):
        make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/organisations?limit=200", headers=bearer(raw))
    assert len(response.json()) == 31
