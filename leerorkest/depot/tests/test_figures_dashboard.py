"""The depot figures as a dashboard: a period, repairs per instrument family, what donations
became, bars beside the tables and rows that lead to the stock list."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import figures
from leerorkest.depot.figures_views import period_from
from leerorkest.depot.models import Instrument
from leerorkest.depot.models import InstrumentStatus as Status
from leerorkest.depot.tests.builders import lent, make_depot, make_stock
from leerorkest.donations.models import Donation, DonationItem, Donor
from leerorkest.testing import make_member, make_organisation
from leerorkest.workshop.models import WorkOrder
from leerorkest.workshop.tests.builders import make_workshop

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 6, 30)
Assessment = DonationItem.Assessment


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def depots(depot):
    return type(depot).objects.filter(pk=depot.pk)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), timezone.get_current_timezone())


def done(instrument, workshop, signed: date, parts: int, labour: int, status="done"):
    return WorkOrder.objects.create(
        organisation=instrument.organisation,
        instrument=instrument,
        workshop=workshop,
        source="manual",
        skill="strings",
        status=status,
        opened_at=at(signed - timedelta(days=5)),
        qa_signed_at=at(signed) if status == "done" else None,
        closed_at=at(signed),
        parts_cost_cents=parts,
        labour_cost_cents=labour,
    )


def repairs_world(depot):
    workshop = make_workshop(depot)
    violins = make_stock(depot, 3)
    trumpets = make_stock(depot, 2, code="trumpet")
    done(violins[0], workshop, date(2026, 2, 1), 1_000, 2_500)
    done(violins[1], workshop, END, 500, 0)  # the last day counts
    done(trumpets[0], workshop, date(2026, 3, 3), 4_000, 3_000)
    done(violins[2], workshop, date(2025, 12, 31), 9_999, 0)  # before the period
    done(trumpets[1], workshop, date(2026, 3, 4), 0, 0, status="cancelled")  # no repair
    return workshop


def donations_world(depot):
    donor = Donor.objects.create(organisation=depot, kind="person", name="Gever")
    in_period = Donation.objects.create(organisation=depot, donor=donor, received_on=START)
    second = Donation.objects.create(organisation=depot, donor=donor, received_on=END)
    earlier = Donation.objects.create(
        organisation=depot, donor=donor, received_on=date(2025, 12, 1)
    )
    on_loan, on_shelf, in_repair = make_stock(depot, 3)
    Instrument.objects.filter(pk=on_loan.pk).update(status=Status.ON_LOAN)
    Instrument.objects.filter(pk=in_repair.pk).update(status=Status.IN_REPAIR)
    for donation, assessment, instrument in (
        (in_period, Assessment.PLAYABLE, on_loan),
        (in_period, Assessment.PLAYABLE, on_shelf),
        (in_period, Assessment.NEEDS_REPAIR, in_repair),
        (in_period, Assessment.PARTS_ONLY, None),
        (second, Assessment.PARTS_ONLY, None),
        (second, Assessment.PENDING, None),
        (second, Assessment.SCRAP, None),
        (earlier, Assessment.PENDING, None),
    ):
        DonationItem.objects.create(
            donation=donation, description="Viool", assessment=assessment, instrument=instrument
        )


def test_repairs_per_family_in_the_period():
    depot = make_depot()
    repairs_world(depot)
    rows = {r.family: r for r in figures.repairs_by_family(depots(depot), START, END)}
    assert set(rows) == {"strings", "brass"}
    assert (rows["strings"].orders, rows["strings"].parts_cents) == (2, 1_500)
    assert (rows["strings"].labour_cents, rows["strings"].cost_cents) == (2_500, 4_000)
    assert (rows["brass"].orders, rows["brass"].cost_cents) == (1, 7_000)
    # Costliest first, with the bar against the costliest.
    ordered = figures.repairs_by_family(depots(depot), START, END)
    assert [(r.family, r.pct) for r in ordered] == [("brass", 100), ("strings", 57)]
    # Equal to counting the work orders directly.
    direct = WorkOrder.objects.filter(
        organisation=depot,
        status="done",
        qa_signed_at__date__gte=START,
        qa_signed_at__date__lte=END,
    )
    assert sum(r.orders for r in ordered) == direct.count() == 3
    # Another depot's repairs are not counted.
    repairs_world(make_depot())
    assert sum(r.orders for r in figures.repairs_by_family(depots(depot), START, END)) == 3


def test_what_the_donations_of_the_period_became():
    depot = make_depot()
    donations_world(depot)
    result = figures.donation_outcomes(depots(depot), START, END)
    assert (result.donations, result.items) == (2, 7)
    outcomes = {row.key: (row.label, row.value) for row in result.outcomes}
    assert outcomes == {
        "status:on_loan": ("On loan", 1),
        "status:available": ("Available", 1),
        "status:in_repair": ("In repair", 1),
        "assessment:parts_only": ("Parts only", 2),
        "assessment:pending": ("Not assessed yet", 1),
        "assessment:scrap": ("Scrap", 1),
    }
    assert result.outcomes[0].key == "assessment:parts_only"
    assert result.outcomes[0].pct == 100 and result.outcomes[-1].pct == 50
    direct = DonationItem.objects.filter(
        donation__organisation=depot, donation__received_on__range=(START, END)
    )
    assert result.items == direct.count()


def test_an_assessed_item_not_yet_in_the_stock_says_so():
    depot = make_depot()
    donor = Donor.objects.create(organisation=depot, kind="person", name="Gever")
    donation = Donation.objects.create(organisation=depot, donor=donor, received_on=START)
    DonationItem.objects.create(donation=donation, description="Cello", assessment="playable")
    [row] = figures.donation_outcomes(depots(depot), START, END).outcomes
    assert row.label == "Playable, not in the stock yet"


def test_period_from_the_query_string():
    today = date(2026, 11, 28)
    assert period_from({}, today) == (date(2025, 11, 29), today, "")
    assert period_from({"from": "2026-01-01", "to": "2026-06-30"}, today) == (START, END, "")
    start, end, error = period_from({"from": "2026-01-01"}, today)
    assert (start, end) == (date(2025, 11, 29), today) and "YYYY-MM-DD" in error
    start, end, error = period_from({"from": "2026-06-30", "to": "2026-01-01"}, today)
    assert "ends before it starts" in error and end == today


def test_dashboard_page_with_period_bars_and_links(client):
    depot = make_depot()
    staff = make_member(depot, Role.DEPOT_STAFF)
    repairs_world(depot)
    donations_world(depot)
    lent(depot, make_organisation(kind=OrgKind.PARTNER, region="Utrecht"), 2)
    client.force_login(staff)
    url = reverse("depot:figures")
    response = client.get(url, {"from": "2026-01-01", "to": "2026-06-30"}, secure=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="repair-orders">3<' in body and 'id="donated-items">7<' in body
    assert 'id="repair-cost">€ 110<' in body
    assert (response.context["start"], response.context["end"]) == (START, END)
    # Bars are SVG widths, never inline styles (the CSP blocks them).
    assert '<rect x="0" y="0" width="100" height="10">' in body
    assert 'style="' not in body.split("<main", 1)[-1]
    # Rows lead to the stock list with its own filters, or the donations to assess.
    stock = reverse("depot:instrument_list")
    outcomes = {row.key: row.url for row in response.context["donations"].outcomes}
    assert outcomes["status:on_loan"] == f"{stock}?status=on_loan"
    assert outcomes["assessment:pending"] == reverse("donations:list") + "?pending=1"
    assert outcomes["assessment:scrap"] == ""
    by_type = response.context["by_type"]
    assert [row["instrument_type__code"] for row in by_type] == ["violin", "trumpet"]
    for row in by_type:
        assert row["url"] == f"{stock}?type={row['instrument_type_id']}"
    listed = client.get(outcomes["status:on_loan"], secure=True)
    assert listed.status_code == 200
    assert {i.status for i in listed.context["page"].object_list} == {Status.ON_LOAN}
    assert client.get(outcomes["assessment:pending"], secure=True).status_code == 200


def test_default_period_is_the_last_twelve_months(client):
    depot = make_depot()
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    response = client.get(reverse("depot:figures"), secure=True)
    today = timezone.localdate()
    assert response.status_code == 200
    assert response.context["end"] == today
    assert response.context["start"] == today - timedelta(days=364)


def test_a_bad_period_is_refused_with_a_reason(client):
    depot = make_depot()
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    url = reverse("depot:figures")
    response = client.get(url, {"from": "2026-02-30", "to": "2026-03-01"}, secure=True)
    assert response.status_code == 400
    assert "Give both dates of the period as YYYY-MM-DD." in response.content.decode()
    response = client.get(url, {"from": "2026-06-30", "to": "2026-01-01"}, secure=True)
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    assert response.context["end"] == timezone.localdate()


def test_only_the_depot_sees_its_dashboard(client):
    depot = make_depot()
    repairs_world(depot)
    other = make_depot()
    client.force_login(make_member(other, Role.DEPOT_STAFF))
    response = client.get(reverse("depot:figures"), {"from": "2026-01-01", "to": "2026-06-30"})
    assert response.status_code == 200
    assert response.context["by_family"] == [] and response.context["repair_orders"] == 0
    programme = make_organisation(kind=OrgKind.PROGRAMME)
    for role in (Role.COORDINATOR, Role.TEACHER):
        client.force_login(make_member(programme, role))
        assert client.get(reverse("depot:figures")).status_code == 403


def test_constant_queries_for_more_rows(client, django_assert_max_num_queries):
    depot = make_depot()
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    repairs_world(depot)
    donations_world(depot)
    url = reverse("depot:figures")
    params = {"from": "2026-01-01", "to": "2026-06-30"}
    client.get(url, params)
    with django_assert_max_num_queries(60) as few:
        client.get(url, params)
    for code in ("cello", "flute", "trombone"):
        repairs_world_of(depot, code)
        lent(depot, make_organisation(kind=OrgKind.PARTNER, region=code), 1, code=code)
    donations_world(depot)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    assert len(response.context["by_type"]) == 5


def repairs_world_of(depot, code):
    [instrument] = make_stock(depot, 1, code=code)
    done(instrument, make_workshop(depot), date(2026, 2, 2), 100, 100)
