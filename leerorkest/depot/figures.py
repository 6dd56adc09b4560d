"""The depot's figures: utilisation, stock and loans per programme and region, children reached,
repair turnaround, cost per instrument per lending year, and the size mix for next season.

Every function takes the depots whose figures to compute (a queryset of organisations) and reads
only aggregates: children are counted, never named.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.depot.models import EventKind, Instrument, InstrumentEvent, Loan, PupilLoan
from leerorkest.depot.models import InstrumentStatus as Status

IN_USE = (Status.ON_LOAN, Status.IN_TRANSIT)
OUT_OF_FLEET = (Status.RETIRED, Status.LOST)


@dataclass(frozen=True)
class Utilisation:
    fleet: int  # every instrument not retired or lost
    in_use: int  # on loan or on its way to a programme
    available: int
    in_repair: int
    by_status: dict[str, int]

    @property
    def share(self) -> float:
        return self.in_use / self.fleet if self.fleet else 0.0


def utilisation(depots) -> Utilisation:
    counts = dict(
        Instrument.objects.filter(organisation__in=depots)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    fleet = sum(n for status, n in counts.items() if status not in OUT_OF_FLEET)
    return Utilisation(
        fleet=fleet,
        in_use=sum(counts.get(s, 0) for s in IN_USE),
        available=counts.get(Status.AVAILABLE, 0),
        in_repair=counts.get(Status.IN_REPAIR, 0),
        by_status=counts,
    )


def utilisation_by_type(depots) -> list[dict]:
    """Per instrument: fleet, in use and the share in use, busiest first."""
    rows = (
        Instrument.objects.filter(organisation__in=depots)
        .exclude(status__in=OUT_OF_FLEET)
        .values(
            "instrument_type_id",
            "instrument_type__code",
            "instrument_type__name_nl",
            "instrument_type__name_en",
        )
        .annotate(fleet=Count("pk"), in_use=Count("pk", filter=Q(status__in=IN_USE)))
        .order_by("instrument_type__sort_order")
    )
    result = []
    for row in rows:
        share = row["in_use"] / row["fleet"] if row["fleet"] else 0.0
        result.append({**row, "share": share, "pct": round(100 * share)})
    return result


def loans_by_programme(depots, today: date | None = None) -> list[dict]:
    """Open loans per borrowing programme: how many, in transit, overdue, children reached."""
    today = today or timezone.localdate()
    rows = (
        Loan.objects.open()
        .filter(lender__in=depots)
        .values("borrower_id", "borrower__name", "borrower__region", "borrower__city")
        .annotate(
            loans=Count("pk"),
            in_transit=Count("pk", filter=Q(instrument__status=Status.IN_TRANSIT)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        )
        .order_by("-loans", "borrower__name")
    )
    children = dict(
        PupilLoan.objects.filter(returned_at__isnull=True, loan__lender__in=depots)
        .values_list("loan__borrower_id")
        .annotate(n=Count("pupil_id", distinct=True))
        .order_by()
    )
    return [{**row, "children": children.get(row["borrower_id"], 0)} for row in rows]


def loans_by_region(depots, today: date | None = None) -> list[dict]:
    regions: dict[str, dict] = defaultdict(
        lambda: {"programmes": 0, "loans": 0, "overdue": 0, "children": 0}
    )
    for row in loans_by_programme(depots, today):
        region = regions[row["borrower__region"] or "—"]
        region["programmes"] += 1
        for key in ("loans", "overdue", "children"):
            region[key] += row[key]
    return [
        {"region": name, **values}
        for name, values in sorted(regions.items(), key=lambda item: -item[1]["loans"])
    ]


def children_reached(depots, since: datetime | None = None, until: datetime | None = None) -> int:
    """Distinct children who had a depot instrument at home (since a moment and before
    another, or ever)."""
    loans = PupilLoan.objects.filter(loan__lender__in=depots)
    if since is not None:
        loans = loans.filter(Q(returned_at__isnull=True) | Q(returned_at__gte=since))
    if until is not None:
        loans = loans.filter(loan__out_at__lt=until)
    return loans.values("pupil_id").distinct().count()


@dataclass(frozen=True)
class Turnaround:
    repairs: int
    median_days: float | None
    p90_days: float | None


def repair_turnaround(depots, since: datetime, until: datetime | None = None) -> Turnaround:
    """Days from "sent to repair" to "repaired" for the repairs finished since a moment (and
    before another)."""
    events = InstrumentEvent.objects.filter(
        instrument__organisation__in=depots,
        kind__in=[EventKind.SENT_TO_REPAIR, EventKind.REPAIRED],
        at__gte=since - timedelta(days=365),
    )
    if until is not None:
        events = events.filter(at__lt=until)
    events = events.order_by("instrument_id", "at", "pk").values_list("instrument_id", "kind", "at")
    days, started = [], {}
    for instrument_id, kind, at in events.iterator(chunk_size=5000):
        if kind == EventKind.SENT_TO_REPAIR:
            started[instrument_id] = at
        elif instrument_id in started:
            begun = started.pop(instrument_id)
            if at >= since:
                days.append((at - begun).total_seconds() / 86400)
    if not days:
        return Turnaround(0, None, None)
    ordered = sorted(days)
    return Turnaround(
        repairs=len(days),
        median_days=statistics.median(ordered),
        p90_days=ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
    )


@dataclass(frozen=True)
class LendingCost:
    start: date
    end: date
    depreciation_cents: int
    repair_cents: int
    loan_years: float

    @property
    def per_lending_year_cents(self) -> int | None:
        if not self.loan_years:
            return None
        return round((self.depreciation_cents + self.repair_cents) / self.loan_years)


def lending_cost(depots, start: date, end: date, repair_cents: int = 0) -> LendingCost:
    """What a year of one instrument in a child's hands costs the depot over a period: the
    fleet's depreciation in the period plus what repairs cost (given by the workshops), divided
    by the loan-years lent out in the period (the days every loan overlapped it, / 365)."""
    tz = timezone.get_current_timezone()
    period_start = datetime.combine(start, time.min, tz)
    period_end = datetime.combine(end, time.min, tz)
    depreciation = 0
    fleet = Instrument.objects.filter(organisation__in=depots).exclude(status__in=OUT_OF_FLEET)
    for instrument in fleet.only("value_cents", "acquired_on").iterator(chunk_size=5000):
        depreciation += instrument.current_value_cents(start) - instrument.current_value_cents(end)
    overlapping = Loan.objects.filter(lender__in=depots, out_at__lt=period_end).filter(
        Q(returned_at__isnull=True) | Q(returned_at__gt=period_start)
    )
    now = timezone.now()
    days = 0.0
    for out_at, returned_at in overlapping.values_list("out_at", "returned_at").iterator(
        chunk_size=5000
    ):
        begin = max(out_at, period_start)
        finish = min(returned_at or now, period_end)
        if finish > begin:
            days += (finish - begin).total_seconds() / 86400
    return LendingCost(
        start=start,
        end=end,
        depreciation_cents=depreciation,
        repair_cents=repair_cents,
        loan_years=days / 365,
    )


def size_forecast(depots, today: date | None = None) -> list[dict]:
    """The size mix for next season: the children who have a depot instrument now, a year
    older on 1 September, each on the larger of their present size and the size their age
    suggests (leerorkest.depot.sizing), against the stock of each size. Children who will join
    next year are not in it: it forecasts the swaps, not the growth of the programmes."""
    from leerorkest.depot import sizing
    from leerorkest.depot.models import Size

    today = today or timezone.localdate()
    next_season = date(today.year + (1 if today.month >= 8 else 0), 9, 1)
    sizes = {
        (s.instrument_type_id, s.label): s for s in Size.objects.select_related("instrument_type")
    }
    now: Counter = Counter()
    coming: Counter = Counter()
    rows = PupilLoan.objects.filter(
        returned_at__isnull=True,
        loan__returned_at__isnull=True,
        loan__lender__in=depots,
        pupil__date_of_birth__isnull=False,
        loan__instrument__size__isnull=False,
    ).values_list(
        "pupil__date_of_birth",
        "loan__instrument__instrument_type_id",
        "loan__instrument__instrument_type__code",
        "loan__instrument__size__label",
    )
    for born, type_id, code, label in rows.iterator(chunk_size=5000):
        present = sizes[(type_id, label)]
        now[present.pk] += 1
        wanted = sizes.get(
            (type_id, sizing.suggested_size(code, sizing.age_on(born, next_season)) or "")
        )
        bigger = wanted if wanted is not None and wanted.sort_order > present.sort_order else None
        coming[(bigger or present).pk] += 1
    stock = Counter(
        dict(
            Instrument.objects.filter(organisation__in=depots, size__isnull=False)
            .exclude(status__in=OUT_OF_FLEET)
            .values_list("size_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    by_pk = {s.pk: s for s in sizes.values()}
    shown = sorted(
        (by_pk[pk] for pk in set(now) | set(coming)),
        key=lambda s: (s.instrument_type.sort_order, s.sort_order),
    )
    return [
        {
            "instrument": s.instrument_type.name,
            "size": s.label,
            "now": now[s.pk],
            "next": coming[s.pk],
            "stock": stock[s.pk],
            "difference": stock[s.pk] - coming[s.pk],
        }
        for s in shown
    ]


# --- What the depot's work came to in a period ----------------------------------------------------


@dataclass
class Bar:
    """One row of a table with a bar: a label, the number the bar shows, and where it leads."""

    key: str
    label: str
    value: int
    url: str = ""
    pct: int = 0


def scale(rows: list, value=lambda row: row.value) -> list:
    """Each row's `pct`: its value against the largest (0-100), for the bar beside the table."""
    largest = max((value(row) for row in rows), default=0) or 1
    for row in rows:
        pct = round(100 * value(row) / largest)
        if isinstance(row, dict):
            row["pct"] = pct
        else:
            row.pct = pct
    return rows


