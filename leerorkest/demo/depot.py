"""Demo step for the depot: ~10,000 instruments (100,000 at national scale) with a realistic mix of
types and sizes, their history, and loans to the Amsterdam programme and the partner programmes,
this season and earlier ones.

At national scale every instrument has up to eight earlier seasons of loans and repairs, which
makes about a million history rows (targets F2 and F6). Instruments are written in chunks so
memory stays flat whatever the scale.
"""

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
    InstrumentModel,
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
    "guitar": 3,
    "keyboard": 1,
}
# Children's sizes are most in demand in the middle of the range.
SIZE_WEIGHTS = [1, 2, 3, 5, 6, 5, 3, 2]
# A model line per make (student instruments), so the catalogue lists makes and models.
MODEL_NAMES = {
    "Stentor": "Student II",
    "Yamaha": "Student",
    "Gliga": "Gama",
    "Höfner": "Allegretto",
    "Eastman": "Samuel Eastman",
    "Buffet Crampon": "Prodige",
    "Jupiter": "Student",
    "Pearl": "Quantz",
    "Besson": "Prodige",
    "Bach": "Student",
    "Adams": "Academy",
    "Majestic": "Prophonic",
    "Salvi": "Ana",
    "Camac": "Hermine",
    "Admira": "Alba",
    "Casio": "Casiotone",
    "Roland": "GO:KEYS",
}
CODES = list(MIX)
WEIGHTS = [MIX[c] for c in CODES]
WIND = {"flute", "oboe", "clarinet", "bassoon", "trumpet", "horn", "trombone", "baritone", "tuba"}
MAKES = {
    "strings": ["Stentor", "Yamaha", "Gliga", "Höfner", "Eastman"],
    "woodwind": ["Yamaha", "Buffet Crampon", "Jupiter", "Pearl"],
    "brass": ["Yamaha", "Jupiter", "Besson", "Bach"],
    "percussion": ["Adams", "Yamaha", "Majestic"],
    "plucked": ["Salvi", "Camac", "Admira", "Yamaha"],
    "keys": ["Yamaha", "Casio", "Roland"],
}


# Per scale: instruments, earlier seasons of history, and the chance an instrument was out in
# each of them.
DEPOT_SCALES = {"amsterdam": (10_000, 1, 0.35), "national": (100_000, 8, 0.85)}
CHUNK = 5_000
LOCATIONS = [
    # name, kind, latitude, longitude (the depot in Amsterdam-West and its workshops)
    *((f"Stelling {letter}", Location.Kind.SHELF, 52.3690, 4.8340) for letter in "ABCDEF"),
    ("Atelier strijkers", Location.Kind.WORKSHOP, 52.3690, 4.8340),
    ("Atelier blazers", Location.Kind.WORKSHOP, 52.3712, 4.8381),
    ("Atelier slagwerk", Location.Kind.WORKSHOP, 52.3555, 4.8950),
]


def step_depot(demo) -> None:
    depot = demo.organisations["depot"]
    instrument_catalogue.install(InstrumentType)
    size_catalogue.install(Size, InstrumentType)
    total, seasons_back, earlier_share = DEPOT_SCALES[demo.scale.name]
    places = Location.objects.bulk_create(
        [
            Location(organisation=depot, name=name, kind=kind, latitude=lat, longitude=lon)
            for name, kind, lat, lon in LOCATIONS
        ]
    )
    shelves = [p for p in places if p.kind == Location.Kind.SHELF]
    workshops = [p for p in places if p.kind == Location.Kind.WORKSHOP]
    kinds = {k.code: k for k in InstrumentType.objects.all()}
    sizes_by_type: dict[int, list[Size]] = {}
    for size in Size.objects.order_by("sort_order"):
        sizes_by_type.setdefault(size.instrument_type_id, []).append(size)
    borrowers = [demo.organisations["programme"]] * 12 + list(
        Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk")
    )
    InstrumentModel.objects.bulk_create(
        [
            InstrumentModel(instrument_type=kind, make=make, name=MODEL_NAMES[make])
            for kind in kinds.values()
            for make in MAKES[kind.family]
        ],
        ignore_conflicts=True,
    )
    history = _History(demo, seasons_back, earlier_share, borrowers)
    for first in range(0, total, CHUNK):
        numbers = range(first, min(first + CHUNK, total))
        chunk = [
            _instrument(demo, number, depot, kinds, sizes_by_type, shelves, workshops)
            for number in numbers
        ]
        instruments = Instrument.objects.bulk_create([i for i, _plan in chunk], batch_size=CHUNK)
        history.write(zip(instruments, [plan for _i, plan in chunk], strict=True))


