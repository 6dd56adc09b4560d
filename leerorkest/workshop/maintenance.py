"""Maintenance plans (service every instrument of a type or family every so many months) and the
run that opens the due work orders (`leerorkest maintenance`, the task, the plans page)."""

import calendar
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Instrument, InstrumentStatus
from leerorkest.workshop.actions import _route
from leerorkest.workshop.models import MaintenancePlan, WorkOrder, Workshop
from leerorkest.workshop.parts import _manager


@transaction.atomic
def create_plan(*, organisation, by, workshop: Workshop, **fields) -> MaintenancePlan:
    _manager(by, organisation.pk)
    if workshop.organisation_id != organisation.pk:
        raise DomainError(_("That workshop belongs to another depot."), code="wrong_workshop")
    plan = MaintenancePlan.objects.create(organisation=organisation, workshop=workshop, **fields)
    audit(actor=by, action="workshop.plan_created", obj=plan)
    return plan


@transaction.atomic
def switch_plan(*, plan: MaintenancePlan, by) -> MaintenancePlan:
    """Switch a plan off (or on again); plans are kept, not deleted."""
    _manager(by, plan.organisation_id)
    plan.is_active = not plan.is_active
    plan.save(update_fields=["is_active"])
    return plan


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_instruments(plan: MaintenancePlan, today: date | None = None):
    """Instruments on the shelf that the plan covers and that have not been serviced (a done
    work order) nor come in within the interval, and have no open work order."""
    today = today or timezone.localdate()
    cutoff = months_before(today, plan.interval_months)
    cutoff_at = timezone.make_aware(datetime.combine(cutoff, time.min))
    instruments = Instrument.objects.filter(
        organisation_id=plan.organisation_id,
        status=InstrumentStatus.AVAILABLE,
        acquired_on__lte=cutoff,
    )
    if plan.instrument_type_id:
        instruments = instruments.filter(instrument_type_id=plan.instrument_type_id)
    else:
        instruments = instruments.filter(instrument_type__family=plan.family)
    return (
        instruments.exclude(work_orders__status__in=WorkOrder.OPEN)
        .annotate(
            last_service=Max("work_orders__qa_signed_at", filter=Q(work_orders__status="done"))
        )
        .filter(Q(last_service__isnull=True) | Q(last_service__lt=cutoff_at))
        .order_by("acquired_on", "pk")
    )


def open_due_maintenance(
    *, today: date | None = None, limit: int | None = None, by=None
) -> list[WorkOrder]:
    """Send every instrument a maintenance plan says is due to its workshop (one transaction per
    instrument, so a refusal never undoes the others). Running it again opens nothing new: the
    instruments are in repair with an open order."""
    opened: list[WorkOrder] = []
    plans = MaintenancePlan.objects.filter(is_active=True).select_related("workshop")
    for plan in plans.order_by("pk"):
        for instrument in due_instruments(plan, today).select_related("instrument_type"):
            if limit is not None and len(opened) >= limit:
                return opened
            description = plan.description or _("Scheduled maintenance.")
            try:
                with transaction.atomic():
                    depot_actions.send_to_repair(
                        instrument=instrument,
                        by=by,
                        note=description,
                        source=WorkOrder.Source.MAINTENANCE,
                    )
                    opened.append(
                        _route(
                            instrument,
                            workshop=plan.workshop,
                            skill=plan.skill,
                            source=WorkOrder.Source.MAINTENANCE,
                            description=description,
                            by=by,
                        )
                    )
            except DomainError:
                continue  # it changed status meanwhile; the next run looks again
    return opened
