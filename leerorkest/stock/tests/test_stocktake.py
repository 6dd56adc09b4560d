import pytest
from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus
from leerorkest.depot.tests.builders import make_depot
from leerorkest.stock import actions
from leerorkest.stock.models import StockTake, StockTakeScan
from leerorkest.stock.tests.builders import make_world, stock
from leerorkest.testing import make_member, make_organisation


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
Status = InstrumentStatus


@pytest.fixture
def counted():
    """Shelf A holds (on paper) five instruments; the count finds some, and some others."""
    world = make_world()
    here, missing, in_repair, reserved, cleaning = stock(world, 5)
    depot_actions.send_to_repair(instrument=in_repair, by=None)
    programme = make_organisation()
    depot_actions.reserve_instrument(instrument=reserved, for_organisation=programme, by=None)
    depot_actions.checkout_instrument(instrument=cleaning, borrower=programme, by=None)
    depot_actions.return_instrument(instrument=cleaning, by=None, needs_cleaning=True)
    elsewhere = stock(world, location=world.shelf_b)[0]
    on_loan = stock(world)[0]
    depot_actions.checkout_instrument(instrument=on_loan, borrower=programme, by=None)
    stocktake = actions.start_stocktake(location=world.shelf_a, by=world.staff)
    for tag in (here.asset_tag, cleaning.asset_tag.lower(), elsewhere.asset_tag, on_loan.asset_tag):
        actions.scan_tag(stocktake=stocktake, tag=tag, by=world.staff)
    actions.scan_tag(stocktake=stocktake, tag="ZZ-404", by=world.staff)
    return (
        world,
        stocktake,
        {
            "here": here,
            "missing": missing,
            "in_repair": in_repair,
            "reserved": reserved,
            "cleaning": cleaning,
            "elsewhere": elsewhere,
            "on_loan": on_loan,
        },
    )


def test_scanning_twice_is_harmless(counted):
    world, stocktake, found = counted
    again = actions.scan_tag(
        stocktake=stocktake, tag=f" {found['here'].asset_tag} ", by=world.staff
    )
    assert again.created is False and again.verdict == "here"
    assert StockTakeScan.objects.filter(stocktake=stocktake).count() == 5


def test_discrepancies_in_every_category(counted):
    _world, stocktake, found = counted
    report = actions.discrepancies(stocktake)
    tags = lambda instruments: {i.asset_tag for i in instruments}  # noqa: E731
    assert tags(report.missing) == {
        found["missing"].asset_tag,
        found["in_repair"].asset_tag,
        found["reserved"].asset_tag,
    }
    assert tags(report.elsewhere) == {found["elsewhere"].asset_tag}
    assert tags(report.away) == {found["on_loan"].asset_tag}
    assert report.unknown == ["ZZ-404"]
    assert (report.here, report.expected, report.scanned) == (2, 5, 5)


def test_closing_records_the_corrections_as_events(counted):
    world, stocktake, found = counted
    lose = {found["missing"].pk, found["reserved"].pk, found["in_repair"].pk}
    actions.close_stocktake(stocktake=stocktake, lost_ids=lose, by=world.staff)

    moved = Instrument.objects.get(pk=found["elsewhere"].pk)
    assert moved.location == world.shelf_a and moved.status == Status.AVAILABLE
    event = moved.events.order_by("-id").first()
    assert event.kind == EventKind.STOCKTAKE and event.by == world.staff

    lost = Instrument.objects.get(pk=found["missing"].pk)
    assert lost.status == Status.LOST
    assert lost.events.order_by("-id").first().note == "stock-take"
    reserved = Instrument.objects.get(pk=found["reserved"].pk)
    assert reserved.status == Status.LOST and reserved.reserved_for is None
    # In repair cannot be reported lost: it stays as it was.
    assert Instrument.objects.get(pk=found["in_repair"].pk).status == Status.IN_REPAIR
    # Nothing happens to the one on loan; it is listed for follow-up.
    assert Instrument.objects.get(pk=found["on_loan"].pk).status == Status.ON_LOAN

    stocktake.refresh_from_db()
    assert stocktake.status == StockTake.Status.CLOSED
    report = stocktake.report
    assert report["unknown"] == ["ZZ-404"]
    assert {r["tag"]: r["done"] for r in report["missing"]} == {
        found["missing"].asset_tag: "lost",
        found["reserved"].asset_tag: "lost",
        found["in_repair"].asset_tag: "",
    }
    assert [r["done"] for r in report["elsewhere"]] == ["moved"]
    assert [r["tag"] for r in report["away"]] == [found["on_loan"].asset_tag]
    with pytest.raises(DomainError):
        actions.scan_tag(stocktake=stocktake, tag="X", by=world.staff)
    with pytest.raises(DomainError):
        actions.close_stocktake(stocktake=stocktake, lost_ids=set(), by=world.staff)


