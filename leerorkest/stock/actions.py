"""Writes of the stock handling. Every change to an instrument goes through
`leerorkest.depot.actions` (one append-only event each); these functions record the work around
it. Refusals raise DomainError with a translatable message."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot import actions as depot
from leerorkest.depot import signals
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus, Loan
from leerorkest.schools.import_files import read_table
from leerorkest.stock.inventory import FIELD_BY_NAME, build_plan, message
from leerorkest.stock.models import (
    ImportedLine,
    ImportStatus,
    PackedItem,
    StockImport,
    StockTake,
    StockTakeScan,
    Stop,
    TransportRun,
)

Status = InstrumentStatus


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


# --- Inventory import ----------------------------------------------------------------------------


def _check(stock_import: StockImport, plan) -> None:
    stock_import.mapping = plan.mapping
    stock_import.report = plan.report()
    stock_import.status = ImportStatus.INVALID if plan.problems else ImportStatus.PREVIEWED
    stock_import.save(update_fields=["mapping", "report", "status"])


@transaction.atomic
def upload_inventory(*, depot, filename: str, content: bytes, by) -> StockImport:
    """Store an inventory file and check it; writes no instrument. A file that cannot be read at
    all is refused (DomainError on the field "file") and nothing is stored."""
    table = read_table(content)
    stock_import = StockImport.objects.create(
        organisation=depot, uploaded_by=by, filename=filename[:255], content=content
    )
    _check(stock_import, build_plan(depot, table))
    audit(
        actor=by,
        action="stock_import.upload",
        obj=stock_import,
        organisation=depot,
        status=stock_import.status,
    )
    return stock_import


def _open(stock_import: StockImport) -> StockImport:
    locked = StockImport.objects.select_for_update().get(pk=stock_import.pk)
    if locked.status == ImportStatus.COMMITTED:
        raise DomainError(_("This import was committed already."), code="already_committed")
    if locked.status == ImportStatus.COMMITTING:
        raise DomainError(_("This import is being committed already."), code="committing")
    return locked


@transaction.atomic
def choose_columns(*, stock_import: StockImport, mapping: dict, by) -> StockImport:
    """Say which column holds which field (one column per field) and check the file again."""
    stock_import = _open(stock_import)
    headers = stock_import.report.get("headers", [])
    chosen: dict[int, str] = {}
    for name, index in mapping.items():
        if name not in FIELD_BY_NAME or index is None:
            continue
        if not 0 <= index < len(headers):
            raise DomainError(_("Choose one of the file's columns."), field=name)
        if index in chosen:
            raise DomainError(message("column_twice", {"field": chosen[index]}), field=name)
        chosen[index] = name
    table = read_table(bytes(stock_import.content))
    _check(stock_import, build_plan(stock_import.organisation, table, mapping))
    return stock_import


@transaction.atomic
def queue_commit(*, stock_import: StockImport, by) -> StockImport:
    """Hand a previewed import to a background task (a 2,000-row file takes longer than a
    page should wait on a busy PostgreSQL). With the immediate task backend the commit has
    happened when this returns; otherwise the page follows it. A second click is refused."""
    from leerorkest.stock.tasks import commit_import

    stock_import = _open(stock_import)
    if stock_import.status not in (ImportStatus.PREVIEWED, ImportStatus.FAILED):
        raise DomainError(_("This file has errors; nothing can be committed."), code="invalid")
    stock_import.status = ImportStatus.COMMITTING
    stock_import.save(update_fields=["status"])
    # Enqueued inside the transaction: a database worker sees it once this commits.
    commit_import.enqueue(stock_import.pk, by.pk)
    return stock_import


def run_queued_commit(*, import_id: int, user_id: int) -> str:
    """The background half of `queue_commit`; returns the import's status afterwards. A refusal
    leaves the import previewed again (or invalid, with the new report); any other failure marks
    it failed. Nothing is written in either case: the commit is one transaction."""
    from leerorkest.accounts.models import User

    by = User.objects.get(pk=user_id)
    try:
        commit_inventory(stock_import=StockImport(pk=import_id), by=by)
    except DomainError:
        StockImport.objects.filter(pk=import_id, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.PREVIEWED
        )
    except Exception:
        StockImport.objects.filter(pk=import_id, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.FAILED
        )
        raise
    return StockImport.objects.get(pk=import_id).status


def commit_inventory(*, stock_import: StockImport, by) -> int:
    """Create every new instrument of the file, or none: the plan is made again inside the
    transaction, and any problem (a tag taken since the preview, say) writes nothing but the new
    report. Rows imported before are passed over, so the same file never creates anything
    twice. Each instrument comes in through `acquire_instrument` (one event each). Returns how
    many instruments were created."""
    with transaction.atomic():
        locked = StockImport.objects.select_for_update().get(pk=stock_import.pk)
        if locked.status == ImportStatus.COMMITTED:
            raise DomainError(_("This import was committed already."), code="already_committed")
        table = read_table(bytes(locked.content))
        plan = build_plan(locked.organisation, table, locked.mapping)
        if not plan.problems:
            return _write(locked, plan, by)
    _check(locked, plan)
    raise DomainError(
        _("The file no longer passes the checks; nothing was written."), code="invalid"
    )


def _write(stock_import: StockImport, plan, by) -> int:
    depot_org = stock_import.organisation
    note = _("Inventory import %(file)s") % {"file": stock_import.filename}
    lines = []
    try:
        with transaction.atomic():
            for line in plan.new_lines:
                instrument = depot.acquire_instrument(
                    by=by,
                    note=f"{note}, row {line.row}"[:250],
                    organisation=depot_org,
                    **line.instrument_fields(),
                )
                lines.append(
                    ImportedLine(
                        organisation=depot_org,
                        stock_import=stock_import,
                        row=line.row,
                        fingerprint=line.fingerprint,
                        instrument=instrument,
                    )
                )
            ImportedLine.objects.bulk_create(lines, batch_size=500)
    except IntegrityError:
        raise DomainError(
            _("Someone added instruments with the same tags meanwhile; nothing was written."),
            code="conflict",
        ) from None
    stock_import.status = ImportStatus.COMMITTED
    stock_import.committed_at = timezone.now()
    stock_import.created_count = len(lines)
    stock_import.content = b""
    stock_import.save(update_fields=["status", "committed_at", "created_count", "content"])
    audit(
        actor=by,
        action="stock_import.commit",
        obj=stock_import,
        organisation=depot_org,
        created=len(lines),
    )
    return len(lines)


@transaction.atomic
def discard_inventory(*, stock_import: StockImport, by) -> None:
    stock_import = _open(stock_import)
    audit(actor=by, action="stock_import.discard", obj=stock_import, organisation=None)
    stock_import.delete()


# --- Stock-take ----------------------------------------------------------------------------------

# Statuses of instruments that should be on the shelf where they are recorded.
AT_HOME = (Status.AVAILABLE, Status.RESERVED, Status.CLEANING, Status.IN_REPAIR)
AWAY = (Status.ON_LOAN, Status.IN_TRANSIT)


def normalise_tag(raw: str) -> str:
    return "".join(raw.split()).upper()[:40]


@transaction.atomic
def start_stocktake(*, location, by) -> StockTake:
    if StockTake.objects.filter(location=location, status=StockTake.Status.OPEN).exists():
        raise DomainError(
            _("A count of %(location)s is already going on.") % {"location": location},
            code="already_open",
        )
    stocktake = StockTake.objects.create(
        organisation=location.organisation, location=location, started_by=by
    )
    audit(actor=by, action="stocktake.start", obj=stocktake, organisation=location.organisation)
    return stocktake


@dataclass
class ScanResult:
    scan: StockTakeScan
    created: bool
    instrument: Instrument | None
    verdict: str  # here | elsewhere | away | lost | unknown


def verdict(stocktake: StockTake, instrument: Instrument | None) -> str:
    if instrument is None:
        return "unknown"
    if instrument.status in AWAY:
        return "away"
    if instrument.status in (Status.LOST, Status.RETIRED):
        return "lost"
    if instrument.location_id != stocktake.location_id:
        return "elsewhere"
    return "here"


def scan_tag(*, stocktake: StockTake, tag: str, by) -> ScanResult:
    """Record a scanned tag; a tag scanned again is harmless (the first scan stands)."""
    tag = normalise_tag(tag)
    if not tag:
        raise DomainError(_("Scan or type an asset tag."), code="empty", field="tag")
    if stocktake.status != StockTake.Status.OPEN:
        raise DomainError(_("This stock-take is closed."), code="closed")
    instrument = (
        Instrument.objects.filter(organisation_id=stocktake.organisation_id, asset_tag__iexact=tag)
        .select_related("instrument_type", "size", "location")
        .first()
    )
    try:
        with transaction.atomic():
            scan, created = StockTakeScan.objects.get_or_create(
                stocktake=stocktake,
                tag=tag,
                defaults={"instrument": instrument, "by": _user(by)},
            )
    except IntegrityError:  # the same tag from two scanners at once
        scan, created = StockTakeScan.objects.get(stocktake=stocktake, tag=tag), False
    return ScanResult(scan, created, instrument, verdict(stocktake, instrument))


@dataclass
class Discrepancies:
    missing: list[Instrument] = field(default_factory=list)
    elsewhere: list[Instrument] = field(default_factory=list)
    away: list[Instrument] = field(default_factory=list)
    lost: list[Instrument] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    here: int = 0
    scanned: int = 0
    expected: int = 0


def discrepancies(stocktake: StockTake) -> Discrepancies:
    """Compare the scans with what the stock says should be at the location."""
    expected = (
        Instrument.objects.filter(
            organisation_id=stocktake.organisation_id,
            location_id=stocktake.location_id,
            status__in=AT_HOME,
        )
        .select_related("instrument_type", "size", "location")
        .order_by("asset_tag")
    )
    scans = list(stocktake.scans.select_related("instrument__location", "instrument__size"))
    scanned_ids = {scan.instrument_id for scan in scans if scan.instrument_id}
    result = Discrepancies(scanned=len(scans))
    for instrument in expected:
        result.expected += 1
        if instrument.pk not in scanned_ids:
            result.missing.append(instrument)
    for scan in sorted(scans, key=lambda s: s.tag):
        kind = verdict(stocktake, scan.instrument)
        if kind == "unknown":
            result.unknown.append(scan.tag)
        elif kind == "here":
            result.here += 1
        else:
            getattr(result, kind).append(scan.instrument)
    return result


def can_mark_lost(instrument: Instrument) -> bool:
    return instrument.status in (Status.AVAILABLE, Status.RESERVED, Status.CLEANING)


def _row(instrument: Instrument, done: str = "") -> dict:
    return {
        "id": instrument.pk,
        "tag": instrument.asset_tag,
        "instrument": str(instrument.instrument_type),
        "size": instrument.size.label if instrument.size_id else "",
        "status": instrument.status,
        "recorded_at": instrument.location.name if instrument.location_id else "",
        "done": done,
    }


@transaction.atomic
def close_stocktake(*, stocktake: StockTake, lost_ids: set[int], by) -> StockTake:
    """Close the count with its corrections, each an event on the instrument: instruments found
    in the wrong place move here (a stock-take correction), missing ones chosen are reported
    lost, lost ones scanned here are found again. Unknown tags are kept for follow-up."""
    stocktake = (
        StockTake.objects.select_for_update().select_related("location").get(pk=stocktake.pk)
    )
    if stocktake.status != StockTake.Status.OPEN:
        raise DomainError(_("This stock-take is closed already."), code="closed")
    found = discrepancies(stocktake)
    note = _("stock-take")
    report = {"missing": [], "elsewhere": [], "away": [], "lost": [], "unknown": found.unknown}
    for instrument in found.elsewhere:
        depot.move_instrument(
            instrument=instrument,
            location=stocktake.location,
            by=by,
            note=note,
            kind=EventKind.STOCKTAKE,
        )
        report["elsewhere"].append(_row(instrument, "moved"))
    for instrument in found.missing:
        done = ""
        if instrument.pk in lost_ids and can_mark_lost(instrument):
            if instrument.status == Status.RESERVED:
                depot.release_reservation(instrument=instrument, by=by, note=note)
            depot.report_lost(instrument=instrument, by=by, note=note)
            done = "lost"
        report["missing"].append(_row(instrument, done))
    for instrument in found.lost:
        done = ""
        if instrument.status == Status.LOST:
            depot.report_found(instrument=instrument, by=by)
            if instrument.location_id != stocktake.location_id:
                depot.move_instrument(
                    instrument=instrument,
                    location=stocktake.location,
                    by=by,
                    note=note,
                    kind=EventKind.STOCKTAKE,
                )
            done = "found"
        report["lost"].append(_row(instrument, done))
    report["away"] = [_row(instrument) for instrument in found.away]
    report["counts"] = {
        "expected": found.expected,
        "scanned": found.scanned,
        "here": found.here,
    }
    stocktake.status = StockTake.Status.CLOSED
    stocktake.closed_at = timezone.now()
    stocktake.closed_by = _user(by)
    stocktake.report = report
    stocktake.save(update_fields=["status", "closed_at", "closed_by", "report"])
    audit(
        actor=by,
        action="stocktake.close",
        obj=stocktake,
        organisation=stocktake.organisation,
        moved=len(report["elsewhere"]),
        lost=sum(1 for r in report["missing"] if r["done"] == "lost"),
        unknown=len(found.unknown),
    )
    return stocktake


# --- Transport runs ------------------------------------------------------------------------------


def _planned(run: TransportRun) -> TransportRun:
    locked = TransportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != TransportRun.Status.PLANNED:
        raise DomainError(_("This run has left already."), code="not_planned")
    return locked


@transaction.atomic
def create_run(*, depot_org, by, **fields) -> TransportRun:
    run = TransportRun.objects.create(organisation=depot_org, created_by=by, **fields)
    audit(actor=by, action="transport.create", obj=run, organisation=depot_org)
    return run


@transaction.atomic
def add_stop(*, run: TransportRun, borrower, school=None, address: str = "", by) -> Stop:
    run = _planned(run)
    if school is not None and school.parent_id != borrower.pk:
        raise DomainError(_("That school is not part of this programme."), field="school")
    last = run.stops.order_by("-order").values_list("order", flat=True).first() or 0
    address = address or (school.city if school else borrower.city)
    return Stop.objects.create(
        run=run, order=last + 1, borrower=borrower, school=school, address=address
    )


@transaction.atomic
def remove_stop(*, stop: Stop, by) -> None:
    _planned(stop.run)
    stop.items.all().delete()
    stop.delete()


def _may_pack(instrument: Instrument, stop: Stop) -> str:
    """Why the instrument cannot go to this stop, or "" when it can."""
    if instrument.status == Status.AVAILABLE:
        return ""
    if instrument.status == Status.RESERVED and instrument.reserved_for_id == stop.borrower_id:
        return ""
    if instrument.status == Status.RESERVED:
        return _("reserved for another programme")
    return str(instrument.get_status_display()).lower()


@dataclass
class Packed:
    added: list[Instrument] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def pack(*, stop: Stop, tags: list[str], by) -> Packed:
    """Put instruments on a stop's packing list by asset tag; each refusal names its reason."""
    run = _planned(stop.run)
    result = Packed()
    wanted = [normalise_tag(tag) for tag in tags if normalise_tag(tag)]
    found = {
        i.asset_tag.upper(): i
        for i in Instrument.objects.filter(
            organisation_id=run.organisation_id, asset_tag__in=wanted
        )
    }
    packed = dict(
        PackedItem.objects.filter(run__in=open_runs(run.organisation_id)).values_list(
            "instrument_id", "run_id"
        )
    )
    for tag in dict.fromkeys(wanted):
        instrument = found.get(tag)
        if instrument is None:
            result.refused.append((tag, _("Unknown asset tag.")))
            continue
        if instrument.pk in packed:
            result.refused.append((tag, _("Already on the packing list of a run.")))
            continue
        reason = _may_pack(instrument, stop)
        if reason:
            result.refused.append((tag, _("Cannot go: %(reason)s.") % {"reason": reason}))
            continue
        PackedItem.objects.create(run=run, stop=stop, instrument=instrument)
        packed[instrument.pk] = run.pk
        result.added.append(instrument)
    return result