def _instrument(demo, number, depot, kinds, sizes_by_type, shelves, workshops):
    rng = demo.rng
    code = rng.choices(CODES, WEIGHTS)[0]
    kind = kinds[code]
    options = sizes_by_type.get(kind.pk, [])
    size = rng.choices(options, SIZE_WEIGHTS[: len(options)])[0] if options else None
    acquired = timezone.now() - timedelta(days=rng.randint(30, 11 * 365))
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
    make = rng.choice(MAKES[kind.family])
    instrument = Instrument(
        organisation=depot,
        asset_tag=f"LO-{number + 1:05d}",
        instrument_type=kind,
        size=size,
        make=make,
        model_name=MODEL_NAMES[make],
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
    return instrument, (acquired, status)


class _History:
    """Writes an instrument chunk's loans and events: earlier seasons (out in September, back
    in July, sometimes a repair after), then this season's state."""

    def __init__(self, demo, seasons_back, earlier_share, borrowers):
        self.rng = demo.rng
        self.now = timezone.now()
        tz = timezone.get_current_timezone()
        self.season_start = datetime.combine(demo.years[0].starts_on, time(10), tz)
        self.due = demo.years[0].ends_on
        self.seasons_back = seasons_back
        self.earlier_share = earlier_share
        self.borrowers = borrowers

    def write(self, chunk) -> None:
        rng = self.rng
        events, loans, loan_plan = [], [], []
        for instrument, (acquired, status) in chunk:
            events.append(
                InstrumentEvent(
                    instrument=instrument,
                    kind=EventKind.ACQUIRED,
                    at=acquired,
                    status_after=InstrumentStatus.AVAILABLE,
                )
            )
            for back in range(self.seasons_back, 0, -1):
                out = (
                    self.season_start
                    - timedelta(days=365 * back)
                    + timedelta(days=rng.randint(0, 20))
                )
                returned = out + timedelta(days=300)
                if out < acquired or rng.random() >= self.earlier_share:
                    continue
                borrower = rng.choice(self.borrowers)
                loans.append(
                    Loan(
                        instrument=instrument,
                        lender=instrument.organisation,
                        borrower=borrower,
                        out_at=out,
                        due_on=returned.date(),
                        returned_at=returned,
                    )
                )
                loan_plan.append((instrument, borrower, out, returned))
                if rng.random() < 0.12:  # a summer repair after the season
                    fixed = returned + timedelta(days=rng.randint(5, 30))
                    events += [
                        InstrumentEvent(
                            instrument=instrument,
                            kind=EventKind.SENT_TO_REPAIR,
                            at=returned + timedelta(hours=2),
                            status_after=InstrumentStatus.IN_REPAIR,
                        ),
                        InstrumentEvent(
                            instrument=instrument,
                            kind=EventKind.REPAIRED,
                            at=fixed,
                            status_after=InstrumentStatus.AVAILABLE,
                        ),
                    ]
            if status == InstrumentStatus.ON_LOAN:
                out = max(acquired, self.season_start) + timedelta(days=rng.randint(0, 20))
                borrower = rng.choice(self.borrowers)
                loans.append(
                    Loan(
                        instrument=instrument,
                        lender=instrument.organisation,
                        borrower=borrower,
                        out_at=out,
                        due_on=self.due,
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
                        at=max(
                            acquired + timedelta(days=1),
                            self.now - timedelta(days=rng.randint(1, 40)),
                        ),
                    )
                )
        loans = Loan.objects.bulk_create(loans, batch_size=CHUNK)
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
        InstrumentEvent.objects.bulk_create(events, batch_size=CHUNK)
