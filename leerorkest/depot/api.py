"""The depot's API: instruments and loans, scoped per organisation (the depot's staff see its
stock and loans; a programme sees what it has on loan), checkout of one or several instruments
with a result per item (target L8), and returns. Writes take an `Idempotency-Key`."""

from datetime import date, datetime
from typing import Annotated

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind, Role
from leerorkest.depot import actions
from leerorkest.depot.access import stock_for_user, visible_instruments, visible_loans
from leerorkest.depot.forms import MAX_TAGS
from leerorkest.depot.models import InstrumentStatus, Loan, PupilLoan
from leerorkest.idempotency import IdempotencyKey
from leerorkest.programme.models import InstrumentFamily

router = Router(tags=["depot"])

READERS = roles(
    Role.DEPOT_STAFF,
    Role.WORKSHOP_LEAD,
    Role.COORDINATOR,
    Role.PARTNER_COORDINATOR,
    PLATFORM_ADMIN,
)
DESK = roles(Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, PLATFORM_ADMIN)
MAX_PAGE = 200
MAX_OFFSET = 10_000_000
WIND = {InstrumentFamily.WOODWIND, InstrumentFamily.BRASS}

Tag = Annotated[str, Field(min_length=1, max_length=40)]


class InstrumentOut(Schema):
    id: int
    asset_tag: str
    instrument: str = Field(description="Instrument code of the catalogue, e.g. violin")
    size: str | None
    make: str
    model: str
    serial: str
    condition: str
    status: InstrumentStatus
    location: str | None
    borrower_id: int | None = Field(description="The programme it is on loan to, if any")


class LoanOut(Schema):
    id: int
    instrument_id: int
    asset_tag: str
    lender_id: int
    borrower_id: int
    out_at: datetime
    due_on: date
    returned_at: datetime | None
    in_transit: bool
    agreement_version: str | None
    child_pseudonym: str | None = Field(description="The child it is lent on to (open loans)")


class RefusedOut(Schema):
    asset_tag: str
    code: str
    message: str


class CheckoutIn(Schema):
    borrower_id: int = Field(ge=1, le=2**31 - 1)
    asset_tags: list[Tag] = Field(min_length=1, max_length=MAX_TAGS)
    due_on: date | None = Field(None, description="Empty: the end of the school year")


class CheckoutOut(Schema):
    loans: list[LoanOut]
    refused: list[RefusedOut]


class ReturnIn(Schema):
    asset_tags: list[Tag] = Field(min_length=1, max_length=MAX_TAGS)
    needs_cleaning: bool = Field(True, description="Wind instruments go to cleaning")


class ReturnOut(Schema):
    returned: list[LoanOut]
    refused: list[RefusedOut]


def _instrument_out(i) -> dict:
    return {
        "id": i.pk,
        "asset_tag": i.asset_tag,
        "instrument": i.instrument_type.code,
        "size": i.size.label if i.size_id else None,
        "make": i.make,
        "model": i.model_name,
        "serial": i.serial,
        "condition": i.condition,
        "status": i.status,
        "location": i.location.name if i.location_id else None,
        "borrower_id": i.borrower_id,
    }


def _loan_out(loan: Loan, pseudonym: str | None = None) -> dict:
    return {
        "id": loan.pk,
        "instrument_id": loan.instrument_id,
        "asset_tag": loan.instrument.asset_tag,
        "lender_id": loan.lender_id,
        "borrower_id": loan.borrower_id,
        "out_at": loan.out_at,
        "due_on": loan.due_on,
        "returned_at": loan.returned_at,
        "in_transit": loan.returned_at is None
        and loan.instrument.status == InstrumentStatus.IN_TRANSIT,
        "agreement_version": loan.agreement.version if loan.agreement_id else None,
        "child_pseudonym": pseudonym,
    }


def _instruments(user):
    borrower = Loan.objects.filter(instrument=OuterRef("pk"), returned_at__isnull=True)
    return (
        visible_instruments(user)
        .select_related("instrument_type", "size", "location")
        .annotate(borrower_id=Subquery(borrower.values("borrower_id")[:1]))
    )


def _loans(user):
    child = PupilLoan.objects.filter(loan=OuterRef("pk"), returned_at__isnull=True)
    return (
        visible_loans(user)
        .select_related("instrument", "agreement")
        .annotate(child_pseudonym=Subquery(child.values("pseudonym")[:1]))
    )


