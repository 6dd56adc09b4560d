from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.actions import create_api_token
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus, Loan
from leerorkest.stock import actions
from leerorkest.stock.models import PackedItem, TransportRun
from leerorkest.stock.tests.builders import make_world, stock
from leerorkest.stock.transport_views import stops_with_items
from leerorkest.testing import make_member, make_school


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
Status = InstrumentStatus


@pytest.fixture
def run_world(personas):
    """A planned run with one stop at the owner's programme (3 instruments: 2 reserved for
    it, 1 scanned) and one at the other (partner) programme (1 instrument)."""
    world = make_world()
    reserved = stock(world, 2)
    for instrument in reserved:
        depot_actions.reserve_instrument(
            instrument=instrument, for_organisation=personas.organisation, by=None
        )
    loose, for_partner = stock(world, 2)
    run = actions.create_run(depot_org=world.depot, by=world.staff, date=date(2026, 9, 1))
    stop = actions.add_stop(run=run, borrower=personas.organisation, by=world.staff)
    partner_stop = actions.add_stop(run=run, borrower=personas.other, by=world.staff)
    assert actions.fill_from_reservations(stop=stop, by=world.staff) == 2
    actions.pack(stop=stop, tags=[loose.asset_tag], by=world.staff)
    actions.pack(stop=partner_stop, tags=[for_partner.asset_tag], by=world.staff)
    return world, run, stop, partner_stop, [*reserved, loose], for_partner


def test_packing_by_scanning_refuses_what_cannot_go(personas):
    world = make_world()
    available, on_loan, reserved_elsewhere = stock(world, 3)
    depot_actions.checkout_instrument(instrument=on_loan, borrower=personas.other, by=None)
    depot_actions.reserve_instrument(
        instrument=reserved_elsewhere, for_organisation=personas.other, by=None
    )
    run = actions.create_run(depot_org=world.depot, by=world.staff, date=date(2026, 9, 1))
    stop = actions.add_stop(run=run, borrower=personas.organisation, by=world.staff)
    result = actions.pack(
        stop=stop,
        tags=[available.asset_tag, on_loan.asset_tag, "NOPE", reserved_elsewhere.asset_tag],
        by=world.staff,
    )
    assert result.added == [available]
    assert [tag for tag, _reason in result.refused] == [
        on_loan.asset_tag,
        "NOPE",
        reserved_elsewhere.asset_tag,
    ]
    # Packed once: scanning it again for another stop is refused.
    other = actions.add_stop(run=run, borrower=personas.other, by=world.staff)
    assert actions.pack(stop=other, tags=[available.asset_tag], by=world.staff).refused


def test_a_school_must_belong_to_the_programme(personas):
    world = make_world()
    run = actions.create_run(depot_org=world.depot, by=world.staff, date=date(2026, 9, 1))
    school = make_school(personas.other).organisation
    with pytest.raises(actions.DomainError):
        actions.add_stop(run=run, borrower=personas.organisation, school=school, by=world.staff)
    own = make_school(personas.organisation).organisation
    stop = actions.add_stop(run=run, borrower=personas.organisation, school=own, by=world.staff)
    assert stop.address == own.city


def test_depart_ships_everything_in_transit_and_twice_is_harmless(client, run_world, personas):
    world, run, stop, _partner_stop, instruments, for_partner = run_world
    result = actions.depart(run=run, by=world.staff)
    assert result.shipped == 4 and not result.refused
    for instrument in [*instruments, for_partner]:
        instrument.refresh_from_db()
        assert instrument.status == Status.IN_TRANSIT and instrument.reserved_for is None
        loan = Loan.objects.open().get(instrument=instrument)
        assert loan.idempotency_key == f"run{run.pk}:{instrument.pk}"
        assert instrument.events.order_by("-id").first().kind == EventKind.SHIPPED
    assert Loan.objects.get(instrument=for_partner).borrower == personas.other
    assert set(
        Loan.objects.filter(instrument__in=instruments).values_list("borrower", flat=True)
    ) == {personas.organisation.pk}
    run.refresh_from_db()
    assert run.status == TransportRun.Status.UNDERWAY

    client.force_login(world.staff)
    response = client.post(reverse("stock:run_depart", args=[run.pk]))
    assert response.status_code == 302
    assert Loan.objects.count() == 4
    assert actions.depart(run=run, by=world.staff).already
    # Packing lists are fixed once the run has left.
    with pytest.raises(actions.DomainError):
        actions.pack(stop=stop, tags=["X"], by=world.staff)