def open_runs(depot_id: int):
    return TransportRun.objects.filter(
        organisation_id=depot_id,
        status__in=[TransportRun.Status.PLANNED, TransportRun.Status.UNDERWAY],
    )


def reserved_for_stop(stop: Stop):
    """Instruments reserved for the stop's programme and not yet on any open run."""
    return (
        Instrument.objects.filter(
            organisation_id=stop.run.organisation_id,
            status=Status.RESERVED,
            reserved_for_id=stop.borrower_id,
        )
        .exclude(packed_items__run__in=open_runs(stop.run.organisation_id))
        .order_by("asset_tag")
    )


@transaction.atomic
def fill_from_reservations(*, stop: Stop, by) -> int:
    _planned(stop.run)
    items = [
        PackedItem(run_id=stop.run_id, stop=stop, instrument=instrument)
        for instrument in reserved_for_stop(stop)
    ]
    PackedItem.objects.bulk_create(items)
    return len(items)


@transaction.atomic
def unpack(*, item: PackedItem, by) -> None:
    _planned(item.run)
    item.delete()


@dataclass
class Departure:
    shipped: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    already: bool = False


def depart(*, run: TransportRun, by) -> Departure:
    """The run leaves: every packed instrument is lent to its stop's programme and is in transit
    (one loan each). Departing again changes nothing; each checkout carries an idempotency key
    (run and instrument), so even two departures racing lend nothing twice. An instrument that
    can no longer go is reported and stays behind."""
    result = Departure()
    with transaction.atomic():
        locked = TransportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != TransportRun.Status.PLANNED:
            result.already = True
            return result
        locked.status = TransportRun.Status.UNDERWAY
        locked.departed_at = timezone.now()
        locked.save(update_fields=["status", "departed_at"])
        audit(actor=by, action="transport.depart", obj=locked, organisation=locked.organisation)
    items = PackedItem.objects.filter(run=run, loan__isnull=True).select_related(
        "stop__borrower", "instrument"
    )
    for item in items:
        try:
            loan = depot.checkout_instrument(
                instrument=item.instrument,
                borrower=item.stop.borrower,
                by=by,
                ship=True,
                idempotency_key=f"run{run.pk}:{item.instrument_id}",
            )
        except DomainError as error:
            PackedItem.objects.filter(pk=item.pk).update(refused=error.message[:250])
            result.refused.append((item.instrument.asset_tag, error.message))
        else:
            PackedItem.objects.filter(pk=item.pk).update(loan=loan, refused="")
            result.shipped += 1
    return result


