"""Work orders: what happens to them in the workshops. Every function runs in one transaction;
refusals are DomainErrors with a message for the person who tried.

Instrument state changes go through `leerorkest.depot.actions` only: a work order opens when the
depot sends an instrument to repair (signal receivers below), and the QA sign-off is the one way
a repaired instrument becomes available again (`finish_repair`).

The parts ledger and harvesting live in `leerorkest.workshop.parts`, maintenance plans and the
due-order run in `leerorkest.workshop.maintenance`; their functions are still importable from
here (module `__getattr__` below).
"""

from datetime import date
from decimal import Decimal
from importlib import import_module

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Condition, Instrument, InstrumentStatus
from leerorkest.workshop import access
from leerorkest.workshop.models import (
    LabourLine,
    WorkOrder,
    Workshop,
    WorkshopMember,
    skill_for,
)

Status = WorkOrder.Status


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


PLAYABLE = (Condition.A, Condition.B, Condition.C)


def _refuse(message: str, code: str = "not_allowed"):
    raise DomainError(message, code=code)


# --- opening work orders --------------------------------------------------------------------------


def workshop_for(instrument: Instrument, skill: str | None = None) -> Workshop | None:
    """The depot's workshop with the skill the instrument needs (any of its workshops if none
    has it; None when the depot has no workshop)."""
    skill = skill or skill_for(instrument)
    workshops = list(Workshop.objects.filter(organisation_id=instrument.organisation_id))
    for workshop in workshops:
        if skill in workshop.skills:
            return workshop
    return workshops[0] if workshops else None


def _open_order(instrument: Instrument) -> WorkOrder | None:
    return WorkOrder.objects.select_for_update().open().filter(instrument=instrument).first()


def _append(order: WorkOrder, text: str) -> None:
    if text and text not in order.description:
        order.description = f"{order.description}\n{text}".strip()


def _create(
    *, instrument, workshop, skill, source, description, by, status, reported_by=None
) -> WorkOrder:
    order = WorkOrder.objects.create(
        organisation_id=instrument.organisation_id,
        instrument=instrument,
        workshop=workshop,
        skill=skill,
        source=source,
        description=description,
        status=status,
        opened_by=_user(by),
        reported_by=reported_by,
    )
    audit(actor=by, action="workshop.opened", obj=order, source=source)
    return order


def on_sent_to_repair(sender, *, instrument, by=None, note="", source="manual", **kwargs):
    """The depot sent an instrument to repair: queue the order that was waiting for it, or open
    one in the workshop with the right skill."""
    order = _open_order(instrument)
    if order is not None:
        if order.status == Status.WAITING:
            order.status = Status.QUEUED
        _append(order, note)
        order.save(update_fields=["status", "description"])
        return
    workshop = workshop_for(instrument)
    if workshop is None:  # a depot without workshops: repairs are recorded by hand
        return
    skill = skill_for(instrument)
    if skill not in workshop.skills and workshop.skills:
        skill = workshop.skills[0]
    _create(
        instrument=instrument,
        workshop=workshop,
        skill=skill,
        source=source if source in WorkOrder.Source.values else WorkOrder.Source.MANUAL,
        description=note or _("Sent to repair."),
        by=by,
        status=Status.QUEUED,
    )


def on_damage_reported(sender, *, instrument, by=None, organisation=None, description="", **kwargs):
    """A programme reported damage to an instrument it has: the workshop waits for it."""
    order = _open_order(instrument)
    if order is not None:
        _append(order, description)
        order.save(update_fields=["description"])
        return
    workshop = workshop_for(instrument)
    if workshop is None:
        return
    _create(
        instrument=instrument,
        workshop=workshop,
        skill=skill_for(instrument),
        source=WorkOrder.Source.DAMAGE_REPORT,
        description=description or _("Damage reported."),
        by=by,
        status=Status.WAITING,
        reported_by=organisation,
    )


def _route(instrument, *, workshop, skill, source, description, by) -> WorkOrder:
    """After the depot's send_to_repair: the open order goes to the chosen workshop and skill
    (or is opened there if the depot had no workshop for the receiver to pick)."""
    order = _open_order(instrument)
    if order is None:
        return _create(
            instrument=instrument,
            workshop=workshop,
            skill=skill,
            source=source,
            description=description,
            by=by,
            status=Status.QUEUED,
        )
    order.workshop, order.skill = workshop, skill
    order.save(update_fields=["workshop", "skill"])
    return order


