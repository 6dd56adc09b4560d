"""The depot's figures: what they count, and who may see them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, figures
from leerorkest.depot.models import Instrument, InstrumentEvent, Loan, PupilLoan
from leerorkest.depot.tests.builders import lent, make_depot, make_stock, sized
from leerorkest.testing import make_member, make_organisation, make_pupil

pytestmark = pytest.mark.django_db


def depots(depot):
    return type(depot).objects.filter(pk=depot.pk)


def with_child(loan: Loan, born: date, pseudonym: str) -> PupilLoan:
    pupil = make_pupil(organisation=loan.borrower, date_of_birth=born)
    return PupilLoan.objects.create(
        loan=loan, pupil=pupil, pseudonym=pseudonym, signed_by="Ouder", agreement_text="tekst"
    )


def test_utilisation_counts_loans_and_transit_against_the_fleet():
    depot = make_depot()
    programme = make_organisation(kind=OrgKind.PARTNER, region="Utrecht")
    shelf = make_stock(depot, 6)
    actions.checkout_instrument(instrument=shelf[0], borrower=programme, by=None)
    actions.checkout_instrument(instrument=shelf[1], borrower=programme, by=None, ship=True)
    actions.send_to_repair(instrument=shelf[2], by=None)
    actions.retire_instrument(instrument=shelf[3], by=None)
    use = figures.utilisation(depots(depot))
    assert (use.fleet, use.in_use, use.available, use.in_repair) == (5, 2, 2, 1)
    assert use.share == pytest.approx(0.4)
    [violins] = figures.utilisation_by_type(depots(depot))
    assert (violins["fleet"], violins["in_use"]) == (5, 2)
    # Another depot's stock is not counted.
    make_stock(make_depot(), 3)
    assert figures.utilisation(depots(depot)).fleet == 5


def test_loans_per_programme_and_region_with_overdue_and_children():
    depot = make_depot()
    north = make_organisation(kind=OrgKind.PARTNER, region="Groningen")
    south = make_organisation(kind=OrgKind.PARTNER, region="Limburg")
    north_loans = lent(depot, north, 3)
    lent(depot, south, 1)
    Loan.objects.filter(pk=north_loans[0].pk).update(due_on=timezone.localdate() - timedelta(1))
    with_child(north_loans[1], date(2016, 5, 1), "K-AAAAAAA")
    with_child(north_loans[2], date(2016, 6, 1), "K-BBBBBBB")
    rows = {r["borrower__name"]: r for r in figures.loans_by_programme(depots(depot))}
    assert (rows[north.name]["loans"], rows[north.name]["overdue"]) == (3, 1)
    assert rows[north.name]["children"] == 2
    assert (rows[south.name]["loans"], rows[south.name]["children"]) == (1, 0)
    regions = {r["region"]: r for r in figures.loans_by_region(depots(depot))}
    assert regions["Groningen"]["loans"] == 3 and regions["Limburg"]["loans"] == 1
    assert figures.children_reached(depots(depot)) == 2


def test_repair_turnaround_pairs_each_repair_with_its_start():
    depot = make_depot()
    first, second = make_stock(depot, 2)
    now = timezone.now()
    for instrument, days in ((first, 4), (second, 10)):
        # History as the demo writes it: a start and an end, days apart.
        InstrumentEvent.objects.create(
            instrument=instrument,
            kind="to_repair",
            status_after="in_repair",
            at=now - timedelta(days=days),
        )
        InstrumentEvent.objects.create(
            instrument=instrument, kind="repaired", status_after="available", at=now
        )
    turnaround = figures.repair_turnaround(depots(depot), since=now - timedelta(days=30))
    assert turnaround.repairs == 2
    assert turnaround.median_days == pytest.approx(7, abs=0.01)
    # Repairs finished before the period do not count.
    assert figures.repair_turnaround(depots(depot), since=now + timedelta(days=1)).repairs == 0


def test_cost_per_lending_year_divides_depreciation_and_repairs_by_loan_years():
    depot = make_depot()
    programme = make_organisation(kind=OrgKind.PARTNER)
    start, end = date(2025, 8, 1), date(2026, 8, 1)
    [violin] = make_stock(depot)
    Instrument.objects.filter(pk=violin.pk).update(value_cents=100_000, acquired_on=start)
    loan = actions.checkout_instrument(instrument=violin, borrower=programme, by=None)
    tz = timezone.get_current_timezone()
    Loan.objects.filter(pk=loan.pk).update(
        out_at=timezone.make_aware(timezone.datetime(2025, 8, 1), tz),
        returned_at=timezone.make_aware(timezone.datetime(2026, 1, 30), tz),
    )
    cost = figures.lending_cost(depots(depot), start, end, repair_cents=5_000)
    assert cost.depreciation_cents == pytest.approx(10_000, abs=10)  # 10% of 1,000 euro a year
    assert cost.loan_years == pytest.approx(182 / 365, abs=0.01)
    assert cost.per_lending_year_cents == pytest.approx(15_000 * 365 / 182, rel=0.02)


def test_size_forecast_moves_children_up_by_age():
    depot = make_depot()
    programme = make_organisation(kind=OrgKind.PARTNER)
    today = date(2026, 11, 27)
    half, three_quarter = sized(depot, "violin", "1/2", 2), sized(depot, "violin", "3/4", 1)
    loans = [actions.checkout_instrument(instrument=i, borrower=programme, by=None) for i in half]
    with_child(loans[0], date(2018, 1, 1), "K-CCCCCCC")  # 9 now; 9 next September: stays 1/2
    with_child(loans[1], date(2016, 10, 1), "K-DDDDDDD")  # 10 next September: 3/4
    rows = {r["size"]: r for r in figures.size_forecast(depots(depot), today)}
    assert (rows["1/2"]["now"], rows["1/2"]["next"], rows["1/2"]["stock"]) == (2, 1, 2)
    assert (rows["3/4"]["now"], rows["3/4"]["next"], rows["3/4"]["stock"]) == (0, 1, 1)
    assert rows["3/4"]["difference"] == 0
    assert three_quarter[0].size.label == "3/4"


def test_figures_page_for_depot_staff_only(client):
    depot = make_depot()
    staff = make_member(depot, Role.DEPOT_STAFF)
    make_stock(depot, 2)
    client.force_login(staff)
    response = client.get(reverse("depot:figures"), secure=True)
    assert response.status_code == 200
    assert response.context["utilisation"].fleet == 2
    home = client.get("/", secure=True)
    keys = {f.key for f in home.context["figures"]}
    assert {"depot_utilisation", "depot_in_repair", "depot_available"} <= keys
    coordinator = make_member(make_organisation(kind=OrgKind.PARTNER), Role.PARTNER_COORDINATOR)
    client.force_login(coordinator)
    assert client.get(reverse("depot:figures"), secure=True).status_code == 403
    assert not Membership.objects.filter(user=coordinator, organisation=depot).exists()
