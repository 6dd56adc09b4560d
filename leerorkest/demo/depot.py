"""Demo step for the depot: ~10,000 instruments with a realistic mix of types and sizes, their
history, and loans to the Amsterdam programme and the partner programmes, this season and
earlier ones."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind
from leerorkest.depot import sizes as size_catalogue
from leerorkest.depot.models import (
    Condition,
    EventKind,
    Instrument,
    InstrumentEvent,
    InstrumentStatus,
    Loan,
    Location,
    Size,
)
from leerorkest.programme import catalogue as instrument_catalogue
from leerorkest.programme.models import InstrumentType

# Share of the stock per instrument (strings dominate, as in the programmes).
MIX = {
    "violin": 30,
    "viola": 5,
    "cello": 12,
    "double-bass": 6,
    "flute": 8,
    "oboe": 2,
    "clarinet": 7,
    "bassoon": 1,
    "trumpet": 8,
    "horn": 3,
    "trombone": 6,
    "baritone": 4,
    "tuba": 1,
    "percussion": 5,
    "harp": 2,
}
# Children's sizes are most in demand in the middle of the range.
SIZE_WEIGHTS = [1, 2, 3, 5, 6, 5, 3, 2]
WIND = {"flute", "oboe", "clarinet", "bassoon", "trumpet", "horn", "trombone", "baritone", "tuba"}
MAKES = {
    "strings": ["Stentor", "Yamaha", "Gliga", "Höfner", "Eastman"],
    "woodwind": ["Yamaha", "Buffet Crampon", "Jupiter", "Pearl"],
    "brass": ["Yamaha", "Jupiter", "Besson", "Bach"],
    "percussion": ["Adams", "Yamaha", "Majestic"],
    "plucked": ["Salvi", "Camac"],
}


def step_depot(demo, total: int = 10_000) -> None:
    depot = demo.organisations["depot"]
    instrument_catalogue.install(InstrumentType)
    size_catalogue.install(Size, InstrumentType)
    rng, now = demo.rng, timezone.now()
    tz = timezone.get_current_timezone()
    shelves = Location.objects.bulk_create(
        [
            Location(organisation=depot, name=f"Stelling {letter}", kind=Location.Kind.SHELF)
            for letter in "ABCDEF"
        ]
        + [
            Location(organisation=depot, name=name, kind=Location.Kind.WORKSHOP)
            for name in ("Atelier strijkers", "Atelier blazers", "Atelier slagwerk")
        ]
    )
    shelves, workshops = shelves[:6], shelves[6:]
    kinds = {k.code: k for k in InstrumentType.objects.all()}
    sizes_by_type: dict[int, list[Size]] = {}
    for size in Size.objects.order_by("sort_order"):
        sizes_by_type.setdefault(size.instrument_type_id, []).append(size)
    codes = list(MIX)
    weights = [MIX[c] for c in codes]
    borrowers = [demo.organisations["programme"]] * 12 + list(
        Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk")
    )
    season_start = datetime.combine(demo.years[0].starts_on, time(10), tz)
    instruments, plan = [], []
    for number in range(total):
        code = rng.choices(codes, weights)[0]
        kind = kinds[code]
        options = sizes_by_type.get(kind.pk, [])
        size = rng.choices(options, SIZE_WEIGHTS[: len(options)])[0] if options else None
        acquired = now - timedelta(days=rng.randint(30, 11 * 365))
        roll = rng.random()
        # 55% out on loan this season, 4% in repair, 2% awaiting cleaning, 2% retired, rest home.
        status = (
            InstrumentStatus.ON_LOAN
            if roll < 0.55
            else InstrumentStatus.IN_REPAIR
            if roll < 0.59
            else InstrumentStatus.CLEANING
            if roll < 0.61 and code in WIND
            else InstrumentStatus.RETIRED
            if roll < 0.63
            else InstrumentStatus.AVAILABLE
        )
        instruments.append(
            Instrument(
                organisation=depot,
                asset_tag=f"LO-{number + 1:05d}",
                instrument_type=kind,
                size=size,
                make=rng.choice(MAKES[kind.family]),
                serial=f"{rng.randint(100000, 999999)}",
                value_cents=rng.choice([15000, 25000, 40000, 60000, 90000, 150000]),
                acquired_via=rng.choices(["donation", "purchase", "transfer"], [6, 3, 1])[0],
                acquired_on=acquired.date(),
                condition=rng.choice(Condition.values[:3]),
                location=rng.choice(workshops)
                if status == InstrumentStatus.IN_REPAIR
                else rng.choice(shelves),
                status=status,
            )
        )
        plan.append((acquired, status, rng.choice(borrowers), rng.random() < 0.35))
    instruments = Instrument.objects.bulk_create(instruments, batch_size=2000)
    events, loans, loan_plan = [], [], []
    for instrument, (acquired, status, borrower, earlier) in zip(instruments, plan, strict=True):
        events.append(
            InstrumentEvent(
                instrument=instrument,
                kind=EventKind.ACQUIRED,
                at=acquired,
                status_after=InstrumentStatus.AVAILABLE,
            )
        )
        if earlier:  # a loan in an earlier season, returned in July
            out = max(acquired, season_start - timedelta(days=365)) + timedelta(days=3)
            back = out + timedelta(days=300)
            if back < season_start:
                loans.append(
                    Loan(
                        instrument=instrument,
                        lender=instrument.organisation,
                        borrower=borrower,
                        out_at=out,
                        due_on=back.date(),
                        returned_at=back,
                    )
                )
                loan_plan.append((instrument, borrower, out, back))
        if status == InstrumentStatus.ON_LOAN:
            out = max(acquired, season_start) + timedelta(days=rng.randint(0, 20))
            loans.append(
                Loan(
                    instrument=instrument,
                    lender=instrument.organisation,
                    borrower=borrower,
                    out_at=out,
                    due_on=demo.years[0].ends_on,
                )
            )
            loan_plan.append((instrument, borrower, out, None))
        elif status != InstrumentStatus.AVAILABLE:
            kind = {
                InstrumentStatus.IN_REPAIR: EventKind.SENT_TO_REPAIR,
                InstrumentStatus.CLEANING: EventKind.RETURNED,
                InstrumentStatus.RETIRED: EventKind.RETIRED,
            }[status]
            events.append(
                InstrumentEvent(
                    instrument=instrument,
                    kind=kind,
                    status_after=status,
                    at=now - timedelta(days=rng.randint(1, 40)),
                )
            )
    loans = Loan.objects.bulk_create(loans, batch_size=2000)
    for loan, (instrument, borrower, out, back) in zip(loans, loan_plan, strict=True):
        events.append(
            InstrumentEvent(
                instrument=instrument,
                kind=EventKind.CHECKED_OUT,
                at=out,
                status_after=InstrumentStatus.ON_LOAN,
                organisation=borrower,
                loan=loan,
            )
        )
        if back is not None:
            events.append(
                InstrumentEvent(
                    instrument=instrument,
                    kind=EventKind.RETURNED,
                    at=back,
                    status_after=InstrumentStatus.AVAILABLE,
                    organisation=borrower,
                    loan=loan,
                )
            )
    InstrumentEvent.objects.bulk_create(events, batch_size=5000)
