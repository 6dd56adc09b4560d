"""Workshop pages: the overview, a workshop's queue, "my work" for a volunteer on a phone, and the
work order page. Every change goes through `leerorkest.workshop.actions`."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import User
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.depot.models import Instrument
from leerorkest.workshop import access, actions, figures, parts
from leerorkest.workshop.access import MANAGE, WORK
from leerorkest.workshop.forms import AssignForm, LabourForm, PartUseForm, WorkOrderForm
from leerorkest.workshop.models import Skill, WorkOrder

Status = WorkOrder.Status

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Workshops"),
        "workshop:overview",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, Role.WORKSHOP_VOLUNTEER}),
        order=320,
    ),
    NavItem(
        gettext_lazy("My work"),
        "workshop:my_work",
        frozenset({Role.WORKSHOP_LEAD, Role.WORKSHOP_VOLUNTEER}),
        order=322,
    ),
    NavItem(
        gettext_lazy("Parts"),
        "workshop:parts",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD}),
        order=325,
    ),
    NavItem(
        gettext_lazy("Maintenance"),
        "workshop:plans",
        frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD}),
        order=327,
    ),
]


def _next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def people_for(order: WorkOrder):
    """Who an order can be assigned to: everyone working for the depot in a workshop role."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=order.organisation_id,
            memberships__role__in=access.WORK_ROLES,
        )
        .distinct()
        .order_by("full_name")
    )


def _with_warning(orders):
    for order in orders:
        order.warn = order.cost_cents > 0 and order.cost_warning()
        order.age_days = (timezone.now() - order.opened_at).days
    return orders


