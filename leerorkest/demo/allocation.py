"""Demo step for requests and allocation: this season's requests from the Amsterdam programme and
partner programmes (submitted ones waiting for depot staff to press "Run allocation", and a few
drafts), and one earlier request that was allocated and confirmed, so reservations exist.

Everything goes through the allocation actions (and so through the depot's reserve action):
the step writes no instrument status itself."""

from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.allocation import actions
from leerorkest.allocation.models import InstrumentRequest
from leerorkest.allocation.stock import LENDABLE
from leerorkest.depot.models import Instrument, InstrumentStatus, Size
from leerorkest.programme.models import InstrumentType
from leerorkest.schools.models import School

# (instrument, size or None, lowest and highest number)
MIX = [
    ("violin", "1/4", 4, 16),
    ("violin", "3/4", 2, 10),
    ("cello", "1/2", 1, 4),
    ("double-bass", "1/4", 1, 2),
    ("flute", None, 2, 6),
    ("clarinet", None, 2, 6),
    ("trumpet", None, 2, 6),
    ("trombone", None, 1, 4),
    ("percussion", None, 1, 3),
]
# Sizes in short supply this season: every submitted request asks for some, together this many
# times what is on the shelf, so the fair share and the substitutes show in the run's report.
SCARCE = {("violin", "1/2"): 1.25, ("cello", "1/4"): 1.4, ("viola", '13"'): 1.5}
PARTNERS = 8  # partner programmes asking this season (the first ones, by id)
DRAFTS = 3


def _coordinator(organisation, role):
    membership = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _line(rng, kinds, sizes, code, label, quantity) -> dict:
    sized = label is not None
    flexible = sized and rng.random() < 0.45
    return {
        "instrument_type": kinds[code],
        "size": sizes[code, label] if sized else None,
        "quantity": quantity,
        "allow_one_size_up": flexible and rng.random() < 0.8,
        "allow_one_size_down": flexible and rng.random() < 0.4,
    }


def _lines(rng, kinds, sizes, count: int, scarce: dict) -> list[dict]:
    lines = [
        _line(rng, kinds, sizes, code, label, max(1, round(share * rng.uniform(0.6, 1.4))))
        for (code, label), share in scarce.items()
        if rng.random() < 0.85
    ]
    for code, label, low, high in rng.sample(MIX, count):
        lines.append(_line(rng, kinds, sizes, code, label, rng.randint(low, high)))
    return lines


def _on_shelf(depot, sizes) -> dict:
    counts = (
        Instrument.objects.filter(
            organisation=depot, status=InstrumentStatus.AVAILABLE, condition__in=LENDABLE
        )
        .values("size_id")
        .annotate(n=Count("pk"))
        .values_list("size_id", "n")
    )
    found = dict(counts)
    return {key: found.get(sizes[key].pk, 0) for key in SCARCE}


def step_allocation(demo) -> None:
    rng = demo.rng
    depot = demo.organisations["depot"]
    programme = demo.organisations["programme"]
    kinds = {k.code: k for k in InstrumentType.objects.all()}
    sizes = {
        (s.instrument_type.code, s.label): s for s in Size.objects.select_related("instrument_type")
    }
    partners = list(Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk")[:PARTNERS])
    staff = _coordinator(depot, Role.DEPOT_STAFF)

    # Last spring: Drechtsteden asked for violins and cellos; the depot allocated and confirmed.
    earlier_borrower = partners[0]
    earlier = actions.create_request(
        borrower=earlier_borrower,
        depot=depot,
        school_year=demo.years[0],
        needed_by=demo.years[0].starts_on + timedelta(days=31),
        lines=[
            {"instrument_type": kinds["violin"], "size": sizes["violin", "1/2"], "quantity": 6},
            {"instrument_type": kinds["cello"], "size": sizes["cello", "1/2"], "quantity": 2},
            {"instrument_type": kinds["clarinet"], "size": None, "quantity": 3},
        ],
        by=_coordinator(earlier_borrower, Role.PARTNER_COORDINATOR),
        note="Uitbreiding naar een derde school.",
        submit=True,
    )
    run = actions.run_allocation(depot=depot, by=staff, time_limit=5)
    actions.confirm_run(run=run, by=staff)
    InstrumentRequest.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - timedelta(days=150),
        submitted_at=timezone.now() - timedelta(days=149),
    )

    # The coming September: Amsterdam per school, the partners for their programme or a school.
    season = demo.years[1]
    needed = date(season.starts_on.year, 9, 1)
    if needed <= timezone.localdate():
        needed = timezone.localdate() + timedelta(days=30)
    plan = []
    amsterdam_schools = list(
        School.objects.filter(organisation__parent=programme).order_by("organisation__name")[:4]
    )
    for school in amsterdam_schools:
        plan.append((programme, school, Role.COORDINATOR, rng.randint(3, 4)))
    for partner in partners:
        schools = list(School.objects.filter(organisation__parent=partner).order_by("pk"))
        school = rng.choice(schools) if schools and rng.random() < 0.5 else None
        plan.append((partner, school, Role.PARTNER_COORDINATOR, rng.randint(1, 4)))
    drafts = set(rng.sample(range(len(plan)), DRAFTS))
    shelf = _on_shelf(depot, sizes)
    submitted = len(plan) - len(drafts)
    scarce = {key: shelf[key] * factor / submitted for key, factor in SCARCE.items()}
    now = timezone.now()
    for number, (borrower, school, role, count) in enumerate(plan):
        request = actions.create_request(
            borrower=borrower,
            depot=depot,
            school=school,
            school_year=season,
            needed_by=needed,
            lines=_lines(rng, kinds, sizes, count, scarce),
            by=_coordinator(borrower, role),
            submit=number not in drafts,
        )
        # Spread over the last weeks: first come, first served in the greedy comparison.
        at = now - timedelta(days=30 - 2 * number, hours=rng.randint(0, 8))
        InstrumentRequest.objects.filter(pk=request.pk).update(
            created_at=at, submitted_at=at if number not in drafts else None
        )
