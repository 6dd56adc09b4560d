"""What happens to requests and allocation runs. Each action runs in one transaction; the
instruments themselves change only through `leerorkest.depot.actions` (reserve, release)."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.allocation import solver, stock
from leerorkest.allocation.models import (
    BORROWER_KINDS,
    MAX_QUANTITY,
    OPEN_STATUSES,
    Allocation,
    AllocationRun,
    InstrumentRequest,
    RequestLine,
    RequestStatus,
)
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Instrument, InstrumentStatus

Status = RequestStatus


def _check_lines(lines: list[dict]) -> None:
    if not lines:
        raise DomainError(_("Add at least one instrument."), code="no_lines", field="lines")
    for line in lines:
        kind, size = line["instrument_type"], line.get("size")
        quantity = line["quantity"]
        if not 1 <= quantity <= MAX_QUANTITY:
            raise DomainError(
                _("Ask for 1 to %(max)s instruments per line.") % {"max": MAX_QUANTITY},
                code="quantity",
            )
        if size is not None and size.instrument_type_id != kind.pk:
            raise DomainError(
                _("%(size)s is not a size of %(instrument)s.")
                % {"size": size.label, "instrument": kind.name},
                code="wrong_size",
            )
        if size is None and kind.sizes.exists():
            raise DomainError(
                _("Choose a size for %(instrument)s.") % {"instrument": kind.name},
                code="size_required",
            )


def _check_details(borrower, school) -> None:
    if borrower.kind not in BORROWER_KINDS:
        raise DomainError(_("Only a programme can request instruments."), code="not_a_programme")
    if school is not None and school.organisation.parent_id != borrower.pk:
        raise DomainError(
            _("That school is not one of your schools."), code="wrong_school", field="school"
        )


def _write_lines(request: InstrumentRequest, lines: list[dict]) -> None:
    RequestLine.objects.bulk_create(
        [
            RequestLine(
                request=request,
                instrument_type=line["instrument_type"],
                size=line.get("size"),
                quantity=line["quantity"],
                allow_one_size_up=bool(line.get("allow_one_size_up")),
                allow_one_size_down=bool(line.get("allow_one_size_down")),
            )
            for line in lines
        ]
    )


@transaction.atomic
def create_request(
    *,
    borrower,
    depot,
    school_year,
    needed_by: date,
    lines: list[dict],
    by,
    school=None,
    note: str = "",
    submit: bool = False,
) -> InstrumentRequest:
    """A draft request with its lines (submitted at once with `submit`)."""
    _check_details(borrower, school)
    _check_lines(lines)
    request = InstrumentRequest.objects.create(
        borrower=borrower,
        depot=depot,
        school=school,
        school_year=school_year,
        needed_by=needed_by,
        note=note,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _write_lines(request, lines)
    audit(actor=by, action="allocation.request_create", obj=request, organisation=borrower)
    if submit:
        return submit_request(request=request, by=by)
    return request


def _locked(request: InstrumentRequest) -> InstrumentRequest:
    return InstrumentRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def update_request(
    *,
    request: InstrumentRequest,
    school_year,
    needed_by: date,
    lines: list[dict],
    by,
    school=None,
    note: str = "",
) -> InstrumentRequest:
    """Change a draft: its details and, replacing them, its lines."""
    current = _locked(request)
    if current.status != Status.DRAFT:
        raise DomainError(_("Only a draft can be changed."), code="not_draft")
    _check_details(current.borrower, school)
    _check_lines(lines)
    current.school, current.school_year = school, school_year
    current.needed_by, current.note = needed_by, note
    current.save(update_fields=["school", "school_year", "needed_by", "note"])
    current.lines.all().delete()
    _write_lines(current, lines)
    audit(actor=by, action="allocation.request_update", obj=current, organisation=current.borrower)
    return current


@transaction.atomic
def submit_request(*, request: InstrumentRequest, by) -> InstrumentRequest:
    """Send a draft to the depot: it takes part in the next allocation run."""
    current = _locked(request)
    if current.status != Status.DRAFT:
        raise DomainError(_("This request was already submitted."), code="not_draft")
    if not current.lines.exists():
        raise DomainError(_("Add at least one instrument."), code="no_lines")
    current.status = Status.SUBMITTED
    current.submitted_at = timezone.now()
    current.save(update_fields=["status", "submitted_at"])
    audit(actor=by, action="allocation.request_submit", obj=current, organisation=current.borrower)
    return current


@transaction.atomic
def withdraw_request(*, request: InstrumentRequest, by) -> InstrumentRequest:
    """Withdraw a request; instruments reserved for it are released (those already lent to
    the programme stay on loan)."""
    current = _locked(request)
    if current.status in (Status.WITHDRAWN, Status.CLOSED):
        raise DomainError(
            _("This request is %(status)s already.")
            % {"status": current.get_status_display().lower()},
            code="not_open",
        )
    held = (
        stock.active_allocations()
        .filter(line__request=current)
        .select_related("instrument")
        .order_by("instrument_id")
    )
    released = []
    for allocation in held:
        instrument = allocation.instrument
        if (
            instrument.status == InstrumentStatus.RESERVED
            and instrument.reserved_for_id == current.borrower_id
        ):
            depot_actions.release_reservation(
                instrument=instrument,
                by=by,
                note=_("request #%(pk)s withdrawn") % {"pk": current.pk},
            )
            released.append(allocation.pk)
    Allocation.objects.filter(pk__in=released).update(released_at=timezone.now())
    current.status = Status.WITHDRAWN
    current.save(update_fields=["status"])
    audit(
        actor=by,
        action="allocation.request_withdraw",
        obj=current,
        organisation=current.borrower,
        released=len(released),
    )
    return current


@transaction.atomic
def close_request(*, request: InstrumentRequest, by) -> InstrumentRequest:
    """The depot marks a request done (what was reserved goes out through the desk)."""
    current = _locked(request)
    if current.status in (Status.WITHDRAWN, Status.CLOSED, Status.DRAFT):
        raise DomainError(_("Only a submitted request can be closed."), code="not_open")
    current.status = Status.CLOSED
    current.save(update_fields=["status"])
    audit(actor=by, action="allocation.request_close", obj=current, organisation=current.depot)
    return current


def _line_figures(result) -> dict[str, list[int]]:
    return {
        str(line_id): [r.requested, r.exact, r.substituted]
        for line_id, r in sorted(result.lines.items())
    }


def run_allocation(*, depot, by, time_limit: float = 10.0) -> AllocationRun:
    """Propose instruments for every open request of the depot (CP-SAT, with the greedy
    baseline computed on the same data for the report). Nothing is reserved until the run is
    confirmed. The solver runs outside the write transaction."""
    solver.prepare()
    requests = list(
        InstrumentRequest.objects.open()
        .filter(depot=depot)
        .select_related("borrower", "school__organisation")
        .prefetch_related("lines__size")
        .order_by("submitted_at", "pk")
    )
    if not requests:
        raise DomainError(_("There are no open requests to allocate."), code="nothing_open")
    prepared = stock.prepare(depot, requests)
    best = solver.solve(prepared.instance, time_limit=time_limit)
    greedy = solver.solve_greedy(prepared.instance)
    picked = stock.pick_instruments(depot, prepared, best)
    figures = best.figures(prepared.instance)
    figures["lines"] = _line_figures(best)
    figures["stages"] = [
        {"name": s.name, "status": s.status, "value": s.value, "bound": s.bound}
        for s in best.stages
    ]
    greedy_figures = greedy.figures(prepared.instance)
    with transaction.atomic():
        run = AllocationRun.objects.create(
            depot=depot,
            by=by if getattr(by, "is_authenticated", False) else None,
            solver_status=best.status,
            objective=best.stages[-1].value if best.stages else 0,
            gap=best.gap,
            seconds=best.seconds,
            figures=figures,
            greedy_figures=greedy_figures,
        )
        run.requests.set(requests)
        Allocation.objects.bulk_create(
            [
                Allocation(run=run, line=line, instrument_id=pk, size_offset=step)
                for line, pk, step in picked
            ],
            batch_size=2000,
        )
        audit(
            actor=by,
            action="allocation.run",
            obj=run,
            organisation=depot,
            requests=len(requests),
            proposed=len(picked),
        )
    return run


@transaction.atomic
def confirm_run(*, run: AllocationRun, by) -> AllocationRun:
    """Reserve every instrument of the run for its request's programme, all or nothing.

    Refused (nothing written) when the run was confirmed already, when a later run of the same
    depot was confirmed, when one of its requests is no longer open, or when one of its
    instruments is no longer available (lent, sent to repair…) since the run.
    """
    current = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if current.confirmed_at is not None:
        raise DomainError(_("This run was confirmed already."), code="already_confirmed")
    if AllocationRun.objects.filter(
        depot=current.depot, confirmed_at__gt=current.started_at
    ).exists():
        raise DomainError(
            _("A later run was confirmed since; run the allocation again."), code="stale_run"
        )
    requests = list(current.requests.select_for_update().order_by("pk"))
    for request in requests:
        if request.status not in OPEN_STATUSES:
            raise DomainError(
                _("Request #%(pk)s is %(status)s now; run the allocation again.")
                % {"pk": request.pk, "status": request.get_status_display().lower()},
                code="stale_run",
            )
    borrowers = {r.pk: r.borrower for r in current.requests.select_related("borrower")}
    allocations = current.allocations.select_related("line", "instrument").order_by("instrument_id")
    for allocation in allocations:
        request_id = allocation.line.request_id
        try:
            depot_actions.reserve_instrument(
                instrument=allocation.instrument,
                for_organisation=borrowers[request_id],
                by=by,
                note=_("request #%(pk)s") % {"pk": request_id},
            )
        except DomainError:
            instrument = Instrument.objects.get(pk=allocation.instrument_id)
            raise DomainError(
                _(
                    "%(tag)s is no longer available (%(status)s); nothing was reserved. "
                    "Run the allocation again."
                )
                % {"tag": instrument.asset_tag, "status": instrument.get_status_display().lower()},
                code="instrument_unavailable",
            ) from None
    current.confirmed_at = timezone.now()
    current.confirmed_by = by if getattr(by, "is_authenticated", False) else None
    current.save(update_fields=["confirmed_at", "confirmed_by"])
    _update_statuses(requests)
    audit(
        actor=by,
        action="allocation.confirm",
        obj=current,
        organisation=current.depot,
        reserved=len(allocations),
    )
    return current


def _update_statuses(requests: list[InstrumentRequest]) -> None:
    """Allocated when every line is covered by active allocations, partly when some are."""
    lines = list(RequestLine.objects.filter(request__in=requests))
    request_of = {line.pk: line.request_id for line in lines}
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        wanted[line.request_id] += line.quantity
    got: dict[int, int] = defaultdict(int)
    for line_id, n in stock.allocated_per_line(lines).items():
        got[request_of[line_id]] += n
    for request in requests:
        if got[request.pk] >= wanted[request.pk]:
            status = RequestStatus.ALLOCATED
        elif got[request.pk]:
            status = RequestStatus.PARTLY_ALLOCATED
        else:
            continue
        if request.status != status:
            InstrumentRequest.objects.filter(pk=request.pk).update(status=status)
            request.status = status
