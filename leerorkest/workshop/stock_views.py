"""Parts stock, maintenance plans and harvesting parts from retired instruments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.depot.models import Instrument
from leerorkest.workshop import access
from leerorkest.workshop import maintenance as plan_actions
from leerorkest.workshop import parts as part_actions
from leerorkest.workshop.access import MANAGE
from leerorkest.workshop.forms import (
    CorrectionForm,
    HarvestForm,
    PartForm,
    PlanForm,
    ReceiveForm,
    cents,
)
from leerorkest.workshop.models import MaintenancePlan, Part
from leerorkest.workshop.tasks import maintenance


def active_depot(request):
    """The depot the user manages: the active one in their role switcher, else the first."""
    depots = access.managed_depots(request.user).order_by("pk")
    context = getattr(request, "context", None)
    current = getattr(context, "organisation", None)
    if current is not None and depots.filter(pk=current.pk).exists():
        return current
    depot = depots.first()
    if depot is None:
        raise Http404
    return depot


def _parts_page(request, *, part_form=None, receive_form=None):
    depot = active_depot(request)
    parts = Part.objects.filter(organisation=depot).select_related("instrument_type")
    filters = {
        "q": request.GET.get("q", "").strip(),
        "kind": request.GET.get("kind", ""),
        "low": request.GET.get("low") == "1",
    }
    if filters["q"]:
        parts = parts.filter(name__icontains=filters["q"])
    if filters["kind"] in Part.Kind.values:
        parts = parts.filter(kind=filters["kind"])
    else:
        filters["kind"] = ""
    if filters["low"]:
        parts = parts.below_reorder()
    page = Paginator(parts.order_by("name", "pk"), 100).get_page(request.GET.get("page"))
    all_parts = Part.objects.filter(organisation=depot).order_by("name")
    return render(
        request,
        "workshop/parts.html",
        {
            "depot": depot,
            "page": page,
            "filters": filters,
            "kinds": Part.Kind.choices,
            "low_count": Part.objects.filter(organisation=depot).below_reorder().count(),
            "part_form": part_form or PartForm(),
            "receive_form": receive_form or ReceiveForm(parts=all_parts),
        },
    )


@rule(MANAGE)
def parts(request):
    return _parts_page(request)


@require_POST
@rule(MANAGE)
def part_create(request):
    depot = active_depot(request)
    form = PartForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            part = part_actions.create_part(
                organisation=depot,
                by=request.user,
                name=data["name"],
                kind=data["kind"],
                instrument_type=data["instrument_type"],
                family=data["family"],
                unit_cost_cents=cents(data["unit_cost"]),
                reorder_level=data["reorder_level"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(part)s added.") % {"part": part.name})
            return redirect("workshop:part_detail", part.pk)
    return _parts_page(request, part_form=form)


@require_POST
@rule(MANAGE)
def part_receive(request):
    depot = active_depot(request)
    form = ReceiveForm(request.POST, parts=Part.objects.filter(organisation=depot))
    if form.is_valid():
        data = form.cleaned_data
        try:
            part_actions.receive_stock(
                part=data["part"],
                quantity=data["quantity"],
                unit_cost_cents=cents(data["unit_cost"]),
                note=data["note"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("%(n)s× %(part)s received; %(on_hand)s on hand.")
                % {
                    "n": data["quantity"],
                    "part": data["part"].name,
                    "on_hand": data["part"].on_hand,
                },
            )
            return redirect("workshop:parts")
    return _parts_page(request, receive_form=form)


@rule(MANAGE)
def part_detail(request, pk):
    part = access.get_part_for_user(request.user, pk, manage=True)
    form = CorrectionForm(request.POST or None, initial={"counted": part.on_hand})
    if request.method == "POST" and form.is_valid():
        try:
            part_actions.correct_stock(
                part=part,
                counted=form.cleaned_data["counted"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Stock corrected."))
            return redirect("workshop:part_detail", part.pk)
    movements = part.movements.select_related("by", "work_order", "instrument")[:200]
    return render(
        request,
        "workshop/part_detail.html",
        {"part": part, "movements": movements, "form": form},
    )


@rule(MANAGE)
def plans(request):
    depot = active_depot(request)
    workshops = access.workshops_for_user(request.user).filter(organisation=depot)
    form = PlanForm(request.POST or None, workshops=workshops)
    if request.method == "POST" and form.is_valid():
        plan_actions.create_plan(organisation=depot, by=request.user, **form.cleaned_data)
        messages.success(request, _("Maintenance plan added."))
        return redirect("workshop:plans")
    plans = (
        MaintenancePlan.objects.filter(organisation=depot)
        .select_related("instrument_type", "workshop")
        .order_by("workshop__name", "pk")
    )
    for plan in plans:
        plan.due = plan_actions.due_instruments(plan).count() if plan.is_active else 0
    return render(request, "workshop/plans.html", {"plans": plans, "form": form})


@require_POST
@rule(MANAGE)
def plan_toggle(request, pk):
    plan = access.get_plan_for_user(request.user, pk)
    plan = plan_actions.switch_plan(plan=plan, by=request.user)
    messages.success(request, _("Plan switched on.") if plan.is_active else _("Plan switched off."))
    return redirect("workshop:plans")


@require_POST
@rule(MANAGE)
def plans_run(request):
    result = maintenance.enqueue()
    if result.is_finished:
        messages.success(
            request, _("%(n)s maintenance work orders opened.") % {"n": result.return_value}
        )
    else:
        messages.success(request, _("The maintenance run has been queued."))
    return redirect("workshop:plans")


@require_POST
@rule(MANAGE)
def harvest(request, pk):
    """Parts taken from a retired instrument (the form is on the instrument's page)."""
    try:
        instrument = Instrument.objects.filter(
            organisation__in=access.managed_depots(request.user)
        ).get(pk=pk)
    except (Instrument.DoesNotExist, ValueError):
        raise Http404 from None
    form = HarvestForm(
        request.POST, parts=Part.objects.filter(organisation_id=instrument.organisation_id)
    )
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    else:
        try:
            part_actions.harvest_parts(
                parts=form.cleaned_data["parts"],
                instrument=instrument,
                organisation_id=instrument.organisation_id,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Harvested parts added to the stock."))
    return redirect("depot:instrument_detail", instrument.pk)
