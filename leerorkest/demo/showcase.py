"""Demo step: one instrument's whole life, so a new user can open a single page and see how the
parts fit together. A donor gives a violin 1/2; it is assessed "needs repair" and goes to the
string workshop, where the demo volunteer fits new strings and the workshop lead signs it off; a
programme asks for a violin 1/2 and the depot reserves this one for it; it leaves on a transport
run, the programme confirms receipt and lends it to a child with the parent's signature; the
child brings it back, and the depot takes it back at the desk, inspects it and puts it in the
cleaning queue.

Every instrument change goes through the real actions of the donations, workshop, allocation,
stock and depot apps. Two things are written directly, neither of them a status:

- the asset tag: donations number their instruments in the LO-00001 series; the showcase gets a
  tag anyone can remember (SHOWCASE_TAG), outside that series, right after it came in;
- the allocation run: the real `run_allocation` takes every open request of the depot, and the
  demo's open requests are left for the user to allocate. The showcase's run holds only its own
  request and instrument; confirming it goes through `confirm_run` (and so `reserve_instrument`).

The borrowing programme is Drechtsteden (partner@…) when it has pupils, otherwise the Amsterdam
programme (coordinator@…), whose pupils the demo has.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from leerorkest.accounts.models import User
from leerorkest.allocation import actions as allocation_actions
from leerorkest.allocation.models import Allocation, AllocationRun
from leerorkest.demo.loans import SIGNATURE
from leerorkest.depot import desk_actions, pupil_loans
from leerorkest.depot.models import (
    Condition,
    Instrument,
    Loan,
    Location,
    Outcome,
    PupilLoan,
    SignedHow,
    Size,
)
from leerorkest.donations import actions as donation_actions
from leerorkest.donations.models import DonationItem
from leerorkest.programme.models import InstrumentType
from leerorkest.schools.models import Pupil
from leerorkest.stock import actions as stock_actions
from leerorkest.workshop import actions as workshop_actions
from leerorkest.workshop.models import Part, WorkOrder
from leerorkest.workshop.parts import use_part

# Upper case, at most 20 characters (Instrument.asset_tag), no spaces: labels and stock-takes
# upper-case and strip what is scanned. Not LO-<digits>, so no generated tag can ever clash.
SHOWCASE_TAG = "LO-DEMO1"
DONOR = {
    "kind": "person",
    "name": "Hendrika Vermeulen",
    "email": "h.vermeulen@example.org",
    "consent_thanks": True,
    "consent_named": True,
    "notes": "Viool van haar kleindochter, die nu altviool speelt.",
}


def _user(demo, key: str) -> User:
    return User.objects.get(email=f"{key}@{demo.domain}")


def _borrower(demo):
    """(programme, its coordinator, one of its pupils): Drechtsteden if it has pupils."""
    candidates = [
        ("leerorkest-drechtsteden", "partner"),
        ("programme", "coordinator"),
    ]
    for key, login in candidates:
        programme = demo.organisations.get(key)
        if programme is None:
            continue
        pupil = (
            Pupil.objects.filter(
                organisation=programme, pseudonymised_at__isnull=True, left_on__isnull=True
            )
            .exclude(pk__in=PupilLoan.objects.filter(returned_at__isnull=True).values("pupil_id"))
            .order_by("pk")
            .first()
        )
        if pupil is not None:
            return programme, _user(demo, login), pupil
    raise RuntimeError("The showcase needs a programme with pupils.")


def step_showcase(demo) -> None:
    depot = demo.organisations["depot"]
    staff = _user(demo, "depot")
    lead = _user(demo, "werkmeester")
    volunteer = _user(demo, "vrijwilliger")
    programme, coordinator, pupil = _borrower(demo)
    today = timezone.localdate()
    violin = InstrumentType.objects.get(code="violin")
    half = Size.objects.get(instrument_type=violin, label="1/2")
    shelf = (
        Location.objects.filter(organisation=depot, kind=Location.Kind.SHELF)
        .order_by("name")
        .first()
    )

    # A donor brings a violin 1/2; the workshop lead assesses it: it needs repair.
    donation = donation_actions.register_donation(
        organisation=depot,
        by=staff,
        new_donor=DONOR,
        received_on=today - timedelta(days=75),
        location=shelf,
        items=[
            {
                "description": "Viool 1/2 in koffer met strijkstok; kam omgevallen",
                "instrument_type": violin,
                "size": half,
                "make": "Stentor",
                "model_name": "Student II",
                "serial": "ST2-0412",
            }
        ],
        note="Gebracht bij de open dag.",
    )
    item = donation_actions.assess_item(
        item=DonationItem.objects.get(donation=donation),
        assessment=DonationItem.Assessment.NEEDS_REPAIR,
        by=lead,
        value_cents=18_000,
        note="Kam omgevallen, E-snaar gebroken; verder gaaf.",
    )
    Instrument.objects.filter(pk=item.instrument_id).update(asset_tag=SHOWCASE_TAG)
    fiddle = Instrument.objects.get(pk=item.instrument_id)

    # The string workshop: the lead gives the order to the demo volunteer, who fits strings
    # and a bridge and marks it ready; the lead signs it off and it is available again.
    order = WorkOrder.objects.open().select_related("workshop").get(instrument=fiddle)
    workshop_actions.assign(work_order=order, to=volunteer, by=lead)
    workshop_actions.add_labour(
        work_order=order,
        hours=Decimal("1.5"),
        by=volunteer,
        note="Kam gesteld, snaren vervangen, gestemd.",
    )
    strings = (
        Part.objects.filter(organisation=depot, instrument_type=violin, on_hand__gt=0)
        .order_by("name")
        .first()
    )
    if strings is not None:
        use_part(work_order=order, part=strings, quantity=1, by=volunteer)
    workshop_actions.ready_for_qa(work_order=order, by=volunteer)
    signer = lead if order.workshop.lead_id == lead.pk else staff
    workshop_actions.sign_off(work_order=order, by=signer, note="Speelklaar.")

    # The programme asks for a violin 1/2; the depot reserves this one for it.
    request = allocation_actions.create_request(
        borrower=programme,
        depot=depot,
        school_year=demo.years[0],
        needed_by=today + timedelta(days=14),
        lines=[{"instrument_type": violin, "size": half, "quantity": 1}],
        by=coordinator,
        note="Een nieuwe leerling in groep 6 speelt viool.",
        submit=True,
    )
    line = request.lines.get()
    figures = {
        "requested": 1,
        "filled": 1,
        "exact": 1,
        "substituted": 0,
        "short": 0,
        "min_fair_share": 1.0,
        "mean_km": 0,
        "lines": {str(line.pk): [1, 1, 0]},
        "stages": [],
    }
    run = AllocationRun.objects.create(
        depot=depot, by=staff, solver_status="MANUAL", figures=figures, greedy_figures=figures
    )
    run.requests.set([request])
    Allocation.objects.create(run=run, line=line, instrument=fiddle)
    allocation_actions.confirm_run(run=run, by=staff)

    # A transport run takes it to the programme, which confirms receipt.
    transport = stock_actions.create_run(
        depot_org=depot, by=staff, date=today, driver="Joop de Vries", vehicle="Bus 2"
    )
    stop = stock_actions.add_stop(run=transport, borrower=programme, by=staff)
    stock_actions.pack(stop=stop, tags=[SHOWCASE_TAG], by=staff)
    stock_actions.depart(run=transport, by=staff)
    loan = Loan.objects.get(instrument=fiddle, returned_at__isnull=True)
    stock_actions.confirm_delivery(loans=[loan], by=coordinator)
    stock_actions.finish_run(run=transport, by=staff)

    # The coordinator lends it to a child, the parent signs on the tablet; the child brings
    # it back, and the programme returns it to the depot's desk: inspected, then cleaning.
    child = pupil_loans.lend_to_pupil(
        loan=loan,
        pupil=pupil,
        signed_by=pupil.parent_name or "Ouder of verzorger",
        signed_how=SignedHow.TABLET,
        signature=SIGNATURE,
        by=coordinator,
    )
    pupil_loans.return_from_pupil(pupil_loan=child, by=coordinator)
    desk_actions.return_with_inspection(
        instrument=fiddle,
        by=staff,
        condition=Condition.B,
        outcome=Outcome.CLEANING,
        damage="Hars op het bovenblad",
    )
