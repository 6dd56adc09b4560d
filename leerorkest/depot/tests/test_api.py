"""The depot API: scoped per organisation, checkout with a result per item (L8), returns, and
the Idempotency-Key middleware (leerorkest.idempotency) against the checkout endpoint."""

import json

import pytest

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.models import IdempotentRequest
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions
from leerorkest.depot.models import InstrumentStatus, Loan
from leerorkest.depot.tests.builders import lent, make_depot, make_stock
from leerorkest.testing import make_member, make_organisation


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def programme(db):
    return make_organisation(kind=OrgKind.PROGRAMME)


def bearer(user):
    _token, raw = create_api_token(user=user, name="test")
    return {"authorization": f"Bearer {raw}"}


@pytest.fixture
def staff(depot):
    return make_member(depot, Role.DEPOT_STAFF)


def post(client, headers, path, body, key=None):
    extra = {**headers, **({"Idempotency-Key": key} if key else {})}
    return client.post(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", headers=extra
    )


def test_instruments_scoped_per_organisation(client, depot, programme, staff):
    [loan] = lent(depot, programme)
    make_stock(depot, 2)
    other_depot_stock = make_stock(make_depot(), 1)
    staff_view = client.get("/api/v1/depot/instruments", headers=bearer(staff)).json()
    assert len(staff_view) == 3
    assert other_depot_stock[0].asset_tag not in {i["asset_tag"] for i in staff_view}
    coordinator = make_member(programme, Role.COORDINATOR)
    theirs = client.get("/api/v1/depot/instruments", headers=bearer(coordinator)).json()
    assert [(i["id"], i["borrower_id"]) for i in theirs] == [(loan.instrument_id, programme.pk)]
    filtered = client.get(
        "/api/v1/depot/instruments", {"status": "on_loan"}, headers=bearer(staff)
    ).json()
    assert [i["asset_tag"] for i in filtered] == [loan.instrument.asset_tag]
    outsider = make_member(make_organisation(kind=OrgKind.PARTNER), Role.PARTNER_COORDINATOR)
    url = f"/api/v1/depot/instruments/{loan.instrument_id}"
    assert client.get(url, headers=bearer(outsider)).status_code == 404
    assert client.get(url, headers=bearer(coordinator)).json()["status"] == "on_loan"


def test_loans_scoped_per_organisation(client, depot, programme, staff):
    [loan] = lent(depot, programme)
    [other] = lent(depot, make_organisation(kind=OrgKind.PARTNER))
    coordinator = make_member(programme, Role.COORDINATOR)
    mine = client.get("/api/v1/depot/loans", headers=bearer(coordinator)).json()
    assert [row["id"] for row in mine] == [loan.pk]
    assert (
        client.get(f"/api/v1/depot/loans/{other.pk}", headers=bearer(coordinator)).status_code
        == 404
    )
    assert len(client.get("/api/v1/depot/loans", {"open": True}, headers=bearer(staff)).json()) == 2


def test_checkout_reports_per_item(client, depot, programme, staff):
    stock = make_stock(depot, 4)
    actions.checkout_instrument(instrument=stock[0], borrower=programme, by=None)
    body = {"borrower_id": programme.pk, "asset_tags": [i.asset_tag for i in stock] + ["LO-NONE"]}
    response = post(client, bearer(staff), "/depot/loans", body)
    assert response.status_code == 200
    data = response.json()
    assert [loan["asset_tag"] for loan in data["loans"]] == [i.asset_tag for i in stock[1:]]
    assert {(r["asset_tag"], r["code"]) for r in data["refused"]} == {
        (stock[0].asset_tag, "already_on_loan"),
        ("LO-NONE", "unknown_tag"),
    }
    assert Loan.objects.count() == 4


def test_programmes_cannot_check_out(client, depot, programme):
    [violin] = make_stock(depot)
    coordinator = make_member(programme, Role.COORDINATOR)
    body = {"borrower_id": programme.pk, "asset_tags": [violin.asset_tag]}
    assert post(client, bearer(coordinator), "/depot/loans", body).status_code == 403
    assert Loan.objects.count() == 0


