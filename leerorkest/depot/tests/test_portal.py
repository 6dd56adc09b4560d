"""The programme portal: its own loans and nothing else; damage reports."""

import pytest
from django.urls import reverse

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, signals
from leerorkest.depot.models import InstrumentStatus
from leerorkest.depot.tests.builders import lent, make_depot, make_stock
from leerorkest.testing import make_member, make_organisation


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def programme(db):
    return make_organisation(kind=OrgKind.PARTNER, name="Leerorkest Drechtsteden")


@pytest.fixture
def coordinator(programme):
    return make_member(programme, Role.PARTNER_COORDINATOR)


def test_portal_shows_own_loans_only(client, depot, programme, coordinator):
    mine = lent(depot, programme, 2)
    [returned] = lent(depot, programme)
    actions.return_instrument(instrument=returned.instrument, by=None)
    [shipped] = make_stock(depot)
    actions.checkout_instrument(instrument=shipped, borrower=programme, by=None, ship=True)
    theirs = lent(depot, make_organisation(kind=OrgKind.PROGRAMME))
    client.force_login(coordinator)
    page = client.get(reverse("depot:portal"))
    shown = {loan.pk for loan, _child in page.context["rows"]}
    assert {loan.pk for loan in mine} <= shown
    assert returned.pk not in shown and theirs[0].pk not in shown
    assert page.context["in_transit"] == 1
    html = page.content.decode()
    assert theirs[0].instrument.asset_tag not in html
    past = client.get(reverse("depot:portal"), {"show": "past"})
    assert [loan.pk for loan, _c in past.context["rows"]] == [returned.pk]
    assert client.get(reverse("depot:portal_loan", args=[theirs[0].pk])).status_code == 404
    assert client.get(reverse("depot:portal_loan", args=[mine[0].pk])).status_code == 200


def test_damage_report_keeps_the_status_and_tells_the_workshop(
    client, depot, programme, coordinator
):
    [loan] = lent(depot, programme)
    heard = []

    def receiver(sender, instrument, by, organisation, description, **kwargs):
        heard.append((instrument.pk, by, organisation, description))

    signals.damage_reported.connect(receiver)
    try:
        client.force_login(coordinator)
        empty = client.post(reverse("depot:portal_damage", args=[loan.pk]), {"description": ""})
        assert empty.context["damage_form"].errors
        response = client.post(
            reverse("depot:portal_damage", args=[loan.pk]), {"description": "Bridge fell over"}
        )
    finally:
        signals.damage_reported.disconnect(receiver)
    assert response.status_code == 302
    assert heard == [(loan.instrument_id, coordinator, programme, "Bridge fell over")]
    loan.instrument.refresh_from_db()
    assert loan.instrument.status == InstrumentStatus.ON_LOAN
    event = loan.instrument.events.first()
    assert (event.kind, event.status_after, event.note) == (
        "damage",
        InstrumentStatus.ON_LOAN,
        "Bridge fell over",
    )


def test_damage_on_a_closed_loan_is_refused(client, depot, programme, coordinator):
    [loan] = lent(depot, programme)
    actions.return_instrument(instrument=loan.instrument, by=None)
    client.force_login(coordinator)
    events = loan.instrument.events.count()
    client.post(reverse("depot:portal_damage", args=[loan.pk]), {"description": "Broken"})
    assert loan.instrument.events.count() == events


def test_menu_and_roles(client, depot, programme, coordinator):
    client.force_login(coordinator)
    names = {item["name"] for item in client.get("/").context["nav_items"]}
    assert {"depot:portal", "depot:portal_agreements", "depot:portal_size_up"} <= names
    teacher = make_member(programme, Role.TEACHER)
    client.force_login(teacher)
    assert client.get(reverse("depot:portal")).status_code == 403
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    assert client.get(reverse("depot:portal")).status_code == 403
