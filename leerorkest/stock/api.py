"""API for transport runs, deliveries (confirm receipt) and stock-take scans, scoped like the
pages: a depot's staff see their depot's runs and counts; a programme its own deliveries."""

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from leerorkest.accounts.access import rule
from leerorkest.idempotency import IdempotencyKey
from leerorkest.stock import actions
from leerorkest.stock.access import (
    DEPOT,
    PROGRAMME,
    deliveries_for_user,
    get_run_for_user,
    get_stocktake_for_user,
    runs_for_user,
)
from leerorkest.stock.models import PackedItem
from leerorkest.stock.transport_views import stops_with_items

router = Router(tags=["stock"])


class RunOut(Schema):
    id: int
    date: date
    driver: str
    vehicle: str
    status: str
    stop_count: int


class PackedOut(Schema):
    instrument_id: int
    asset_tag: str
    loan_id: int | None
    received: bool
    issue: str
    not_shipped_because: str


class StopOut(Schema):
    id: int
    order: int
    borrower_id: int
    borrower: str
    school_id: int | None
    address: str
    confirmed: bool
    items: list[PackedOut]


class RunDetailOut(RunOut):
    stops: list[StopOut]


class DeliveryOut(Schema):
    instrument_id: int
    asset_tag: str
    instrument: str
    size: str | None
    borrower_id: int
    loan_id: int
    run_id: int | None


class ConfirmIn(Schema):
    instrument_ids: list[int] = []


class RefusedOut(Schema):
    asset_tag: str
    message: str


class ConfirmOut(Schema):
    confirmed: list[int]
    refused: list[RefusedOut]


class ScanIn(Schema):
    tag: str


class ScanOut(Schema):
    tag: str
    instrument_id: int | None
    verdict: str
    new: bool


def _run(run, stop_count: int) -> dict:
    return {
        "id": run.pk,
        "date": run.date,
        "driver": run.driver,
        "vehicle": run.vehicle,
        "status": run.status,
        "stop_count": stop_count,
    }


@router.get("/transport-runs", response=list[RunOut])
@rule(DEPOT)
def list_runs(request, status: str = "", limit: int = 100):
    runs = runs_for_user(request.user).prefetch_related("stops")
    if status:
        runs = runs.filter(status=status)
    return [_run(run, len(run.stops.all())) for run in runs[: max(1, min(limit, 500))]]


@router.get("/transport-runs/{run_id}", response=RunDetailOut)
@rule(DEPOT)
def get_run(request, run_id: int):
    run = get_run_for_user(request.user, run_id)
    stops = stops_with_items(run)
    return {
        **_run(run, len(stops)),
        "stops": [
            {
                "id": stop.pk,
                "order": stop.order,
                "borrower_id": stop.borrower_id,
                "borrower": stop.borrower.name,
                "school_id": stop.school_id,
                "address": stop.address,
                "confirmed": stop.confirmed,
                "items": [
                    {
                        "instrument_id": item.instrument_id,
                        "asset_tag": item.instrument.asset_tag,
                        "loan_id": item.loan_id,
                        "received": item.received,
                        "issue": item.issue,
                        "not_shipped_because": item.refused,
                    }
                    for item in stop.packed
                ],
            }
            for stop in stops
        ],
    }


def _delivery(loan, runs: dict) -> dict:
    instrument = loan.instrument
    return {
        "instrument_id": instrument.pk,
        "asset_tag": instrument.asset_tag,
        "instrument": instrument.instrument_type.code,
        "size": instrument.size.label if instrument.size_id else None,
        "borrower_id": loan.borrower_id,
        "loan_id": loan.pk,
        "run_id": runs.get(loan.pk),
    }


@router.get("/deliveries", response=list[DeliveryOut])
@rule(PROGRAMME)
def list_deliveries(request):
    """Instruments in transit to the caller's programme, awaiting confirmation of receipt."""
    loans = list(deliveries_for_user(request.user).order_by("instrument__asset_tag"))
    runs = dict(PackedItem.objects.filter(loan__in=loans).values_list("loan_id", "run_id"))
    return [_delivery(loan, runs) for loan in loans]


@router.post("/deliveries/confirm", response=ConfirmOut)
@rule(PROGRAMME)
def confirm_deliveries(request, payload: ConfirmIn, idempotency_key: IdempotencyKey = None):
    """Confirm receipt of the given instruments (all in transit to you when the list is empty).
    An instrument that is not on its way to one of your programmes is a 404."""
    loans = deliveries_for_user(request.user)
    if payload.instrument_ids:
        wanted = set(payload.instrument_ids)
        loans = list(loans.filter(instrument_id__in=wanted))
        if {loan.instrument_id for loan in loans} != wanted:
            raise Http404
    confirmed, refused = actions.confirm_delivery(loans=list(loans), by=request.user)
    return {
        "confirmed": [loan.instrument_id for loan in confirmed],
        "refused": [{"asset_tag": tag, "message": message} for tag, message in refused],
    }


@router.get("/stocktakes/{stocktake_id}/scans", response=list[ScanOut])
@rule(DEPOT)
def list_scans(request, stocktake_id: int):
    stocktake = get_stocktake_for_user(request.user, stocktake_id)
    scans = stocktake.scans.select_related("instrument")
    return [
        {
            "tag": scan.tag,
            "instrument_id": scan.instrument_id,
            "verdict": actions.verdict(stocktake, scan.instrument),
            "new": False,
        }
        for scan in scans
    ]


@router.post("/stocktakes/{stocktake_id}/scans", response=ScanOut)
@rule(DEPOT)
def scan(request, stocktake_id: int, payload: ScanIn, idempotency_key: IdempotencyKey = None):
    """Record a scanned tag; the answer says what it is (here, elsewhere, away, lost, unknown).
    The same tag again is harmless: `new` is false."""
    stocktake = get_stocktake_for_user(request.user, stocktake_id)
    result = actions.scan_tag(stocktake=stocktake, tag=payload.tag, by=request.user)
    return {
        "tag": result.scan.tag,
        "instrument_id": result.instrument.pk if result.instrument else None,
        "verdict": result.verdict,
        "new": result.created,
    }