@transaction.atomic
def create_work_order(
    *,
    instrument: Instrument,
    by,
    description: str,
    workshop: Workshop | None = None,
    skill: str | None = None,
) -> WorkOrder:
    """Open a work order by hand. An instrument on the shelf goes to repair now; one on loan
    gets an order that waits for it."""
    if not access.can_manage(by, instrument.organisation_id):
        _refuse(_("Only the depot's staff and workshop leads open work orders."))
    workshop = workshop or workshop_for(instrument, skill)
    if workshop is None or workshop.organisation_id != instrument.organisation_id:
        _refuse(_("This depot has no workshop for it."), "no_workshop")
    skill = skill or skill_for(instrument)
    if WorkOrder.objects.open().filter(instrument=instrument).exists():
        _refuse(_("This instrument already has an open work order."), "already_open")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    manual = WorkOrder.Source.MANUAL
    if instrument.status in {InstrumentStatus.AVAILABLE, InstrumentStatus.CLEANING}:
        depot_actions.send_to_repair(instrument=instrument, by=by, note=description, source=manual)
        return _route(
            instrument,
            workshop=workshop,
            skill=skill,
            source=manual,
            description=description,
            by=by,
        )
    if instrument.status == InstrumentStatus.IN_REPAIR:
        status = Status.QUEUED
    elif instrument.status in {
        InstrumentStatus.ON_LOAN,
        InstrumentStatus.IN_TRANSIT,
        InstrumentStatus.RESERVED,
    }:
        status = Status.WAITING
    else:
        _refuse(
            _("%(tag)s is %(status)s; it cannot be repaired.")
            % {"tag": instrument.asset_tag, "status": instrument.get_status_display()},
            "wrong_status",
        )
    return _create(
        instrument=instrument,
        workshop=workshop,
        skill=skill,
        source=manual,
        description=description,
        by=by,
        status=status,
    )


# --- moving an order along ------------------------------------------------------------------------


def _locked(order: WorkOrder) -> WorkOrder:
    return (
        WorkOrder.objects.select_for_update()
        .select_related("workshop", "instrument")
        .get(pk=order.pk)
    )


def _expect(order: WorkOrder, allowed) -> None:
    if order.status not in allowed:
        _refuse(
            _("Work order #%(pk)s is %(status)s; that is not possible now.")
            % {"pk": order.pk, "status": order.get_status_display()},
            "wrong_status",
        )


@transaction.atomic
def assign(*, work_order: WorkOrder, to, by) -> WorkOrder:
    """Give the order to someone (or to nobody, with to=None)."""
    order = _locked(work_order)
    if not access.can_manage(by, order.organisation_id):
        _refuse(_("Only the depot's staff and workshop leads assign work."))
    _expect(order, WorkOrder.OPEN)
    if to is not None and not access.work_depots(to).filter(pk=order.organisation_id).exists():
        _refuse(_("That person does not work for this depot."), "not_a_member")
    order.assigned_to = to
    order.save(update_fields=["assigned_to"])
    audit(actor=by, action="workshop.assigned", obj=order, to=to.pk if to else None)
    return order


@transaction.atomic
def take(*, work_order: WorkOrder, by) -> WorkOrder:
    """A volunteer takes an unassigned order from their workshop's queue."""
    order = _locked(work_order)
    _expect(order, {Status.QUEUED, Status.IN_PROGRESS})
    if order.assigned_to_id not in (None, by.pk):
        _refuse(_("Someone else is working on this order."), "assigned")
    if not access.workshops_for_user(by).filter(pk=order.workshop_id).exists():
        _refuse(_("You do not work in this workshop."))
    order.assigned_to = by
    order.status = Status.IN_PROGRESS
    order.save(update_fields=["assigned_to", "status"])
    return order


@transaction.atomic
def start(*, work_order: WorkOrder, by) -> WorkOrder:
    order = _locked(work_order)
    if not access.can_work_on(by, order):
        _refuse(_("This order is not yours to work on."))
    _expect(order, {Status.QUEUED, Status.AWAITING_QA})
    order.status = Status.IN_PROGRESS
    order.ready_for_qa_at = None
    order.save(update_fields=["status", "ready_for_qa_at"])
    return order


@transaction.atomic
def ready_for_qa(*, work_order: WorkOrder, by) -> WorkOrder:
    order = _locked(work_order)
    if not access.can_work_on(by, order):
        _refuse(_("This order is not yours to work on."))
    _expect(order, {Status.QUEUED, Status.IN_PROGRESS})
    order.status = Status.AWAITING_QA
    order.ready_for_qa_at = timezone.now()
    order.save(update_fields=["status", "ready_for_qa_at"])
    return order