def test_return(client, depot, programme, staff):
    [violin] = lent(depot, programme)
    [clarinet] = lent(depot, programme, code="clarinet")
    body = {"asset_tags": [violin.instrument.asset_tag, clarinet.instrument.asset_tag, "LO-X"]}
    data = post(client, bearer(staff), "/depot/returns", body).json()
    assert len(data["returned"]) == 2 and data["refused"][0]["code"] == "unknown_tag"
    clarinet.instrument.refresh_from_db()
    assert clarinet.instrument.status == InstrumentStatus.CLEANING


# --- the Idempotency-Key middleware ---------------------------------------------------------------


def test_same_key_same_body_replays_the_answer(client, depot, programme, staff):
    [violin] = make_stock(depot)
    headers = bearer(staff)
    body = {"borrower_id": programme.pk, "asset_tags": [violin.asset_tag]}
    first = post(client, headers, "/depot/loans", body, key="key-1")
    again = post(client, headers, "/depot/loans", body, key="key-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Loan.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1


def test_same_key_different_body_is_refused(client, depot, programme, staff):
    first, second = make_stock(depot, 2)
    headers = bearer(staff)
    post(
        client,
        headers,
        "/depot/loans",
        {"borrower_id": programme.pk, "asset_tags": [first.asset_tag]},
        key="k",
    )
    response = post(
        client,
        headers,
        "/depot/loans",
        {"borrower_id": programme.pk, "asset_tags": [second.asset_tag]},
        key="k",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Loan.objects.count() == 1


def test_same_key_by_another_user_is_independent(client, depot, programme, staff):
    first, second = make_stock(depot, 2)
    colleague = make_member(depot, Role.DEPOT_STAFF)
    body = {"borrower_id": programme.pk, "asset_tags": [first.asset_tag]}
    post(client, bearer(staff), "/depot/loans", body, key="shared")
    other = post(
        client,
        bearer(colleague),
        "/depot/loans",
        {"borrower_id": programme.pk, "asset_tags": [second.asset_tag]},
        key="shared",
    )
    assert other.status_code == 200 and "Idempotent-Replayed" not in other
    assert len(other.json()["loans"]) == 1
    # The same body too: not a replay of the other user's answer, a fresh (refused) checkout.
    same = post(client, bearer(colleague), "/depot/loans", body, key="again")
    assert "Idempotent-Replayed" not in same
    assert same.json()["refused"][0]["code"] == "already_on_loan"
    assert Loan.objects.count() == 2


def test_without_a_key_each_request_runs(client, depot, programme, staff):
    [violin] = make_stock(depot)
    body = {"borrower_id": programme.pk, "asset_tags": [violin.asset_tag]}
    first = post(client, bearer(staff), "/depot/loans", body)
    second = post(client, bearer(staff), "/depot/loans", body)
    assert len(first.json()["loans"]) == 1
    assert second.json()["refused"][0]["code"] == "already_on_loan"
    assert "Idempotent-Replayed" not in second
    assert IdempotentRequest.objects.count() == 0


def test_a_bad_key_is_refused(client, depot, programme, staff):
    [violin] = make_stock(depot)
    body = {"borrower_id": programme.pk, "asset_tags": [violin.asset_tag]}
    response = post(client, bearer(staff), "/depot/loans", body, key="x" * 81)
    assert response.status_code == 400
    assert Loan.objects.count() == 0


def test_undeclared_method_with_a_used_key_is_405(client, depot, programme, staff):
    [violin] = make_stock(depot)
    headers = {**bearer(staff), "Idempotency-Key": "k-405"}
    body = json.dumps({"asset_tags": [violin.asset_tag]})
    client.post(
        "/api/v1/depot/returns", data=body, content_type="application/json", headers=headers
    )
    response = client.put(
        "/api/v1/depot/returns", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 405


def test_a_form_body_with_an_idempotency_key_is_answered_not_a_server_error(client, staff):
    """The NUL check reads a form before the API does; the body must stay readable for the
    Idempotency-Key fingerprint and for django-ninja (found by the fuzzer: it was a 500)."""
    headers = {**bearer(staff), "Idempotency-Key": "k-form"}
    first = client.post("/api/v1/depot/returns", {"asset_tags": "X"}, headers=headers)
    assert first.status_code < 500
    again = client.post("/api/v1/depot/returns", {"asset_tags": "X"}, headers=headers)
    assert again.status_code == first.status_code  # the same form, the same answer
    other = client.post("/api/v1/depot/returns", {"asset_tags": "Y"}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
