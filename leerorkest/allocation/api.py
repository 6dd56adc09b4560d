"""API for instrument requests: list, read, create, submit and withdraw. Scoped like the pages:
a programme's coordinators see its requests, depot staff the requests made to their depot."""

from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind
from leerorkest.allocation import actions, stock
from leerorkest.allocation.forms import default_season, season_choices
from leerorkest.allocation.models import (
    MAX_QUANTITY,
    InstrumentRequest,
    RequestStatus,
    borrowers_for_user,
)
from leerorkest.allocation.views import EITHER, PROGRAMME, get_request_for_user
from leerorkest.depot.models import Size
from leerorkest.idempotency import IdempotencyKey
from leerorkest.programme.models import InstrumentType
from leerorkest.schools.models import School

router = Router(tags=["instrument requests"])

MAX_PAGE = 200
MAX_OFFSET = 10_000_000


class LineOut(Schema):
    id: int
    instrument: str
    size: str | None
    quantity: int
    allow_one_size_up: bool
    allow_one_size_down: bool
    reserved: int


class RequestOut(Schema):
    id: int
    borrower_id: int
    borrower: str
    depot_id: int
    school_id: int | None
    school_year: str
    needed_by: date
    status: str
    note: str
    created_at: datetime
    submitted_at: datetime | None
    lines: list[LineOut]


class LineIn(Schema):
    instrument: str = Field(..., max_length=40, description="Instrument code, e.g. `violin`.")
    size: str | None = Field(None, max_length=20, description="Size label, e.g. `1/2`.")
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)
    allow_one_size_up: bool = False
    allow_one_size_down: bool = False


class RequestIn(Schema):
    borrower_id: int | None = Field(
        None, description="The programme; needed only if you coordinate more than one."
    )
    depot_id: int | None = Field(None, description="Needed only if there is more than one depot.")
    school_id: int | None = None
    school_year: int | None = Field(
        None, ge=2000, le=2100, description="Start year of the school year (default: coming one)."
    )
    needed_by: date
    note: str = Field("", max_length=2000)
    lines: list[LineIn] = Field(..., min_length=1, max_length=60)
    submit: bool = Field(False, description="Send it to the depot at once.")


class ChangeIn(Schema):
    action: Literal["submit", "withdraw"]


def _out(request: InstrumentRequest) -> dict:
    lines = list(request.lines.select_related("instrument_type", "size"))
    reserved = stock.allocated_per_line(lines)
    return {
        "id": request.pk,
        "borrower_id": request.borrower_id,
        "borrower": request.borrower.name,
        "depot_id": request.depot_id,
        "school_id": request.school_id,
        "school_year": str(request.school_year),
        "needed_by": request.needed_by,
        "status": request.status,
        "note": request.note,
        "created_at": request.created_at,
        "submitted_at": request.submitted_at,
        "lines": [
            {
                "id": line.pk,
                "instrument": line.instrument_type.code,
                "size": line.size.label if line.size_id else None,
                "quantity": line.quantity,
                "allow_one_size_up": line.allow_one_size_up,
                "allow_one_size_down": line.allow_one_size_down,
                "reserved": reserved.get(line.pk, 0),
            }
            for line in lines
        ],
    }


@router.get("/requests", response=list[RequestOut], summary="Instrument requests I can see")
@rule(EITHER)
def request_list(
    request,
    status: RequestStatus | None = None,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
):
    requests = InstrumentRequest.objects.for_user(request.user).select_related(
        "borrower", "school_year"
    )
    if status:
        requests = requests.filter(status=status)
    return [_out(r) for r in requests.order_by("-created_at", "-pk")[offset : offset + limit]]


@router.get("/requests/{request_id}", response=RequestOut, summary="One instrument request")
@rule(EITHER)
def request_detail(request, request_id: int):
    return _out(get_request_for_user(request.user, request_id))


def _lines(payload: RequestIn) -> list[dict]:
    kinds = {k.code: k for k in InstrumentType.objects.all()}
    lines = []
    for line in payload.lines:
        kind = kinds.get(line.instrument)
        if kind is None:
            raise DomainError(
                _("Unknown instrument: %(code)s.") % {"code": line.instrument},
                code="unknown_instrument",
            )
        size = None
        if line.size:
            size = Size.objects.filter(instrument_type=kind, label=line.size).first()
            if size is None:
                raise DomainError(
                    _("%(size)s is not a size of %(instrument)s.")
                    % {"size": line.size, "instrument": kind.name},
                    code="wrong_size",
                )
        lines.append(
            {
                "instrument_type": kind,
                "size": size,
                "quantity": line.quantity,
                "allow_one_size_up": line.allow_one_size_up,
                "allow_one_size_down": line.allow_one_size_down,
            }
        )
    return lines


@router.post("/requests", response={201: RequestOut}, summary="Request instruments")
@rule(PROGRAMME)
def request_create(request, payload: RequestIn, idempotency_key: IdempotencyKey = None):
    borrowers = borrowers_for_user(request.user).order_by("name")
    if payload.borrower_id is not None:
        borrower = borrowers.filter(pk=payload.borrower_id).first()
    else:
        borrower = borrowers.first() if borrowers.count() == 1 else None
        if borrower is None:
            raise DomainError(_("Say which programme this is for."), code="borrower_required")
    if borrower is None:
        raise Http404
    depots = Organisation.objects.filter(kind=OrgKind.DEPOT, is_active=True).order_by("pk")
    if payload.depot_id is not None:
        depot = depots.filter(pk=payload.depot_id).first()
        if depot is None:
            raise Http404
    else:
        depot = depots.first()
        if depot is None or depots.count() > 1:
            raise DomainError(_("Say which depot this is for."), code="depot_required")
    school = None
    if payload.school_id is not None:
        school = School.objects.filter(pk=payload.school_id, organisation__parent=borrower).first()
        if school is None:
            raise Http404
    if payload.needed_by < timezone.localdate():
        raise DomainError(_("The date needed by has passed."), code="date_passed")
    seasons = {s.starts_on.year: s for s in season_choices()}
    if payload.school_year is None:
        school_year = default_season()
    elif payload.school_year in seasons:
        school_year = seasons[payload.school_year]
    else:
        raise DomainError(
            _("Requests are for this school year or the next."), code="wrong_school_year"
        )
    created = actions.create_request(
        borrower=borrower,
        depot=depot,
        school=school,
        school_year=school_year,
        needed_by=payload.needed_by,
        note=payload.note,
        lines=_lines(payload),
        by=request.user,
        submit=payload.submit,
    )
    return Status(201, _out(get_request_for_user(request.user, created.pk)))


@router.patch(
    "/requests/{request_id}",
    response=RequestOut,
    summary="Submit a draft to the depot, or withdraw a request (releasing its reservations)",
)
@rule(PROGRAMME)
def request_change(
    request, request_id: int, payload: ChangeIn, idempotency_key: IdempotencyKey = None
):
    instance = get_request_for_user(request.user, request_id, side="programme")
    if payload.action == "submit":
        actions.submit_request(request=instance, by=request.user)
    else:
        actions.withdraw_request(request=instance, by=request.user)
    return _out(get_request_for_user(request.user, request_id))