@transaction.atomic
def sign_off(
    *, work_order: WorkOrder, by, note: str = "", condition: str | None = None
) -> WorkOrder:
    """The QA sign-off: only the workshop's lead or the depot's staff, only for an order awaiting
    QA. The instrument becomes available again (depot's finish_repair) in the same transaction,
    graded as the lead judges it (A–C); without a grade, one that needed repair (D) counts as
    C, playable, and any other grade stays."""
    order = _locked(work_order)
    if not access.can_sign_off(by, order):
        _refuse(_("Only the workshop's lead or the depot's staff sign off repairs."))
    _expect(order, {Status.AWAITING_QA})
    if condition not in (None, "", *PLAYABLE):
        _refuse(_("After a repair the condition is A, B or C."), "condition")
    instrument = Instrument.objects.get(pk=order.instrument_id)
    graded = condition or (Condition.C if instrument.condition == Condition.D else None)
    if graded and graded != instrument.condition:
        Instrument.objects.filter(pk=instrument.pk).update(condition=graded)
        note = (f"{_('Condition')} {graded}. " + note).strip()
    depot_actions.finish_repair(
        instrument=order.instrument,
        by=by,
        note=(_("Work order #%(pk)s, QA signed.") % {"pk": order.pk} + " " + note).strip(),
    )
    now = timezone.now()
    order.status = Status.DONE
    order.qa_signed_by, order.qa_signed_at, order.closed_at = _user(by), now, now
    order.save(update_fields=["status", "qa_signed_by", "qa_signed_at", "closed_at"])
    audit(actor=by, action="workshop.qa_signed", obj=order, cost_cents=order.cost_cents)
    return order


@transaction.atomic
def cancel(*, work_order: WorkOrder, by, retire: bool = False, note: str = "") -> WorkOrder:
    """Cancel an order. An instrument still in repair cannot be left without one: cancelling
    then means retiring it (beyond repair), never putting it back on the shelf unchecked."""
    order = _locked(work_order)
    if not access.can_manage(by, order.organisation_id):
        _refuse(_("Only the depot's staff and workshop leads cancel work orders."))
    _expect(order, WorkOrder.OPEN)
    instrument = Instrument.objects.get(pk=order.instrument_id)
    if instrument.status == InstrumentStatus.IN_REPAIR:
        if not retire:
            _refuse(
                _("The instrument is in repair: sign it off through QA, or cancel and retire it."),
                "in_repair",
            )
        depot_actions.retire_instrument(
            instrument=instrument,
            by=by,
            note=(_("Work order #%(pk)s cancelled.") % {"pk": order.pk} + " " + note).strip(),
        )
    order.status = Status.CANCELLED
    order.closed_at = timezone.now()
    _append(order, note)
    order.save(update_fields=["status", "closed_at", "description"])
    audit(actor=by, action="workshop.cancelled", obj=order, retired=retire)
    return order


# --- lines ----------------------------------------------------------------------------------------

LINES_ALLOWED = {Status.QUEUED, Status.IN_PROGRESS, Status.AWAITING_QA}


def _working(order: WorkOrder, by) -> None:
    if not access.can_work_on(by, order):
        _refuse(_("This order is not yours to work on."))
    _expect(order, LINES_ALLOWED)


@transaction.atomic
def add_labour(
    *,
    work_order: WorkOrder,
    hours: Decimal,
    by,
    worker=None,
    worked_on: date | None = None,
    note: str = "",
) -> LabourLine:
    """Record hours. Paid staff's hours count at their hourly rate of today; a volunteer's,
    intern's or placement's hours are recorded without cost."""
    order = _locked(work_order)
    _working(order, by)
    worker = worker or by
    hours = Decimal(hours)
    if hours <= 0 or hours > 24:
        raise DomainError(_("Enter between 0 and 24 hours."), code="invalid_hours", field="hours")
    member = WorkshopMember.objects.filter(
        workshop_id=order.workshop_id, user=worker, is_active=True
    ).first()
    paid = bool(member and member.is_paid)
    line = LabourLine.objects.create(
        work_order=order,
        worker=worker,
        worked_on=worked_on or timezone.localdate(),
        hours=hours,
        paid=paid,
        rate_cents=member.hourly_rate_cents if paid else 0,
        note=note[:250],
    )
    WorkOrder.objects.filter(pk=order.pk).update(
        hours=F("hours") + hours, labour_cost_cents=F("labour_cost_cents") + line.cost_cents
    )
    if order.status == Status.QUEUED:
        WorkOrder.objects.filter(pk=order.pk).update(status=Status.IN_PROGRESS)
    return line


# Moved to their own modules; `from leerorkest.workshop.actions import harvest_parts` still works.
MOVED = dict.fromkeys(
    ["use_part", "create_part", "receive_stock", "correct_stock", "harvest_parts"], "parts"
) | dict.fromkeys(
    ["create_plan", "switch_plan", "months_before", "due_instruments", "open_due_maintenance"],
    "maintenance",
)


def __getattr__(name: str):
    if name in MOVED:
        return getattr(import_module(f"leerorkest.workshop.{MOVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