def test_missing_ones_left_alone_stay_as_they_were(counted):
    world, stocktake, found = counted
    actions.close_stocktake(stocktake=stocktake, lost_ids=set(), by=world.staff)
    assert Instrument.objects.get(pk=found["missing"].pk).status == Status.AVAILABLE


def test_a_lost_instrument_scanned_is_found_again(counted):
    world, _stocktake, _found = counted
    lost = stock(world, location=world.shelf_b)[0]
    depot_actions.report_lost(instrument=lost, by=None)
    stocktake = actions.start_stocktake(location=world.shelf_b, by=world.staff)
    assert actions.scan_tag(stocktake=stocktake, tag=lost.asset_tag, by=world.staff).verdict == (
        "lost"
    )
    actions.close_stocktake(stocktake=stocktake, lost_ids=set(), by=world.staff)
    lost.refresh_from_db()
    assert lost.status == Status.AVAILABLE


def test_one_count_at_a_time_per_location(counted):
    world, _stocktake, _found = counted
    with pytest.raises(DomainError):
        actions.start_stocktake(location=world.shelf_a, by=world.staff)


def test_scanning_through_the_page(client, counted):
    world, stocktake, found = counted
    client.force_login(world.staff)
    url = reverse("stock:stocktake_scan", args=[stocktake.pk])
    response = client.post(url, {"tag": found["missing"].asset_tag}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="scanner"')
    assert found["missing"].asset_tag in html and "belongs here" in html
    response = client.post(url, {"tag": "NOPE-1"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "NOPE-1" in page and "Unknown tags (2)" in page
    assert StockTakeScan.objects.filter(stocktake=stocktake, tag="NOPE-1").exists()

    response = client.post(reverse("stock:stocktake_close", args=[stocktake.pk]), {"lost": []})
    assert response.status_code == 302
    page = client.get(reverse("stock:stocktake_detail", args=[stocktake.pk])).content.decode()
    assert "Report" in page and "NOPE-1" in page
    history = client.get(reverse("stock:stocktake_list"), {"location": world.shelf_a.pk})
    assert reverse("stock:stocktake_detail", args=[stocktake.pk]) in history.content.decode()


def test_starting_through_the_page(client):
    world = make_world()
    client.force_login(world.staff)
    response = client.post(reverse("stock:stocktake_start"), {"location": world.shelf_b.pk})
    assert response.status_code == 302
    assert StockTake.objects.filter(location=world.shelf_b, status="open").count() == 1
    response = client.post(reverse("stock:stocktake_start"), {"location": world.shelf_b.pk})
    assert response.status_code == 400


def test_another_depot_cannot_see_or_scan(client, counted):
    _world, stocktake, _found = counted
    stranger = make_member(make_depot(), Role.DEPOT_STAFF)
    client.force_login(stranger)
    assert client.get(reverse("stock:stocktake_detail", args=[stocktake.pk])).status_code == 404
    url = reverse("stock:stocktake_scan", args=[stocktake.pk])
    assert client.post(url, {"tag": "X"}).status_code == 404
    api = f"/api/v1/stocktakes/{stocktake.pk}/scans"
    assert client.post(api, {"tag": "X"}, content_type="application/json").status_code == 404


def test_scan_through_the_api(client, counted):
    world, stocktake, found = counted
    client.force_login(world.staff)
    url = f"/api/v1/stocktakes/{stocktake.pk}/scans"
    response = client.post(
        url,
        {"tag": found["elsewhere"].asset_tag},
        content_type="application/json",
        headers={"Idempotency-Key": "scan-1"},
    )
    assert response.status_code == 200
    assert response.json()["verdict"] == "elsewhere" and response.json()["new"] is False
    response = client.post(url, {"tag": "ab-1"}, content_type="application/json")
    assert response.json() == {
        "tag": "AB-1",
        "instrument_id": None,
        "verdict": "unknown",
        "new": True,
    }
    tags = {scan["tag"] for scan in client.get(url).json()}
    assert "AB-1" in tags and "ZZ-404" in tags
