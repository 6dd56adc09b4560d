"""From the database to the solver's plain data and back: open request lines and available
stock in, concrete instruments out."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from leerorkest.allocation import solver
from leerorkest.allocation.models import Allocation, InstrumentRequest, RequestLine
from leerorkest.allocation.places import city_coordinates
from leerorkest.depot.models import Condition, Instrument, InstrumentStatus, Location

# A grade D instrument needs repair first: never allocated.
LENDABLE = (Condition.A, Condition.B, Condition.C)


@dataclass
class Prepared:
    instance: solver.Instance
    lines: dict[int, RequestLine]  # solver line id (= line pk) -> line
    group_keys: dict[int, tuple]  # group id -> (type id, size id, condition, location id)


def active_allocations():
    """Allocations that hold or held an instrument for a request: of a confirmed run, not
    released."""
    return Allocation.objects.filter(run__confirmed_at__isnull=False, released_at__isnull=True)


def allocated_per_line(lines) -> dict[int, int]:
    counts = (
        active_allocations()
        .filter(line__in=lines)
        .values("line_id")
        .annotate(n=Count("pk"))
        .values_list("line_id", "n")
    )
    return dict(counts)


def _borrower_point(request: InstrumentRequest, depot_point) -> tuple[float, float]:
    borrower = city_coordinates(request.borrower.city, depot_point)
    if request.school_id:
        return city_coordinates(request.school.organisation.city, borrower)
    return borrower


def prepare(depot, requests: list[InstrumentRequest]) -> Prepared:
    """The solver's instance for these open requests and the depot's lendable stock."""
    depot_point = city_coordinates(depot.city)
    lines = [line for request in requests for line in request.lines.all()]
    done = allocated_per_line(lines)
    arrival = {
        r.pk: rank
        for rank, r in enumerate(
            sorted(requests, key=lambda r: (r.submitted_at or r.created_at, r.pk))
        )
    }
    solver_lines = []
    by_pk = {}
    for request in requests:
        lat, lon = _borrower_point(request, depot_point)
        for line in request.lines.all():
            remaining = line.quantity - done.get(line.pk, 0)
            if remaining <= 0:
                continue
            by_pk[line.pk] = line
            solver_lines.append(
                solver.Line(
                    id=line.pk,
                    programme_id=request.borrower_id,
                    type_id=line.instrument_type_id,
                    size=line.size.sort_order if line.size_id else None,
                    quantity=remaining,
                    allow_up=line.allow_one_size_up,
                    allow_down=line.allow_one_size_down,
                    latitude=lat,
                    longitude=lon,
                    arrival=arrival[request.pk],
                )
            )
    types = {line.type_id for line in solver_lines}
    rows = (
        Instrument.objects.filter(
            organisation=depot,
            status=InstrumentStatus.AVAILABLE,
            condition__in=LENDABLE,
            instrument_type_id__in=types,
        )
        .values("instrument_type_id", "size_id", "size__sort_order", "condition", "location_id")
        .annotate(n=Count("pk"))
        .order_by("instrument_type_id", "size__sort_order", "condition", "location_id")
    )
    places = {
        loc.pk: (loc.latitude, loc.longitude)
        for loc in Location.objects.filter(organisation=depot)
        if loc.latitude is not None and loc.longitude is not None
    }
    groups, keys = [], {}
    for number, row in enumerate(rows):
        lat, lon = places.get(row["location_id"], depot_point)
        groups.append(
            solver.StockGroup(
                id=number,
                type_id=row["instrument_type_id"],
                size=row["size__sort_order"],
                condition=row["condition"],
                location_id=row["location_id"],
                count=row["n"],
                latitude=lat,
                longitude=lon,
            )
        )
        keys[number] = (
            row["instrument_type_id"],
            row["size_id"],
            row["condition"],
            row["location_id"],
        )
    return Prepared(solver.Instance(solver_lines, groups), by_pk, keys)


def pick_instruments(depot, prepared: Prepared, result: solver.Result) -> list[tuple]:
    """(line, instrument id, size offset) for every instrument the result allocates: within a
    group (one condition and place) the lowest asset tags first."""
    wanted: dict[tuple, int] = defaultdict(int)
    for line_result in result.lines.values():
        for pick in line_result.picks:
            wanted[prepared.group_keys[pick.group_id]] += pick.count
    if not wanted:
        return []
    types = {key[0] for key in wanted}
    pool: dict[tuple, list[int]] = defaultdict(list)
    candidates = (
        Instrument.objects.filter(
            organisation=depot,
            status=InstrumentStatus.AVAILABLE,
            condition__in=LENDABLE,
            instrument_type_id__in=types,
        )
        .order_by("asset_tag")
        .values_list("pk", "instrument_type_id", "size_id", "condition", "location_id")
    )
    for pk, *key in candidates.iterator(chunk_size=5000):
        key = tuple(key)
        if len(pool[key]) < wanted.get(key, 0):
            pool[key].append(pk)
    picked = []
    for line_id in sorted(result.lines):
        for pick in result.lines[line_id].picks:
            key = prepared.group_keys[pick.group_id]
            taken, pool[key] = pool[key][: pick.count], pool[key][pick.count :]
            picked += [(prepared.lines[line_id], pk, pick.offset) for pk in taken]
    return picked