def test_an_instrument_that_can_no_longer_go_stays_behind(run_world, personas):
    world, run, _stop, _partner_stop, instruments, _for_partner = run_world
    depot_actions.release_reservation(instrument=instruments[0], by=None)
    depot_actions.send_to_repair(instrument=instruments[0], by=None)
    result = actions.depart(run=run, by=world.staff)
    assert result.shipped == 3
    assert [tag for tag, _reason in result.refused] == [instruments[0].asset_tag]
    assert PackedItem.objects.get(instrument=instruments[0]).refused


def test_only_the_borrowing_programme_confirms_and_partial_confirmation(
    client, run_world, personas
):
    world, run, stop, partner_stop, instruments, for_partner = run_world
    actions.depart(run=run, by=world.staff)

    client.force_login(personas.owner)
    page = client.get(reverse("stock:delivery_list")).content.decode()
    assert all(i.asset_tag in page for i in instruments) and for_partner.asset_tag not in page
    # The partner's instrument is not ours to confirm: 404, and nothing changes.
    response = client.post(reverse("stock:delivery_confirm", args=[for_partner.pk]))
    assert response.status_code == 404
    for_partner.refresh_from_db()
    assert for_partner.status == Status.IN_TRANSIT

    response = client.post(reverse("stock:delivery_confirm", args=[instruments[0].pk]))
    assert response.status_code == 302
    first = Instrument.objects.get(pk=instruments[0].pk)
    assert first.status == Status.ON_LOAN
    assert first.events.order_by("-id").first().kind == EventKind.RECEIVED
    assert Instrument.objects.get(pk=instruments[1].pk).status == Status.IN_TRANSIT

    client.force_login(world.staff)
    page = client.get(reverse("stock:run_detail", args=[run.pk])).content.decode()
    assert "1 of 3 confirmed" in page

    # The second click on an arrived one is harmless.
    client.force_login(personas.owner)
    assert (
        client.post(reverse("stock:delivery_confirm", args=[instruments[0].pk])).status_code == 404
    )
    client.post(reverse("stock:delivery_confirm_all"))
    assert all(
        status == Status.ON_LOAN
        for status in Instrument.objects.filter(pk__in=[i.pk for i in instruments]).values_list(
            "status", flat=True
        )
    )
    stops = {s.pk: s for s in stops_with_items(run)}
    assert stops[stop.pk].confirmed and not stops[partner_stop.pk].confirmed
    assert Instrument.objects.get(pk=for_partner.pk).status == Status.IN_TRANSIT


def test_flag_missing_and_damaged(client, run_world, personas):
    world, run, stop, _partner_stop, instruments, _for_partner = run_world
    actions.depart(run=run, by=world.staff)
    client.force_login(personas.owner)
    url = reverse("stock:delivery_problem", args=[instruments[0].pk])
    response = client.post(url, {"issue": "damaged", "note": ""})
    assert response.status_code == 200  # the note is needed; the form says so
    assert "Describe the damage" in response.content.decode()
    client.post(url, {"issue": "damaged", "note": "Hals gebroken"})
    damaged = Instrument.objects.get(pk=instruments[0].pk)
    assert damaged.status == Status.ON_LOAN
    kinds = list(damaged.events.order_by("-id").values_list("kind", flat=True)[:2])
    assert kinds == [EventKind.DAMAGE_REPORTED, EventKind.RECEIVED]

    client.post(
        reverse("stock:delivery_problem", args=[instruments[1].pk]),
        {"issue": "missing", "note": "Niet in de bus"},
    )
    missing = PackedItem.objects.get(instrument=instruments[1])
    assert (missing.issue, missing.issue_note) == ("missing", "Niet in de bus")
    assert Instrument.objects.get(pk=instruments[1].pk).status == Status.IN_TRANSIT
    # "Confirm all" does not confirm the one that did not arrive.
    client.post(reverse("stock:delivery_confirm_all"))
    assert Instrument.objects.get(pk=instruments[1].pk).status == Status.IN_TRANSIT
    assert Instrument.objects.get(pk=instruments[2].pk).status == Status.ON_LOAN
    client.force_login(world.staff)
    page = client.get(reverse("stock:stop_detail", args=[stop.pk])).content.decode()
    assert "Niet in de bus" in page and "Hals gebroken" in page