@transaction.atomic
def finish_run(*, run: TransportRun, by) -> TransportRun:
    run = TransportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != TransportRun.Status.UNDERWAY:
        raise DomainError(_("Only a run that is underway can be finished."), code="not_underway")
    run.status = TransportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    audit(actor=by, action="transport.finish", obj=run, organisation=run.organisation)
    return run


# --- Receipt, programme side --------------------------------------------------------------------


def confirm_delivery(*, loans: list[Loan], by) -> tuple[list[Loan], list[tuple[str, str]]]:
    """Confirm that instruments arrived: each is on loan from then on. Each is its own
    transaction; one that was confirmed already (a second click) is reported, not an error."""
    confirmed, refused = [], []
    for loan in loans:
        try:
            depot.confirm_receipt(instrument=loan.instrument, by=by)
        except DomainError as error:
            refused.append((loan.instrument.asset_tag, error.message))
        else:
            confirmed.append(loan)
    return confirmed, refused


@transaction.atomic
def report_delivery_problem(*, loan: Loan, issue: str, note: str, by) -> PackedItem | None:
    """Flag an instrument of a delivery: it did not arrive (it stays in transit, the depot
    follows it up) or it arrived damaged (receipt confirmed, the damage recorded as an event
    for the workshops)."""
    if issue not in (PackedItem.Issue.MISSING, PackedItem.Issue.DAMAGED):
        raise DomainError(_("Choose what is wrong."), field="issue")
    note = note.strip()[:250]
    if issue == PackedItem.Issue.DAMAGED:
        if not note:
            raise DomainError(_("Describe the damage."), field="note", code="note_required")
        depot.confirm_receipt(instrument=loan.instrument, by=by, note=note)
        instrument = Instrument.objects.get(pk=loan.instrument_id)
        depot.record_event(
            instrument=instrument,
            kind=EventKind.DAMAGE_REPORTED,
            status_after=instrument.status,
            by=by,
            organisation=loan.borrower,
            loan=loan,
            note=note,
        )
        signals.damage_reported.send(
            sender=Instrument,
            instrument=instrument,
            by=by,
            organisation=loan.borrower,
            description=note,
        )
    item = PackedItem.objects.filter(loan=loan).first()
    if item is not None:
        item.issue, item.issue_note = issue, note
        item.issue_by = _user(by)
        item.save(update_fields=["issue", "issue_note", "issue_by"])
    audit(
        actor=by,
        action="transport.delivery_problem",
        obj=loan.instrument,
        organisation=loan.borrower,
        issue=issue,
    )
    return item
