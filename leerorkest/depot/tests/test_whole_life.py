"""One instrument's whole life, through the real actions of every part of the depot: donated and
assessed, repaired by a volunteer and signed off, requested and allocated, shipped on a transport
run, received, lent on to a child, returned and inspected at the desk. The instrument page then
tells the story, without ever naming the child; the demo's showcase instrument tells it too."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.allocation import actions as allocation_actions
from leerorkest.allocation.models import Allocation, RequestStatus
from leerorkest.allocation.stock import LENDABLE
from leerorkest.allocation.tests.builders import add_stock, line, size
from leerorkest.depot import desk_actions, pupil_loans
from leerorkest.depot.models import (
    Condition,
    EventKind,
    Instrument,
    InstrumentStatus,
    Loan,
    Outcome,
    PupilLoan,
    SignedHow,
)
from leerorkest.donations import actions as donation_actions
from leerorkest.donations.models import DonationItem
from leerorkest.stock import actions as stock_actions
from leerorkest.stock.models import PackedItem
from leerorkest.testing import (
    instrument,
    make_member,
    make_organisation,
    make_pupil,
    make_school_year,
)
from leerorkest.workshop import actions as workshop_actions
from leerorkest.workshop.models import Skill, WorkOrder
from leerorkest.workshop.parts import use_part
from leerorkest.workshop.tests.builders import add_member, make_part, make_workshop

Status = InstrumentStatus
Assessment = DonationItem.Assessment
# A tiny drawn line, as the tablet gives it (a PNG data URL).
SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAACCAYAAABllJ3tAAAAFklEQVR4nGNgYGD4"
    "z8DAwMDIgA0AAB0ABR2ZbQ0AAAAASUVORK5CYII="
)
PUPIL_GIVEN, PUPIL_SURNAME, PARENT = "Fleurtje", "Zonnebloem", "Marieke Zonnebloem"
DONOR = "Anna Gever"


@dataclass
class World:
    depot: object
    staff: object
    lead: object
    volunteer: object
    workshop: object
    part: object
    partner: object
    coordinator: object
    other: object
    other_coordinator: object
    pupil: object


@pytest.fixture
def world(db) -> World:
    depot = make_organisation(kind=OrgKind.DEPOT, name="Instrumentendepot", city="Amsterdam")
    lead = make_member(depot, Role.WORKSHOP_LEAD, full_name="Wim Werkmeester")
    volunteer = make_member(depot, Role.WORKSHOP_VOLUNTEER, full_name="Vera Vrijwilliger")
    workshop = make_workshop(depot, skills=(Skill.STRINGS,), lead=lead, name="Atelier strijkers")
    add_member(workshop, volunteer)
    partner = make_organisation(
        kind=OrgKind.PARTNER, name="Leerorkest Drechtsteden", city="Dordrecht"
    )
    other = make_organisation(kind=OrgKind.PARTNER, name="Leerorkest Elders", city="Zwolle")
    return World(
        depot=depot,
        staff=make_member(depot, Role.DEPOT_STAFF, full_name="Dirk Depot"),
        lead=lead,
        volunteer=volunteer,
        workshop=workshop,
        part=make_part(depot, "Vioolsnaren (set)", on_hand=5, cost=1800),
        partner=partner,
        coordinator=make_member(partner, Role.PARTNER_COORDINATOR, full_name="Petra Partner"),
        other=other,
        other_coordinator=make_member(other, Role.PARTNER_COORDINATOR),
        pupil=make_pupil(
            organisation=partner,
            given_name=PUPIL_GIVEN,
            surname=PUPIL_SURNAME,
            parent_name=PARENT,
        ),
    )


def status_of(instrument) -> str:
    return Instrument.objects.values_list("status", flat=True).get(pk=instrument.pk)


def kinds_of(instrument) -> list[str]:
    return list(instrument.events.order_by("at", "id").values_list("kind", flat=True))


def page(client, user, instrument) -> str:
    client.force_login(user)
    response = client.get(reverse("depot:instrument_detail", args=[instrument.pk]))
    assert response.status_code == 200
    return response.content.decode()


def donate_and_repair(w: World):
    """Donation → assessment "needs repair" → work order → labour and a part → QA → available."""
    violin, half = instrument("violin"), size("violin", "1/2")
    donation = donation_actions.register_donation(
        organisation=w.depot,
        by=w.staff,
        new_donor={"kind": "person", "name": DONOR, "consent_named": True},
        received_on=timezone.localdate() - timedelta(days=60),
        items=[
            {
                "description": "Viool 1/2 in koffer, kam los",
                "instrument_type": violin,
                "size": half,
                "make": "Stentor",
            }
        ],
    )
    item = donation_actions.assess_item(
        item=donation.items.get(),
        assessment=Assessment.NEEDS_REPAIR,
        by=w.lead,
        value_cents=15_000,
        note="Kam los, snaren kapot.",
    )
    fiddle = item.instrument
    assert fiddle.acquired_via == Instrument.Acquired.DONATION
    assert (fiddle.instrument_type, fiddle.size) == (violin, half)
    assert status_of(fiddle) == Status.IN_REPAIR

    order = WorkOrder.objects.get(instrument=fiddle)
    assert order.workshop == w.workshop and order.status == WorkOrder.Status.QUEUED
    assert order.source == WorkOrder.Source.INSPECTION
    workshop_actions.take(work_order=order, by=w.volunteer)
    workshop_actions.add_labour(work_order=order, hours=Decimal("1.5"), by=w.volunteer)
    use_part(work_order=order, part=w.part, quantity=1, by=w.volunteer)
    workshop_actions.ready_for_qa(work_order=order, by=w.volunteer)
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.AWAITING_QA
    assert (order.hours, order.parts_cost_cents) == (Decimal("1.5"), 1800)
    assert status_of(fiddle) == Status.IN_REPAIR
    with pytest.raises(DomainError):  # a volunteer does not sign off their own repair
        workshop_actions.sign_off(work_order=order, by=w.volunteer)
    workshop_actions.sign_off(work_order=order, by=w.lead)
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.DONE and order.qa_signed_by == w.lead
    assert status_of(fiddle) == Status.AVAILABLE
    return donation, fiddle, order


@pytest.mark.parametrize("outcome", [Outcome.CLEANING, Outcome.REPAIR])
def test_an_instrument_lives_its_whole_life_through_the_real_actions(world, client, outcome):
    w = world
    client.cookies["leerorkest_language"] = "en"
    donation, fiddle, order = donate_and_repair(w)

    # A partner programme asks for a violin 1/2; another asks for a cello. One run, both open.
    add_stock(w.depot, "cello", "1/2", 1)
    request = allocation_actions.create_request(
        borrower=w.partner,
        depot=w.depot,
        school_year=make_school_year(2026),
        needed_by=timezone.localdate() + timedelta(days=30),
        lines=[line("violin", "1/2", 1)],
        by=w.coordinator,
        submit=True,
    )
    elsewhere = allocation_actions.create_request(
        borrower=w.other,
        depot=w.depot,
        school_year=make_school_year(2026),
        needed_by=timezone.localdate() + timedelta(days=30),
        lines=[line("cello", "1/2", 1)],
        by=w.other_coordinator,
        submit=True,
    )
    run = allocation_actions.run_allocation(depot=w.depot, by=w.staff, time_limit=5)
    assert set(run.requests.all()) == {request, elsewhere}
    proposed = Allocation.objects.get(run=run, instrument=fiddle)
    assert proposed.line.request == request
    assert status_of(fiddle) == Status.AVAILABLE  # a proposal reserves nothing
    allocation_actions.confirm_run(run=run, by=w.staff)
    fiddle.refresh_from_db()
    assert fiddle.status == Status.RESERVED and fiddle.reserved_for == w.partner
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED

    # A transport run with a stop for the programme, packed from its reservations, departs.
    transport = stock_actions.create_run(
        depot_org=w.depot, by=w.staff, date=timezone.localdate(), driver="Joop"
    )
    stop = stock_actions.add_stop(run=transport, borrower=w.partner, by=w.staff)
    assert stock_actions.fill_from_reservations(stop=stop, by=w.staff) == 1
    assert stop.items.get().instrument == fiddle
    departure = stock_actions.depart(run=transport, by=w.staff)
    assert (departure.shipped, departure.refused) == (1, [])
    assert status_of(fiddle) == Status.IN_TRANSIT
    loan = Loan.objects.get(instrument=fiddle, returned_at__isnull=True)
    assert loan.borrower == w.partner and PackedItem.objects.get(stop=stop).loan == loan

    # The partner's portal shows the loan while it is open; another programme gets a 404.
    client.force_login(w.coordinator)
    portal = client.get(reverse("depot:portal"))
    assert portal.status_code == 200 and fiddle.asset_tag in portal.content.decode()
    assert client.get(reverse("depot:portal_loan", args=[loan.pk])).status_code == 200
    client.force_login(w.other_coordinator)
    assert client.get(reverse("depot:portal_loan", args=[loan.pk])).status_code == 404
    assert fiddle.asset_tag not in client.get(reverse("depot:portal")).content.decode()

    # The coordinator confirms receipt, then lends it to a pupil with the parent's signature.
    confirmed, refused = stock_actions.confirm_delivery(loans=[loan], by=w.coordinator)
    assert (confirmed, refused) == ([loan], [])
    assert status_of(fiddle) == Status.ON_LOAN
    child = pupil_loans.lend_to_pupil(
        loan=loan,
        pupil=w.pupil,
        signed_by=PARENT,
        signed_how=SignedHow.TABLET,
        signature=SIGNATURE,
        by=w.coordinator,
    )
    assert child.pseudonym.startswith("K-") and status_of(fiddle) == Status.ON_LOAN
    while_with_the_child = page(client, w.staff, fiddle)
    assert child.pseudonym in while_with_the_child
    for private in (PUPIL_GIVEN, PUPIL_SURNAME, PARENT):
        assert private not in while_with_the_child

    # The child brings it back; the programme brings it back to the depot's desk.
    pupil_loans.return_from_pupil(pupil_loan=child, by=w.coordinator)
    assert PupilLoan.objects.get(pk=child.pk).returned_at is not None
    assert status_of(fiddle) == Status.ON_LOAN  # still with the programme
    inspection = desk_actions.return_with_inspection(
        instrument=fiddle,
        by=w.staff,
        condition=Condition.C,
        outcome=outcome,
        damage="Kras op de bovenblad" if outcome == Outcome.REPAIR else "",
    )
    assert inspection.loan == loan
    assert Loan.objects.get(pk=loan.pk).returned_at is not None
    fiddle.refresh_from_db()
    assert fiddle.condition == Condition.C
    story = [
        EventKind.ACQUIRED,
        EventKind.SENT_TO_REPAIR,
        EventKind.REPAIRED,
        EventKind.RESERVED,
        EventKind.SHIPPED,
        EventKind.RECEIVED,
        EventKind.RETURNED,
        EventKind.INSPECTED,
    ]
    if outcome == Outcome.REPAIR:
        assert fiddle.status == Status.IN_REPAIR
        story.append(EventKind.SENT_TO_REPAIR)
        second = WorkOrder.objects.open().get(instrument=fiddle)
        assert second.source == WorkOrder.Source.INSPECTION and second.pk != order.pk
    else:
        assert fiddle.status == Status.CLEANING
    assert kinds_of(fiddle) == story
    # The cached status is the latest event's, every step of the way.
    latest = fiddle.events.order_by("-at", "-id").first()
    assert latest.status_after == fiddle.status
    # The programme the events name: the partner, from reservation to return.
    borrowers = set(
        fiddle.events.filter(
            kind__in=[EventKind.RESERVED, EventKind.SHIPPED, EventKind.RECEIVED]
        ).values_list("organisation", flat=True)
    )
    assert borrowers == {w.partner.pk}

    # The instrument page tells the whole story, and never names the child.
    html = page(client, w.staff, fiddle)
    assert f"Came from a donation by {DONOR}" in html
    assert reverse("donations:detail", args=[donation.pk]) in html
    assert reverse("workshop:work_order", args=[order.pk]) in html
    assert reverse("allocation:request_detail", args=[request.pk]) in html
    assert reverse("stock:run_detail", args=[transport.pk]) in html
    assert w.partner.name in html
    # Every borrower: the programme, and the child by pseudonym only.
    assert "Children (pseudonym)" in html and child.pseudonym in html
    for private in (PUPIL_GIVEN, PUPIL_SURNAME, PARENT, SIGNATURE):
        assert private not in html
    for kind in story:
        assert str(EventKind(kind).label) in html
    # After the return the portal no longer lists it as open.
    client.force_login(w.coordinator)
    assert fiddle.asset_tag not in client.get(reverse("depot:portal")).content.decode()


def test_a_repaired_donation_leaves_the_workshop_lendable(world):
    """The QA sign-off grades the instrument: one that needed repair (D) counts as playable."""
    _donation, fiddle, _order = donate_and_repair(world)
    fiddle.refresh_from_db()
    assert fiddle.condition in LENDABLE and fiddle.condition == Condition.C


# --- the demo's showcase instrument ------------------------------------------------------------


def test_the_demo_showcase_instrument_tells_the_whole_story(db, client):
    from leerorkest.demo.build import build
    from leerorkest.demo.showcase import SHOWCASE_TAG

    build(scale="amsterdam")
    showcase = Instrument.objects.get(asset_tag=SHOWCASE_TAG)
    kinds = kinds_of(showcase)
    for kind in (
        EventKind.ACQUIRED,
        EventKind.SENT_TO_REPAIR,
        EventKind.REPAIRED,
        EventKind.RESERVED,
        EventKind.SHIPPED,
        EventKind.RECEIVED,
        EventKind.RETURNED,
        EventKind.INSPECTED,
    ):
        assert kind in kinds, kind
    assert kinds.index(EventKind.ACQUIRED) == 0
    assert kinds.index(EventKind.RECEIVED) < kinds.index(EventKind.RETURNED)
    assert showcase.acquired_via == Instrument.Acquired.DONATION
    assert DonationItem.objects.filter(instrument=showcase).exists()
    assert WorkOrder.objects.filter(instrument=showcase, status=WorkOrder.Status.DONE).exists()
    assert Allocation.objects.filter(instrument=showcase, run__confirmed_at__isnull=False).exists()
    assert PackedItem.objects.filter(instrument=showcase, loan__isnull=False).exists()
    child = PupilLoan.objects.get(loan__instrument=showcase)
    assert child.returned_at is not None and child.pseudonym.startswith("K-")
    assert not Loan.objects.filter(instrument=showcase, returned_at__isnull=True).exists()
    latest = showcase.events.order_by("-at", "-id").first()
    assert showcase.status == latest.status_after
    assert showcase.status in (Status.CLEANING, Status.AVAILABLE)
    # A new user opens its page as depot staff and sees everything, never the child's name.
    staff = showcase.organisation.memberships.get(
        role=Role.DEPOT_STAFF, user__email__startswith="depot@"
    ).user
    client.cookies["leerorkest_language"] = "en"
    html = page(client, staff, showcase)
    assert SHOWCASE_TAG in html
    for text in ("Came from a donation by", "Repairs", "Requests", "Transport runs"):
        assert text in html
    assert child.pseudonym in html and child.loan.borrower.name in html
    pupil = child.pupil
    # Staff names may share a surname with the child: the child's full name must not appear.
    full_name = " ".join(filter(None, (pupil.given_name, pupil.surname_prefix, pupil.surname)))
    assert full_name not in html
    assert f"{pupil.given_name} {pupil.surname}" not in html
