"""What happens to instruments: each action runs in one transaction, writes one event per
instrument (append-only) and sets the cached status from it."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.depot import signals
from leerorkest.depot.models import (
    EventKind,
    Instrument,
    InstrumentEvent,
    InstrumentStatus,
    Loan,
    LoanAgreement,
    PupilLoan,
)

Status = InstrumentStatus

# The race test's sabotaged run (target L2) switches the row lock off to prove it notices.
USE_ROW_LOCK = True


class AlreadyOnLoan(DomainError):
    code = "already_on_loan"


def season_end(today: date | None = None) -> date:
    """The default due date: the end of the school year (31 July)."""
    today = today or timezone.localdate()
    return date(today.year if today.month < 8 else today.year + 1, 7, 31)


def record_event(
    *,
    instrument: Instrument,
    kind: str,
    status_after: str,
    by=None,
    organisation=None,
    loan: Loan | None = None,
    note: str = "",
) -> InstrumentEvent:
    """Append the event and set the instrument's cached status from it (same transaction)."""
    event = InstrumentEvent.objects.create(
        instrument=instrument,
        kind=kind,
        status_after=status_after,
        by=by if getattr(by, "is_authenticated", False) else None,
        organisation=organisation,
        loan=loan,
        note=note[:250],
    )
    Instrument.objects.filter(pk=instrument.pk).update(status=status_after)
    instrument.status = status_after
    return event


def accepted_agreement(borrower: Organisation, lender: Organisation) -> LoanAgreement | None:
    """The borrower's latest accepted loan agreement with this lender (or one of a version
    not tied to a depot), which a new loan links to."""
    return (
        LoanAgreement.objects.filter(borrower=borrower)
        .filter(Q(agreement_version__organisation=lender) | Q(agreement_version__isnull=True))
        .order_by("-accepted_at", "-id")
        .first()
    )


def _open_loan(instrument: Instrument) -> Loan | None:
    open_loans = Loan.objects.select_for_update().filter(
        instrument=instrument, returned_at__isnull=True
    )
    return open_loans.first()


def _locked(instrument: Instrument) -> Instrument:
    queryset = Instrument.objects.select_for_update() if USE_ROW_LOCK else Instrument.objects
    return queryset.get(pk=instrument.pk)


@transaction.atomic
def acquire_instrument(*, by, note: str = "", **fields) -> Instrument:
    """Take an instrument into the depot's stock (donation, purchase or transfer)."""
    instrument = Instrument.objects.create(status=Status.AVAILABLE, **fields)
    record_event(
        instrument=instrument,
        kind=EventKind.ACQUIRED,
        status_after=Status.AVAILABLE,
        by=by,
        note=note,
    )
    return instrument


@transaction.atomic
def checkout_instrument(
    *,
    instrument: Instrument,
    borrower: Organisation,
    by,
    due_on: date | None = None,
    idempotency_key: str | None = None,
    ship: bool = False,
    note: str = "",
) -> Loan:
    """Lend one available instrument (or one reserved for this borrower) to a programme. With
    `ship`, it leaves on a transport run: in transit until the programme confirms receipt.

    Guarantees: an instrument is on at most one open loan (row lock, then the partial unique
    constraint as the last word: targets L1, L3); a refusal is an AlreadyOnLoan, never a server
    error; the same submit repeated with its idempotency key returns the loan it made (L7).
    """
    if idempotency_key:
        earlier = Loan.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if (earlier.instrument_id, earlier.borrower_id) != (instrument.pk, borrower.pk):
                raise DomainError(
                    _("This request key was used for another loan."), code="idempotency_key_reused"
                )
            return earlier
    current = _locked(instrument)
    reserved_here = current.status == Status.RESERVED and current.reserved_for_id == borrower.pk
    if USE_ROW_LOCK and current.status != Status.AVAILABLE and not reserved_here:
        if current.status == Status.ON_LOAN:
            raise AlreadyOnLoan(_("%(tag)s is already on loan.") % {"tag": current.asset_tag})
        raise DomainError(
            _("%(tag)s cannot be lent now: %(status)s.")
            % {"tag": current.asset_tag, "status": current.get_status_display()},
            code="not_available",
        )
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                instrument=current,
                lender=current.organisation,
                borrower=borrower,
                due_on=due_on or season_end(),
                agreement=accepted_agreement(borrower, current.organisation),
                idempotency_key=idempotency_key or None,
                checked_out_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError:
        if idempotency_key:
            earlier = Loan.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier
        raise AlreadyOnLoan(_("%(tag)s is already on loan.") % {"tag": current.asset_tag}) from None
    if current.reserved_for_id is not None:
        Instrument.objects.filter(pk=current.pk).update(reserved_for=None)
        current.reserved_for = None
    record_event(
        instrument=current,
        kind=EventKind.SHIPPED if ship else EventKind.CHECKED_OUT,
        status_after=Status.IN_TRANSIT if ship else Status.ON_LOAN,
        by=by,
        organisation=borrower,
        loan=loan,
        note=note,
    )
    audit(
        actor=by,
        action="depot.checkout",
        obj=current,
        organisation=current.organisation,
        borrower=borrower.pk,
        loan=loan.pk,
    )
    return loan


