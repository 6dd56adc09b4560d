"""API for work orders: list and read them, open one by hand, add labour and parts lines, move
it along (take, start, ready, sign off, cancel, assign). Scoped like the pages: depot staff and
workshop leads see their depot's orders, volunteers their workshops' and their own."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import User
from leerorkest.depot.models import Instrument
from leerorkest.idempotency import IdempotencyKey
from leerorkest.workshop import access, actions, parts
from leerorkest.workshop.access import WORK
from leerorkest.workshop.models import Part, Skill, WorkOrder, Workshop

router = Router(tags=["work orders"])


class WorkOrderOut(Schema):
    id: int
    instrument_id: int
    asset_tag: str
    workshop_id: int
    workshop: str
    source: str
    skill: str
    status: str
    description: str
    assigned_to_id: int | None
    opened_at: datetime
    qa_signed_at: datetime | None
    parts_cost_cents: int
    labour_cost_cents: int
    hours: float
    instrument_value_cents: int
    cost_warning: bool


class PartLineOut(Schema):
    id: int
    part_id: int
    part: str
    quantity: int
    unit_cost_cents: int
    cost_cents: int


class LabourOut(Schema):
    id: int
    worker_id: int
    worker: str
    worked_on: date
    hours: float
    paid: bool
    rate_cents: int
    cost_cents: int
    note: str


class WorkOrderDetailOut(WorkOrderOut):
    parts: list[PartLineOut]
    labour: list[LabourOut]


class WorkOrderIn(Schema):
    instrument_id: int
    description: str = Field(..., min_length=1, max_length=2000)
    workshop_id: int | None = None
    skill: Skill | None = None


class LabourIn(Schema):
    hours: float = Field(..., gt=0, le=24)
    note: str = Field("", max_length=250)


class PartIn(Schema):
    part_id: int
    quantity: int = Field(..., ge=1, le=1000)


class ChangeIn(Schema):
    action: Literal["take", "start", "ready", "sign_off", "cancel", "assign"]
    note: str = Field("", max_length=250)
    retire: bool = False
    assigned_to_id: int | None = None
    condition: Literal["A", "B", "C"] | None = None  # the grade after the repair, at sign-off


def _out(order: WorkOrder) -> dict:
    value = order.instrument.current_value_cents()
    return {
        "id": order.pk,
        "instrument_id": order.instrument_id,
        "asset_tag": order.instrument.asset_tag,
        "workshop_id": order.workshop_id,
        "workshop": order.workshop.name,
        "source": order.source,
        "skill": order.skill,
        "status": order.status,
        "description": order.description,
        "assigned_to_id": order.assigned_to_id,
        "opened_at": order.opened_at,
        "qa_signed_at": order.qa_signed_at,
        "parts_cost_cents": order.parts_cost_cents,
        "labour_cost_cents": order.labour_cost_cents,
        "hours": float(order.hours),
        "instrument_value_cents": value,
        "cost_warning": order.cost_warning(value),
    }


def _part_line(line) -> dict:
    return {
        "id": line.pk,
        "part_id": line.part_id,
        "part": line.part.name,
        "quantity": line.quantity,
        "unit_cost_cents": line.unit_cost_cents,
        "cost_cents": line.cost_cents,
    }


def _labour_line(line) -> dict:
    return {
        "id": line.pk,
        "worker_id": line.worker_id,
        "worker": line.worker.full_name,
        "worked_on": line.worked_on,
        "hours": float(line.hours),
        "paid": line.paid,
        "rate_cents": line.rate_cents,
        "cost_cents": line.cost_cents,
        "note": line.note,
    }


def _detail(order: WorkOrder) -> dict:
    return {
        **_out(order),
        "parts": [_part_line(x) for x in order.part_lines.select_related("part")],
        "labour": [_labour_line(x) for x in order.labour_lines.select_related("worker")],
    }


def _order(request, work_order_id: int) -> WorkOrder:
    return access.get_work_order_for_user(request.user, work_order_id)


@router.get("/work-orders", response=list[WorkOrderOut], summary="Work orders I can see")
@rule(WORK)
def work_order_list(
    request,
    status: WorkOrder.Status | None = None,
    workshop_id: int | None = None,
    mine: bool = False,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=200),
):
    orders = access.work_orders_for_user(request.user).select_related("instrument", "workshop")
    if status:
        orders = orders.filter(status=status)
    if workshop_id is not None:
        orders = orders.filter(workshop_id=workshop_id)
    if mine:
        orders = orders.filter(assigned_to=request.user)
    return [_out(o) for o in orders.order_by("opened_at", "pk")[offset : offset + limit]]


@router.post(
    "/work-orders", response={201: WorkOrderDetailOut}, summary="Open a work order by hand"
)
@rule(WORK)
def work_order_create(request, payload: WorkOrderIn, idempotency_key: IdempotencyKey = None):
    instrument = Instrument.objects.filter(
        pk=payload.instrument_id, organisation__in=access.managed_depots(request.user)
    ).first()
    if instrument is None:
        raise Http404
    workshop = None
    if payload.workshop_id is not None:
        workshop = Workshop.objects.filter(
            pk=payload.workshop_id, organisation_id=instrument.organisation_id
        ).first()
        if workshop is None:
            raise Http404
    order = actions.create_work_order(
        instrument=instrument,
        by=request.user,
        description=payload.description,
        workshop=workshop,
        skill=payload.skill,
    )
    return Status(201, _detail(_order(request, order.pk)))


@router.get("/work-orders/{work_order_id}", response=WorkOrderDetailOut, summary="One work order")
@rule(WORK)
def work_order_detail(request, work_order_id: int):
    return _detail(_order(request, work_order_id))


@router.patch(
    "/work-orders/{work_order_id}",
    response=WorkOrderDetailOut,
    summary="Move a work order along (take, start, ready, sign_off, cancel, assign)",
)
@rule(WORK)
def work_order_change(
    request, work_order_id: int, payload: ChangeIn, idempotency_key: IdempotencyKey = None
):
    order = _order(request, work_order_id)
    by = request.user
    if payload.action == "assign":
        to = None
        if payload.assigned_to_id is not None:
            to = User.objects.filter(pk=payload.assigned_to_id, is_active=True).first()
            if to is None:
                raise DomainError(_("Unknown person."), code="not_a_member")
        actions.assign(work_order=order, to=to, by=by)
    elif payload.action == "cancel":
        actions.cancel(work_order=order, by=by, retire=payload.retire, note=payload.note)
    elif payload.action == "sign_off":
        actions.sign_off(work_order=order, by=by, note=payload.note, condition=payload.condition)
    else:
        {"take": actions.take, "start": actions.start, "ready": actions.ready_for_qa}[
            payload.action
        ](work_order=order, by=by)
    return _detail(_order(request, work_order_id))


@router.get(
    "/work-orders/{work_order_id}/labour",
    response=list[LabourOut],
    summary="Labour lines of a work order",
)
@rule(WORK)
def labour_list(request, work_order_id: int):
    order = _order(request, work_order_id)
    return [_labour_line(x) for x in order.labour_lines.select_related("worker")]


@router.post(
    "/work-orders/{work_order_id}/labour",
    response={201: LabourOut},
    summary="Record hours on a work order",
)
@rule(WORK)
def labour_add(
    request, work_order_id: int, payload: LabourIn, idempotency_key: IdempotencyKey = None
):
    order = _order(request, work_order_id)
    line = actions.add_labour(
        work_order=order,
        hours=Decimal(str(round(payload.hours, 2))),
        note=payload.note,
        by=request.user,
    )
    return Status(201, _labour_line(line))


@router.get(
    "/work-orders/{work_order_id}/parts",
    response=list[PartLineOut],
    summary="Parts lines of a work order",
)
@rule(WORK)
def part_list(request, work_order_id: int):
    order = _order(request, work_order_id)
    return [_part_line(x) for x in order.part_lines.select_related("part")]


@router.post(
    "/work-orders/{work_order_id}/parts",
    response={201: PartLineOut},
    summary="Use parts from stock on a work order",
)
@rule(WORK)
def part_add(request, work_order_id: int, payload: PartIn, idempotency_key: IdempotencyKey = None):
    order = _order(request, work_order_id)
    part = Part.objects.filter(pk=payload.part_id, organisation_id=order.organisation_id).first()
    if part is None:
        raise Http404
    line = parts.use_part(work_order=order, part=part, quantity=payload.quantity, by=request.user)
    return Status(201, _part_line(line))
