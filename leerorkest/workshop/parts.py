"""The parts stock: its append-only ledger (PartMovement) with the cached `on_hand`, parts used on
a work order, purchases, counted corrections and parts harvested from retired or donated
instruments. Every function runs in one transaction; refusals are DomainErrors."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus
from leerorkest.workshop import access
from leerorkest.workshop.actions import Status, _locked, _refuse, _user, _working
from leerorkest.workshop.models import Part, PartLine, PartMovement, WorkOrder


def _move(*, part: Part, kind: str, quantity: int, by, unit_cost_cents: int = 0, **extra):
    """Append to the ledger and update the cached stock, refusing to go below zero."""
    locked = Part.objects.select_for_update().get(pk=part.pk)
    if locked.on_hand + quantity < 0:
        raise DomainError(
            _("Only %(n)s of %(part)s on hand.") % {"n": locked.on_hand, "part": locked.name},
            code="not_enough_stock",
            field="quantity",
        )
    movement = PartMovement.objects.create(
        part=locked,
        kind=kind,
        quantity=quantity,
        unit_cost_cents=unit_cost_cents,
        by=_user(by),
        **extra,
    )
    Part.objects.filter(pk=locked.pk).update(on_hand=F("on_hand") + quantity)
    part.on_hand = locked.on_hand + quantity
    return movement


@transaction.atomic
def use_part(*, work_order: WorkOrder, part: Part, quantity: int, by) -> PartLine:
    """Take parts off stock for an order, at today's unit cost; refused when not enough."""
    order = _locked(work_order)
    _working(order, by)
    if part.organisation_id != order.organisation_id:
        raise DomainError(_("That part belongs to another depot."), code="wrong_part")
    if quantity < 1:
        raise DomainError(_("Use at least one."), code="invalid_quantity", field="quantity")
    cost = Part.objects.get(pk=part.pk).unit_cost_cents
    _move(
        part=part,
        kind=PartMovement.Kind.USED,
        quantity=-quantity,
        by=by,
        unit_cost_cents=cost,
        work_order=order,
    )
    line = PartLine.objects.create(
        work_order=order, part=part, quantity=quantity, unit_cost_cents=cost, added_by=_user(by)
    )
    WorkOrder.objects.filter(pk=order.pk).update(
        parts_cost_cents=F("parts_cost_cents") + line.cost_cents
    )
    if order.status == Status.QUEUED:
        WorkOrder.objects.filter(pk=order.pk).update(status=Status.IN_PROGRESS)
    return line


# --- parts stock ----------------------------------------------------------------------------------


def _manager(by, organisation_id: int) -> None:
    if not access.can_manage(by, organisation_id):
        _refuse(_("Only the depot's staff and workshop leads manage the parts stock."))


@transaction.atomic
def create_part(*, organisation, by, name: str, **fields) -> Part:
    _manager(by, organisation.pk)
    if Part.objects.filter(organisation=organisation, name__iexact=name.strip()).exists():
        raise DomainError(_("There is a part with that name."), code="duplicate", field="name")
    return Part.objects.create(organisation=organisation, name=name.strip(), **fields)


@transaction.atomic
def receive_stock(
    *, part: Part, quantity: int, by, unit_cost_cents: int | None = None, note: str = ""
) -> PartMovement:
    """Parts bought or delivered; a new unit cost becomes the part's cost from now on."""
    _manager(by, part.organisation_id)
    if quantity < 1:
        raise DomainError(_("Receive at least one."), code="invalid_quantity", field="quantity")
    if unit_cost_cents is not None:
        Part.objects.filter(pk=part.pk).update(unit_cost_cents=unit_cost_cents)
        part.unit_cost_cents = unit_cost_cents
    return _move(
        part=part,
        kind=PartMovement.Kind.PURCHASE,
        quantity=quantity,
        by=by,
        unit_cost_cents=part.unit_cost_cents,
        note=note[:250],
    )


@transaction.atomic
def correct_stock(*, part: Part, counted: int, by, note: str = "") -> PartMovement | None:
    """Set the stock to what was counted; the difference goes in the ledger."""
    _manager(by, part.organisation_id)
    if counted < 0:
        raise DomainError(_("A count cannot be negative."), code="invalid_quantity")
    current = Part.objects.get(pk=part.pk).on_hand
    if counted == current:
        return None
    return _move(
        part=part,
        kind=PartMovement.Kind.CORRECTION,
        quantity=counted - current,
        by=by,
        unit_cost_cents=part.unit_cost_cents,
        note=note[:250],
    )


@transaction.atomic
def harvest_parts(
    *,
    parts: list[tuple[Part, int]],
    by,
    organisation_id: int,
    instrument: Instrument | None = None,
    note: str = "",
) -> list[PartMovement]:
    """Parts taken from a retired instrument (or from a donated item good for parts only) go
    back into stock. With an instrument, its history says so."""
    _manager(by, organisation_id)
    parts = [(part, quantity) for part, quantity in parts if quantity]
    if not parts:
        raise DomainError(_("Name at least one part."), code="nothing_harvested")
    if instrument is not None:
        instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
        if instrument.organisation_id != organisation_id:
            raise DomainError(_("That instrument belongs to another depot."), code="wrong_depot")
        if instrument.status != InstrumentStatus.RETIRED:
            raise DomainError(
                _("Parts are harvested from retired instruments only; retire it first."),
                code="not_retired",
            )
    movements = []
    for part, quantity in parts:
        if part.organisation_id != organisation_id:
            raise DomainError(_("That part belongs to another depot."), code="wrong_part")
        if quantity < 0:
            raise DomainError(_("Quantities are counted from one."), code="invalid_quantity")
        movements.append(
            _move(
                part=part,
                kind=PartMovement.Kind.HARVESTED,
                quantity=quantity,
                by=by,
                unit_cost_cents=0,
                instrument=instrument,
                note=note[:250],
            )
        )
    if instrument is not None:
        listed = ", ".join(f"{quantity}× {part.name}" for part, quantity in parts)
        depot_actions.record_event(
            instrument=instrument,
            kind=EventKind.HARVESTED,
            status_after=instrument.status,
            by=by,
            note=f"{listed}. {note}".strip(),
        )
    return movements