@rule(WORK)
def overview(request):
    open_q = Q(work_orders__status__in=WorkOrder.OPEN)
    workshops = (
        access.workshops_for_user(request.user)
        .select_related("lead", "location")
        .annotate(
            open_count=Count("work_orders", filter=open_q, distinct=True),
            waiting_count=Count(
                "work_orders", filter=Q(work_orders__status=Status.WAITING), distinct=True
            ),
            qa_count=Count(
                "work_orders", filter=Q(work_orders__status=Status.AWAITING_QA), distinct=True
            ),
            unassigned_count=Count(
                "work_orders",
                filter=open_q & Q(work_orders__assigned_to__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    managed = access.managed_depots(request.user)
    today = timezone.localdate()
    turnaround = {}
    for depot in managed:
        turnaround.update(figures.repair_turnaround(depot, today - timedelta(days=365), today))
    costly = _with_warning(
        access.work_orders_for_user(request.user)
        .open()
        .filter(Q(parts_cost_cents__gt=0) | Q(labour_cost_cents__gt=0))
        .select_related("instrument__instrument_type", "workshop")
    )
    rows = [{"workshop": w, "turnaround": turnaround.get(w.pk)} for w in workshops]
    return render(
        request,
        "workshop/overview.html",
        {
            "rows": rows,
            "warnings": [o for o in costly if o.warn],
            "manager": managed.exists(),
        },
    )


@rule(WORK)
def queue(request, pk):
    workshop = access.get_workshop_for_user(request.user, pk)
    orders = WorkOrder.objects.filter(workshop=workshop).select_related(
        "instrument__instrument_type", "instrument__size", "assigned_to"
    )
    filters = {
        "status": request.GET.get("status", "open"),
        "skill": request.GET.get("skill", ""),
        "assigned": request.GET.get("assigned", ""),
        "q": request.GET.get("q", "").strip(),
    }
    if filters["status"] in Status.values:
        orders = orders.filter(status=filters["status"])
    elif filters["status"] != "all":
        filters["status"] = "open"
        orders = orders.open()
    if filters["skill"] in Skill.values:
        orders = orders.filter(skill=filters["skill"])
    else:
        filters["skill"] = ""
    if filters["assigned"] == "unassigned":
        orders = orders.filter(assigned_to__isnull=True)
    elif filters["assigned"] == "me":
        orders = orders.filter(assigned_to=request.user)
    else:
        filters["assigned"] = ""
    if filters["q"]:
        orders = orders.filter(
            Q(instrument__asset_tag__icontains=filters["q"])
            | Q(description__icontains=filters["q"])
        )
    # Unassigned first, then the oldest: nothing waits unseen.
    orders = orders.order_by(F("assigned_to").asc(nulls_first=True), "opened_at", "pk")
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    _with_warning(page.object_list)
    return render(
        request,
        "workshop/queue.html",
        {
            "workshop": workshop,
            "page": page,
            "filters": filters,
            "statuses": Status.choices,
            "skills": Skill.choices,
            "manager": access.can_manage(request.user, workshop.organisation_id),
        },
    )


def _work_rows(user, orders):
    rows = []
    for order in orders:
        rows.append(
            {
                "order": order,
                "labour": LabourForm(auto_id=f"l{order.pk}_%s"),
                "part": PartUseForm(
                    auto_id=f"p{order.pk}_%s", organisation_id=order.organisation_id
                ),
            }
        )
    return rows


@rule(WORK)
def my_work(request):
    mine = (
        access.work_orders_for_user(request.user)
        .filter(assigned_to=request.user, status__in=[Status.QUEUED, Status.IN_PROGRESS])
        .select_related("instrument__instrument_type", "instrument__size", "workshop")
        .order_by("opened_at", "pk")
    )
    waiting_qa = (
        access.work_orders_for_user(request.user)
        .filter(assigned_to=request.user, status=Status.AWAITING_QA)
        .select_related("instrument__instrument_type")
        .order_by("opened_at")
    )
    to_take = (
        WorkOrder.objects.filter(
            workshop__in=access.workshops_for_user(request.user),
            status=Status.QUEUED,
            assigned_to__isnull=True,
        )
        .select_related("instrument__instrument_type", "instrument__size", "workshop")
        .order_by("opened_at", "pk")[:10]
    )
    return render(
        request,
        "workshop/my_work.html",
        {"rows": _work_rows(request.user, mine), "waiting_qa": waiting_qa, "to_take": to_take},
    )


def _detail(request, order, *, labour=None, part=None, assign=None):
    manager = access.can_manage(request.user, order.organisation_id)
    value = order.instrument.current_value_cents()
    return render(
        request,
        "workshop/work_order.html",
        {
            "order": order,
            "manager": manager,
            "can_work": access.can_work_on(request.user, order),
            "can_sign": order.status == Status.AWAITING_QA
            and access.can_sign_off(request.user, order),
            "playable": [(c.value, c.label) for c in actions.PLAYABLE],
            "suggested_condition": "C"
            if order.instrument.condition == "D"
            else order.instrument.condition,
            "can_take": order.status in (Status.QUEUED, Status.IN_PROGRESS)
            and order.assigned_to_id is None,
            "lines_open": order.status in actions.LINES_ALLOWED,
            "value_cents": value,
            "limit_cents": order.cost_limit_cents(value),
            "warn": order.cost_warning(value),
            "part_lines": order.part_lines.select_related("part", "added_by"),
            "labour_lines": order.labour_lines.select_related("worker"),
            "others": WorkOrder.objects.filter(instrument_id=order.instrument_id)
            .exclude(pk=order.pk)
            .select_related("workshop")
            .order_by("-opened_at")[:20],
            "events": order.instrument.events.select_related("by", "organisation")[:15],
            "labour_form": labour or LabourForm(),
            "part_form": part or PartUseForm(organisation_id=order.organisation_id),
            "assign_form": assign
            or AssignForm(people=people_for(order), initial={"to": order.assigned_to_id}),
        },
    )


@rule(WORK)
def work_order(request, pk):
    return _detail(request, access.get_work_order_for_user(request.user, pk))


def _done(request, order, message: str):
    messages.success(request, message)
    return redirect(_next(request, order_url(order)))


def order_url(order) -> str:
    from django.urls import reverse

    return reverse("workshop:work_order", args=[order.pk])


ACTIONS = {
    "take": (actions.take, gettext_lazy("The order is yours.")),
    "start": (actions.start, gettext_lazy("Work has started.")),
    "ready": (actions.ready_for_qa, gettext_lazy("Ready for QA.")),
    "sign_off": (actions.sign_off, gettext_lazy("QA signed: the instrument is available again.")),
    "cancel": (actions.cancel, gettext_lazy("Work order cancelled.")),
}


@require_POST
@rule(WORK)
def work_order_action(request, pk, action):
    order = access.get_work_order_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    do, done = ACTIONS[action]
    extra = {}
    if action == "cancel":
        extra = {"retire": request.POST.get("retire") == "1"}
    if action in ("cancel", "sign_off"):
        extra["note"] = request.POST.get("note", "").strip()[:250]
    if action == "sign_off":
        extra["condition"] = request.POST.get("condition", "")
    try:
        do(work_order=order, by=request.user, **extra)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_next(request, order_url(order)))
    return _done(request, order, str(done))


@require_POST
@rule(MANAGE)
def work_order_assign(request, pk):
    order = access.get_work_order_for_user(request.user, pk)
    form = AssignForm(request.POST, people=people_for(order))
    if not form.is_valid():
        return _detail(request, order, assign=form)
    try:
        actions.assign(work_order=order, to=form.cleaned_data["to"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, order, assign=form)
    return _done(request, order, _("Assigned."))


@require_POST
@rule(WORK)
def work_order_labour(request, pk):
    order = access.get_work_order_for_user(request.user, pk)
    form = LabourForm(request.POST)
    if not form.is_valid():
        return _detail(request, order, labour=form)
    try:
        line = actions.add_labour(
            work_order=order,
            hours=form.cleaned_data["hours"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, order, labour=form)
    return _done(request, order, _("%(hours)s hours added.") % {"hours": line.hours})


@require_POST
@rule(WORK)
def work_order_part(request, pk):
    order = access.get_work_order_for_user(request.user, pk)
    form = PartUseForm(request.POST, organisation_id=order.organisation_id)
    if not form.is_valid():
        return _detail(request, order, part=form)
    try:
        line = parts.use_part(
            work_order=order,
            part=form.cleaned_data["part"],
            quantity=form.cleaned_data["quantity"],
            by=request.user,
        )
    except DomainError as error:
        if error.field:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.error(request, error.message)
        return _detail(request, order, part=form)
    return _done(
        request, order, _("%(n)s× %(part)s used.") % {"n": line.quantity, "part": line.part}
    )


@rule(MANAGE)
def work_order_new(request):
    workshops = access.workshops_for_user(request.user).filter(
        organisation__in=access.managed_depots(request.user)
    )
    initial = {}
    instrument_id = request.GET.get("instrument", "")
    if instrument_id.isdigit():
        found = Instrument.objects.filter(
            pk=instrument_id, organisation__in=access.managed_depots(request.user)
        ).first()
        if found is not None:
            initial["asset_tag"] = found.asset_tag
    form = WorkOrderForm(request.POST or None, workshops=workshops, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        instrument = Instrument.objects.filter(
            asset_tag__iexact=data["asset_tag"].strip(),
            organisation__in=access.managed_depots(request.user),
        ).first()
        if instrument is None:
            form.add_error("asset_tag", _("No instrument of your depot has this tag."))
        else:
            try:
                order = actions.create_work_order(
                    instrument=instrument,
                    by=request.user,
                    description=data["description"],
                    workshop=data["workshop"],
                    skill=data["skill"] or None,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Work order #%(pk)s opened.") % {"pk": order.pk})
                return redirect("workshop:work_order", order.pk)
    return render(request, "workshop/work_order_new.html", {"form": form})