@router.get("/depot/instruments", response=list[InstrumentOut], summary="Instruments I can see")
@rule(READERS)
def instrument_list(
    request,
    instrument: str = Query("", max_length=40, description="Instrument code, e.g. violin"),
    size: str = Query("", max_length=20),
    status: InstrumentStatus | None = None,
    q: str = Query("", max_length=40, description="Part of the asset tag or serial number"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    instruments = _instruments(request.user)
    if instrument:
        instruments = instruments.filter(instrument_type__code=instrument)
    if size:
        instruments = instruments.filter(size__label=size)
    if status:
        instruments = instruments.filter(status=status)
    if q:
        instruments = instruments.filter(asset_tag__icontains=q) | instruments.filter(
            serial__icontains=q
        )
    rows = instruments.order_by("asset_tag", "pk")[offset : offset + limit]
    return [_instrument_out(i) for i in rows]


@router.get("/depot/instruments/{instrument_id}", response=InstrumentOut, summary="One instrument")
@rule(READERS)
def instrument_detail(request, instrument_id: int):
    instrument = _instruments(request.user).filter(pk=instrument_id).first()
    if instrument is None:
        raise Http404
    return _instrument_out(instrument)


@router.get("/depot/loans", response=list[LoanOut], summary="Loans I can see")
@rule(READERS)
def loan_list(
    request,
    open: bool | None = Query(None, description="Only open (true) or only returned (false)"),
    borrower_id: int | None = Query(None, ge=1, le=2**31 - 1),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    loans = _loans(request.user)
    if open is not None:
        loans = loans.filter(returned_at__isnull=open)
    if borrower_id is not None:
        loans = loans.filter(borrower_id=borrower_id)
    rows = loans.order_by("-out_at", "-pk")[offset : offset + limit]
    return [_loan_out(loan, loan.child_pseudonym) for loan in rows]


@router.get("/depot/loans/{loan_id}", response=LoanOut, summary="One loan")
@rule(READERS)
def loan_detail(request, loan_id: int):
    loan = _loans(request.user).filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return _loan_out(loan, loan.child_pseudonym)


def _found(user, tags: list[str]):
    tags = list(dict.fromkeys(t.strip().upper() for t in tags if t.strip()))
    stock = stock_for_user(user).filter(asset_tag__in=tags).select_related("instrument_type")
    return tags, {i.asset_tag.upper(): i for i in stock}


def _refused(tag: str, code: str, message: str) -> dict:
    return {"asset_tag": tag, "code": code, "message": message}


@router.post(
    "/depot/loans",
    response=CheckoutOut,
    summary="Lend one or several instruments to a programme",
    description=(
        "Each instrument is lent in its own transaction: those that can go, go; the others "
        "are listed under `refused` by asset tag, and nothing is written for them."
    ),
)
@rule(DESK)
def checkout(request, payload: CheckoutIn, idempotency_key: IdempotencyKey = None):
    borrower = Organisation.objects.filter(
        pk=payload.borrower_id, is_active=True, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
    ).first()
    if borrower is None:
        raise DomainError(_("Choose a borrowing programme."), code="unknown_borrower")
    tags, found = _found(request.user, payload.asset_tags)
    loans, refused = [], []
    for tag in tags:
        instrument = found.get(tag)
        if instrument is None:
            refused.append(_refused(tag, "unknown_tag", _("Unknown asset tag.")))
            continue
        try:
            loan = actions.checkout_instrument(
                instrument=instrument, borrower=borrower, by=request.user, due_on=payload.due_on
            )
        except DomainError as error:
            refused.append(_refused(tag, error.code, error.message))
        else:
            loan.instrument = instrument
            loans.append(_loan_out(loan))
    return {"loans": loans, "refused": refused}


@router.post(
    "/depot/returns",
    response=ReturnOut,
    summary="Take back one or several instruments",
    description="Each return is its own transaction; refusals are listed by asset tag.",
)
@rule(DESK)
def take_back(request, payload: ReturnIn, idempotency_key: IdempotencyKey = None):
    tags, found = _found(request.user, payload.asset_tags)
    returned, refused = [], []
    for tag in tags:
        instrument = found.get(tag)
        if instrument is None:
            refused.append(_refused(tag, "unknown_tag", _("Unknown asset tag.")))
            continue
        cleaning = payload.needs_cleaning and instrument.instrument_type.family in WIND
        try:
            loan = actions.return_instrument(
                instrument=instrument, by=request.user, needs_cleaning=cleaning
            )
        except DomainError as error:
            refused.append(_refused(tag, error.code, error.message))
        else:
            instrument.status = (
                InstrumentStatus.CLEANING if cleaning else InstrumentStatus.AVAILABLE
            )
            loan.instrument = instrument
            returned.append(_loan_out(loan))
    return {"returned": returned, "refused": refused}