def checkout_many(
    *,
    instruments: list[Instrument],
    borrower: Organisation,
    by,
    due_on: date | None = None,
) -> tuple[list[Loan], list[str]]:
    """Lend several instruments at once: those that can go, go; the others are reported by
    asset tag and nothing else is written for them (target L8). Each instrument is its own
    transaction, so one refusal never undoes the others."""
    loans, refused = [], []
    for instrument in instruments:
        try:
            loans.append(
                checkout_instrument(instrument=instrument, borrower=borrower, by=by, due_on=due_on)
            )
        except DomainError:
            refused.append(instrument.asset_tag)
    return loans, refused


@transaction.atomic
def return_instrument(
    *, instrument: Instrument, by, needs_cleaning: bool = False, note: str = ""
) -> Loan:
    """Close the instrument's open loan; it is available again, or awaits cleaning. A loan to a
    child still open on it closes too: the instrument is back at the depot."""
    current = _locked(instrument)
    loan = _open_loan(current)
    if loan is None:
        raise DomainError(
            _("%(tag)s is not on loan.") % {"tag": current.asset_tag}, code="not_on_loan"
        )
    loan.returned_at = timezone.now()
    loan.save(update_fields=["returned_at"])
    PupilLoan.objects.filter(loan=loan, returned_at__isnull=True).update(
        returned_at=loan.returned_at
    )
    record_event(
        instrument=current,
        kind=EventKind.RETURNED,
        status_after=Status.CLEANING if needs_cleaning else Status.AVAILABLE,
        by=by,
        organisation=loan.borrower,
        loan=loan,
        note=note,
    )
    return loan


@transaction.atomic
def transfer_instrument(*, instrument: Instrument, to: Organisation, by) -> Loan:
    """Move an instrument on loan from one programme to another: the old loan closes and a new
    one opens, in one transaction."""
    current = _locked(instrument)
    old = _open_loan(current)
    if old is None:
        raise DomainError(
            _("%(tag)s is not on loan.") % {"tag": current.asset_tag}, code="not_on_loan"
        )
    if old.borrower_id == to.pk:
        raise DomainError(_("%(tag)s is already with this programme.") % {"tag": current.asset_tag})
    old.returned_at = timezone.now()
    old.save(update_fields=["returned_at"])
    PupilLoan.objects.filter(loan=old, returned_at__isnull=True).update(returned_at=old.returned_at)
    loan = Loan.objects.create(
        instrument=current,
        lender=current.organisation,
        borrower=to,
        due_on=old.due_on,
        agreement=accepted_agreement(to, current.organisation),
        checked_out_by=old.checked_out_by,
    )
    record_event(
        instrument=current,
        kind=EventKind.TRANSFERRED,
        status_after=Status.ON_LOAN,
        by=by,
        organisation=to,
        loan=loan,
    )
    return loan


def _change(
    instrument: Instrument,
    *,
    allowed: set[str],
    kind: str,
    status_after: str,
    by,
    note: str = "",
    organisation: Organisation | None = None,
) -> Instrument:
    current = _locked(instrument)
    if current.status not in allowed:
        raise DomainError(
            _("%(tag)s is %(status)s; that is not possible now.")
            % {"tag": current.asset_tag, "status": current.get_status_display()},
            code="wrong_status",
        )
    record_event(
        instrument=current,
        kind=kind,
        status_after=status_after,
        by=by,
        note=note,
        organisation=organisation,
    )
    return current


@transaction.atomic
def send_to_repair(
    *, instrument: Instrument, by, note: str = "", source: str = "manual"
) -> Instrument:
    """In repair from the shelf or cleaning; receivers of `signals.sent_to_repair` (the
    workshops) open the work order in the same transaction."""
    current = _change(
        instrument,
        allowed={Status.AVAILABLE, Status.CLEANING},
        by=by,
        note=note,
        kind=EventKind.SENT_TO_REPAIR,
        status_after=Status.IN_REPAIR,
    )
    signals.sent_to_repair.send(
        sender=Instrument, instrument=current, by=by, note=note, source=source
    )
    return current


