"""Demo step for the stock handling: two past transport runs (done), one underway with a
delivery the Drechtsteden programme (the partner@ login) still has to confirm, one planned for
next week; a closed stock-take with a few discrepancies and one still open.

The past runs are history written in bulk, consistent with the cached status: each instrument
was available before the run, gets a loan, a "shipped" and a "received" event and is on loan
now. The live instruments (the delivery underway, the stock-takes) go through the actions.
"""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from leerorkest.accounts.models import Organisation, User
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot.actions import season_end
from leerorkest.depot.models import (
    EventKind,
    Instrument,
    InstrumentEvent,
    InstrumentStatus,
    Loan,
    Location,
)
from leerorkest.stock import actions
from leerorkest.stock.models import PackedItem, StockTakeScan, Stop, TransportRun

Status = InstrumentStatus
VEHICLES = ["Bus 1 (VW Crafter)", "Bus 2 (Ford Transit)"]
PER_STOP = 4


def step_stock(demo) -> None:
    depot = demo.organisations["depot"]
    staff = (
        User.objects.filter(memberships__organisation=depot, memberships__role=Role.DEPOT_STAFF)
        .order_by("pk")
        .first()
    )
    partners = list(Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk"))
    drechtsteden = Organisation.objects.filter(slug="leerorkest-drechtsteden").first()
    if not partners or staff is None:
        return
    now = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    rng = demo.rng
    pool = list(
        Instrument.objects.filter(organisation=depot, status=Status.AVAILABLE)
        .annotate(last=Max("events__at"))
        .filter(last__lt=now - timedelta(days=90))
        .order_by("asset_tag")
        .values_list("pk", flat=True)[:400]
    )
    rng.shuffle(pool)

    # Two runs this autumn, delivered and confirmed.
    for number, days_ago in enumerate((75, 45)):
        stops = [partners[(number * 3 + i) % len(partners)] for i in range(3)]
        _past_run(demo, depot, staff, now - timedelta(days=days_ago), stops, pool, number)

    # Underway today: a delivery Drechtsteden has not confirmed yet.
    if drechtsteden is not None:
        run = actions.create_run(
            depot_org=depot,
            by=staff,
            date=now.date(),
            driver=demo.person(),
            vehicle=VEHICLES[0],
        )
        stop = actions.add_stop(run=run, borrower=drechtsteden, by=staff)
        tags = list(Instrument.objects.filter(pk__in=pool[:3]).values_list("asset_tag", flat=True))
        del pool[:3]
        actions.pack(stop=stop, tags=tags, by=staff)
        actions.depart(run=run, by=staff)

    # Planned for next week, packed but not gone.
    run = actions.create_run(
        depot_org=depot,
        by=staff,
        date=(now + timedelta(days=7)).date(),
        driver=demo.person(),
        vehicle=VEHICLES[1],
        notes="Ophalen sleutels bij de receptie",
    )
    for partner in partners[:3]:
        stop = actions.add_stop(run=run, borrower=partner, by=staff)
        tags = list(
            Instrument.objects.filter(pk__in=pool[:PER_STOP]).values_list("asset_tag", flat=True)
        )
        del pool[:PER_STOP]
        actions.pack(stop=stop, tags=tags, by=staff)

    _stocktakes(depot, staff)


def _past_run(demo, depot, staff, at, borrowers, pool, number) -> None:
    run = TransportRun.objects.create(
        organisation=depot,
        date=at.date(),
        driver=demo.person(),
        vehicle=VEHICLES[number % 2],
        status=TransportRun.Status.DONE,
        created_by=staff,
        departed_at=at,
        finished_at=at + timedelta(hours=7),
    )
    due = season_end(at.date())
    items, events, shipped = [], [], []
    for order, borrower in enumerate(borrowers, start=1):
        stop = Stop.objects.create(
            run=run, order=order, borrower=borrower, address=borrower.city or ""
        )
        chosen = pool[:PER_STOP]
        del pool[:PER_STOP]
        loans = Loan.objects.bulk_create(
            [
                Loan(
                    instrument_id=pk,
                    lender=depot,
                    borrower=borrower,
                    out_at=at,
                    due_on=due,
                    idempotency_key=f"run{run.pk}:{pk}",
                    checked_out_by=staff,
                )
                for pk in chosen
            ]
        )
        for loan in loans:
            items.append(
                PackedItem(run=run, stop=stop, instrument_id=loan.instrument_id, loan=loan)
            )
            arrived = at + timedelta(hours=order + 1)
            events += [
                InstrumentEvent(
                    instrument_id=loan.instrument_id,
                    kind=EventKind.SHIPPED,
                    at=at,
                    by=staff,
                    status_after=Status.IN_TRANSIT,
                    organisation=borrower,
                    loan=loan,
                ),
                InstrumentEvent(
                    instrument_id=loan.instrument_id,
                    kind=EventKind.RECEIVED,
                    at=arrived,
                    status_after=Status.ON_LOAN,
                    organisation=borrower,
                    loan=loan,
                ),
            ]
            shipped.append(loan.instrument_id)
    PackedItem.objects.bulk_create(items)
    InstrumentEvent.objects.bulk_create(events)
    Instrument.objects.filter(pk__in=shipped).update(status=Status.ON_LOAN, reserved_for=None)


def _stocktakes(depot, staff) -> None:
    """Shelf A counted (three instruments not found, one from shelf B found there, one tag
    nobody knows); shelf C being counted now."""
    shelves = list(Location.objects.filter(organisation=depot, kind=Location.Kind.SHELF))
    if len(shelves) < 3:
        return
    shelf_a, shelf_b, shelf_c = sorted(shelves, key=lambda s: s.name)[:3]
    stocktake = actions.start_stocktake(location=shelf_a, by=staff)
    expected = list(
        Instrument.objects.filter(
            organisation=depot, location=shelf_a, status__in=actions.AT_HOME
        ).order_by("asset_tag")
    )
    missing = expected[5:8]
    stray = (
        Instrument.objects.filter(organisation=depot, location=shelf_b, status=Status.AVAILABLE)
        .order_by("asset_tag")
        .first()
    )
    found = [i for i in expected if i not in missing] + ([stray] if stray else [])
    scans = [
        StockTakeScan(stocktake=stocktake, tag=i.asset_tag, instrument=i, by=staff) for i in found
    ]
    scans.append(StockTakeScan(stocktake=stocktake, tag="INV-2011-042", by=staff))
    StockTakeScan.objects.bulk_create(scans)
    lost = {i.pk for i in missing[:1] if actions.can_mark_lost(i)}
    actions.close_stocktake(stocktake=stocktake, lost_ids=lost, by=staff)

    counting = actions.start_stocktake(location=shelf_c, by=staff)
    some = Instrument.objects.filter(
        organisation=depot, location=shelf_c, status__in=actions.AT_HOME
    ).order_by("asset_tag")[:25]
    StockTakeScan.objects.bulk_create(
        [StockTakeScan(stocktake=counting, tag=i.asset_tag, instrument=i, by=staff) for i in some]
    )
