"""The instrument page's workshop section: its work orders with their cost, a link to open one,
and for a retired instrument the form to harvest its parts into stock."""

from django.db.models import Sum

from leerorkest.depot.models import InstrumentStatus
from leerorkest.workshop import access
from leerorkest.workshop.forms import HarvestForm
from leerorkest.workshop.models import Part, WorkOrder


def work_order_panel(request, instrument):
    orders = list(
        WorkOrder.objects.filter(instrument=instrument)
        .select_related("workshop", "assigned_to")
        .order_by("-opened_at", "-pk")
    )
    manager = access.can_manage(request.user, instrument.organisation_id)
    harvest_form = None
    if manager and instrument.status == InstrumentStatus.RETIRED:
        harvest_form = HarvestForm(
            parts=Part.objects.filter(organisation_id=instrument.organisation_id).order_by("name"),
            auto_id="harvest_%s",
        )
    if not orders and not manager:
        return None
    done = WorkOrder.objects.filter(instrument=instrument, status=WorkOrder.Status.DONE)
    totals = done.aggregate(parts=Sum("parts_cost_cents"), labour=Sum("labour_cost_cents"))
    return (
        "workshop/panel.html",
        {
            "work_orders": orders,
            "repair_total_cents": (totals["parts"] or 0) + (totals["labour"] or 0),
            "has_open": any(o.is_open for o in orders),
            "manager": manager,
            "harvest_form": harvest_form,
        },
    )