def test_pages_and_printouts(client, run_world):
    world, run, stop, _partner_stop, instruments, _for_partner = run_world
    client.force_login(world.staff)
    assert client.get(reverse("stock:run_list")).status_code == 200
    sheet = client.get(reverse("stock:run_sheet", args=[run.pk])).content.decode()
    assert stop.borrower.name in sheet
    packing = client.get(reverse("stock:stop_print", args=[stop.pk])).content.decode()
    assert all(i.asset_tag in packing for i in instruments)
    response = client.post(
        reverse("stock:run_new"), {"date": "2026-10-01", "driver": "Sem", "vehicle": "Bus 2"}
    )
    assert response.status_code == 302
    new_run = TransportRun.objects.get(driver="Sem")
    response = client.post(reverse("stock:stop_add", args=[new_run.pk]), {"borrower": ""})
    assert response.status_code == 200 and b"has-error" in response.content
    # The instrument page lists the runs it travelled on.
    page = client.get(reverse("depot:instrument_detail", args=[instruments[0].pk])).content.decode()
    assert reverse("stock:run_detail", args=[run.pk]) in page


def test_api_runs_and_confirm(client, run_world, personas):
    world, run, _stop, _partner_stop, instruments, for_partner = run_world
    actions.depart(run=run, by=world.staff)
    _token, staff_key = create_api_token(user=world.staff, name="t")
    auth = {"authorization": f"Bearer {staff_key}"}
    runs = client.get("/api/v1/transport-runs", headers=auth).json()
    assert [r["id"] for r in runs] == [run.pk]
    detail = client.get(f"/api/v1/transport-runs/{run.pk}", headers=auth).json()
    assert [len(s["items"]) for s in detail["stops"]] == [3, 1]

    _token, owner_key = create_api_token(user=personas.owner, name="t")
    owner = {"authorization": f"Bearer {owner_key}"}
    deliveries = client.get("/api/v1/deliveries", headers=owner).json()
    assert {d["instrument_id"] for d in deliveries} == {i.pk for i in instruments}
    assert client.get(f"/api/v1/transport-runs/{run.pk}", headers=owner).status_code == 403
    # Someone else's instrument: 404, nothing confirmed.
    response = client.post(
        "/api/v1/deliveries/confirm",
        {"instrument_ids": [instruments[0].pk, for_partner.pk]},
        content_type="application/json",
        headers=owner,
    )
    assert response.status_code == 404
    assert Instrument.objects.get(pk=instruments[0].pk).status == Status.IN_TRANSIT
    body = {"instrument_ids": [instruments[0].pk]}
    headers = {**owner, "Idempotency-Key": "confirm-1"}
    first = client.post(
        "/api/v1/deliveries/confirm", body, content_type="application/json", headers=headers
    )
    assert first.json() == {"confirmed": [instruments[0].pk], "refused": []}
    again = client.post(
        "/api/v1/deliveries/confirm", body, content_type="application/json", headers=headers
    )
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    partner = make_member(personas.other, Role.PARTNER_COORDINATOR)
    _token, partner_key = create_api_token(user=partner, name="t")
    response = client.post(
        "/api/v1/deliveries/confirm",
        {},
        content_type="application/json",
        headers={"authorization": f"Bearer {partner_key}"},
    )
    assert response.json()["confirmed"] == [for_partner.pk]