@dataclass
class FamilyRepairs:
    family: str
    label: str
    orders: int
    parts_cents: int
    labour_cents: int
    pct: int = 0

    @property
    def cost_cents(self) -> int:
        return self.parts_cents + self.labour_cents


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first and last day as [from midnight, to the midnight after the end)."""
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(
        end + timedelta(days=1), time.min, tz
    )


def repairs_by_family(depots, start: date, end: date) -> list[FamilyRepairs]:
    """The work orders on the depots' instruments finished (QA signed) from `start` to `end`
    (both days included), per instrument family: how many, and what parts and paid labour
    cost. Costliest first."""
    from leerorkest.programme.models import InstrumentFamily
    from leerorkest.workshop.models import WorkOrder

    begin, finish = _moments(start, end)
    rows = (
        WorkOrder.objects.filter(
            organisation__in=depots,
            status=WorkOrder.Status.DONE,
            qa_signed_at__gte=begin,
            qa_signed_at__lt=finish,
        )
        .values("instrument__instrument_type__family")
        .annotate(
            orders=Count("pk"), parts=Sum("parts_cost_cents"), labour=Sum("labour_cost_cents")
        )
        .order_by()
    )
    labels = dict(InstrumentFamily.choices)
    result = [
        FamilyRepairs(
            family=row["instrument__instrument_type__family"],
            label=str(labels.get(row["instrument__instrument_type__family"], "—")),
            orders=row["orders"],
            parts_cents=row["parts"] or 0,
            labour_cents=row["labour"] or 0,
        )
        for row in rows
    ]
    result.sort(key=lambda r: (-r.cost_cents, -r.orders, r.label))
    return scale(result, lambda r: r.cost_cents)


@dataclass(frozen=True)
class Donations:
    donations: int  # received in the period
    items: int
    outcomes: list[Bar]  # what the items became


def donation_outcomes(depots, start: date, end: date) -> Donations:
    """The donations the depots received from `start` to `end` (both days included), and what
    their items became: the status of the instrument an item became (in stock, on loan, in
    repair, retired…), else the assessment (parts only, scrap, not assessed yet, or assessed
    but not added to the stock yet). Most first."""
    from leerorkest.donations.models import Donation, DonationItem

    received = Donation.objects.filter(
        organisation__in=depots, received_on__gte=start, received_on__lte=end
    )
    rows = (
        DonationItem.objects.filter(donation__in=received)
        .values("assessment", "instrument__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses = dict(Status.choices)
    assessments = dict(DonationItem.Assessment.choices)
    counts: Counter = Counter()
    for row in rows:
        status = row["instrument__status"]
        key = f"status:{status}" if status else f"assessment:{row['assessment']}"
        counts[key] += row["n"]
    outcomes = []
    for key, n in counts.items():
        kind, value = key.split(":", 1)
        if kind == "status":
            label = statuses.get(value, value)
        elif value in (DonationItem.Assessment.PLAYABLE, DonationItem.Assessment.NEEDS_REPAIR):
            label = _("%(assessment)s, not in the stock yet") % {"assessment": assessments[value]}
        else:
            label = assessments.get(value, value)
        outcomes.append(Bar(key, str(label), n))
    outcomes.sort(key=lambda r: (-r.value, r.label))
    return Donations(
        donations=received.count(), items=sum(counts.values()), outcomes=scale(outcomes)
    )