@transaction.atomic
def finish_repair(*, instrument: Instrument, by, note: str = "") -> Instrument:
    return _change(
        instrument,
        allowed={Status.IN_REPAIR},
        by=by,
        note=note,
        kind=EventKind.REPAIRED,
        status_after=Status.AVAILABLE,
    )


@transaction.atomic
def finish_cleaning(*, instrument: Instrument, by) -> Instrument:
    return _change(
        instrument,
        allowed={Status.CLEANING},
        by=by,
        kind=EventKind.CLEANED,
        status_after=Status.AVAILABLE,
    )


@transaction.atomic
def report_lost(*, instrument: Instrument, by, note: str = "") -> Instrument:
    """An instrument that cannot be found. An open loan stays open: the borrower is still
    responsible until it is found or written off."""
    return _change(
        instrument,
        allowed={Status.AVAILABLE, Status.ON_LOAN, Status.IN_TRANSIT, Status.CLEANING},
        by=by,
        note=note,
        kind=EventKind.LOST,
        status_after=Status.LOST,
    )


@transaction.atomic
def report_found(*, instrument: Instrument, by) -> Instrument:
    on_loan = Loan.objects.filter(instrument=instrument, returned_at__isnull=True).exists()
    return _change(
        instrument,
        allowed={Status.LOST},
        by=by,
        kind=EventKind.FOUND,
        status_after=Status.ON_LOAN if on_loan else Status.AVAILABLE,
    )


@transaction.atomic
def retire_instrument(*, instrument: Instrument, by, note: str = "") -> Instrument:
    """Take an instrument out of use for good; one still on loan must come back first."""
    if Loan.objects.filter(instrument=instrument, returned_at__isnull=True).exists():
        raise DomainError(
            _("%(tag)s is still on loan; return it first.") % {"tag": instrument.asset_tag},
            code="on_loan",
        )
    return _change(
        instrument,
        allowed={Status.AVAILABLE, Status.IN_REPAIR, Status.LOST},
        by=by,
        note=note,
        kind=EventKind.RETIRED,
        status_after=Status.RETIRED,
    )


@transaction.atomic
def reserve_instrument(
    *, instrument: Instrument, for_organisation: Organisation, by, note: str = ""
):
    """Hold an available instrument for a programme (allocation): nobody else can borrow it
    until it is lent to that programme or the reservation is released."""
    current = _change(
        instrument,
        allowed={Status.AVAILABLE},
        by=by,
        note=note,
        kind=EventKind.RESERVED,
        status_after=Status.RESERVED,
        organisation=for_organisation,
    )
    Instrument.objects.filter(pk=current.pk).update(reserved_for=for_organisation)
    current.reserved_for = for_organisation
    return current


@transaction.atomic
def release_reservation(*, instrument: Instrument, by, note: str = "") -> Instrument:
    current = _change(
        instrument,
        allowed={Status.RESERVED},
        by=by,
        note=note,
        kind=EventKind.UNRESERVED,
        status_after=Status.AVAILABLE,
    )
    Instrument.objects.filter(pk=current.pk).update(reserved_for=None)
    current.reserved_for = None
    return current


@transaction.atomic
def confirm_receipt(*, instrument: Instrument, by, note: str = "") -> Loan:
    """The borrowing programme confirms an instrument in transit has arrived."""
    current = _locked(instrument)
    loan = _open_loan(current)
    if loan is None or current.status != Status.IN_TRANSIT:
        raise DomainError(
            _("%(tag)s is not on its way to you.") % {"tag": current.asset_tag},
            code="not_in_transit",
        )
    record_event(
        instrument=current,
        kind=EventKind.RECEIVED,
        status_after=Status.ON_LOAN,
        by=by,
        organisation=loan.borrower,
        loan=loan,
        note=note,
    )
    return loan


@transaction.atomic
def move_instrument(
    *, instrument: Instrument, location, by, note: str = "", kind: str = EventKind.MOVED
) -> Instrument:
    """Put an instrument somewhere else (shelf, workshop; a stock-take correction with
    kind=EventKind.STOCKTAKE). Its status does not change."""
    current = _locked(instrument)
    if location is not None and location.organisation_id != current.organisation_id:
        raise DomainError(_("That place belongs to another organisation."), code="wrong_location")
    Instrument.objects.filter(pk=current.pk).update(location=location)
    current.location = location
    where = str(location) if location is not None else "—"
    record_event(
        instrument=current,
        kind=kind,
        status_after=current.status,
        by=by,
        note=f"{where}: {note}" if note else where,
    )
    return current
