"""Request and allocation pages: a programme's requests, and the depot's overview, runs and pick
lists. Views never write models themselves: every change goes through `allocation.actions`."""

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import roles, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind, Role
from leerorkest.allocation import actions, stock
from leerorkest.allocation.forms import (
    LINE_ROWS,
    MAX_LINES,
    LineFormSet,
    RequestForm,
    line_initial,
)
from leerorkest.allocation.models import (
    Allocation,
    AllocationRun,
    InstrumentRequest,
    RequestLine,
    RequestStatus,
    borrowers_for_user,
    depots_for_user,
)
from leerorkest.depot.models import Instrument, InstrumentStatus, Size
from leerorkest.programme.models import InstrumentType

PROGRAMME_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR})
DEPOT_ROLES = frozenset({Role.DEPOT_STAFF, PLATFORM_ADMIN})
PROGRAMME = roles(*PROGRAMME_ROLES)
DEPOT = roles(*DEPOT_ROLES)
EITHER = roles(*PROGRAMME_ROLES, *DEPOT_ROLES)

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Requests and allocation"),
        "allocation:depot_overview",
        DEPOT_ROLES,
        order=330,
    ),
    NavItem(
        gettext_lazy("Instrument requests"), "allocation:request_list", PROGRAMME_ROLES, order=420
    ),
]


# --- one door per object ------------------------------------------------------------------------


def get_request_for_user(user, pk, *, side: str | None = None) -> InstrumentRequest:
    """The request if the user may see it: `side="programme"` only as the borrower's
    coordinator, `side="depot"` only as staff of the depot asked; otherwise 404."""
    if side == "programme":
        queryset = InstrumentRequest.objects.filter(borrower__in=borrowers_for_user(user))
    elif side == "depot":
        queryset = InstrumentRequest.objects.filter(depot__in=depots_for_user(user))
    else:
        queryset = InstrumentRequest.objects.for_user(user)
    try:
        return queryset.select_related(
            "borrower", "depot", "school__organisation", "school_year", "created_by"
        ).get(pk=pk)
    except (InstrumentRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_run_for_user(user, pk) -> AllocationRun:
    try:
        return AllocationRun.objects.select_related("depot", "by", "confirmed_by").get(
            pk=pk, depot__in=depots_for_user(user)
        )
    except (AllocationRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _borrower(request) -> Organisation:
    """The programme the user requests for: the active one, or the first they coordinate."""
    borrowers = borrowers_for_user(request.user)
    active = getattr(request.context, "organisation", None)
    if active is not None and borrowers.filter(pk=active.pk).exists():
        return active
    found = borrowers.order_by("name").first()
    if found is None:
        raise Http404
    return found


def _depot(request) -> Organisation:
    depots = depots_for_user(request.user).order_by("name")
    chosen = request.POST.get("depot") or request.GET.get("depot")
    active = getattr(request.context, "organisation", None)
    if chosen and str(chosen).isdigit():
        found = depots.filter(pk=chosen).first()
    elif active is not None and active.kind == OrgKind.DEPOT:
        found = depots.filter(pk=active.pk).first()
    else:
        found = depots.first()
    if found is None:
        raise Http404
    return found


def _request_depots():
    return Organisation.objects.filter(kind=OrgKind.DEPOT, is_active=True).order_by("name")


# --- the programme's side -----------------------------------------------------------------------


@rule(PROGRAMME)
def request_list(request):
    requests = (
        InstrumentRequest.objects.filter(borrower__in=borrowers_for_user(request.user))
        .select_related("borrower", "school__organisation", "school_year")
        .annotate(items=Sum("lines__quantity"))
        .order_by("-created_at", "-pk")
    )
    return render(request, "allocation/request_list.html", {"requests": requests})


def _form_page(request, *, form, formset, instance=None, status=200):
    return render(
        request,
        "allocation/request_form.html",
        {
            "form": form,
            "formset": formset,
            "instance": instance,
            "sizes_by_type": _sizes_by_type(),
        },
        status=status,
    )


def _sizes_by_type():
    sizes = defaultdict(list)
    for size in Size.objects.select_related("instrument_type"):
        sizes[size.instrument_type.name].append(size.label)
    return dict(sizes)


def _details(form) -> dict:
    data = form.cleaned_data
    return {
        "school_year": data["school_year"],
        "needed_by": data["needed_by"],
        "school": data["school"],
        "note": data["note"],
    }


@rule(PROGRAMME)
def request_create(request):
    borrower = _borrower(request)
    depots = _request_depots()
    if request.method != "POST":
        return _form_page(
            request,
            form=RequestForm(borrower=borrower, depots=depots),
            formset=LineFormSet(prefix="lines"),
        )
    if "more_lines" in request.POST:
        data = more_lines(request.POST)
        return _form_page(
            request,
            form=RequestForm(data, borrower=borrower, depots=depots),
            formset=LineFormSet(data, prefix="lines"),
        )
    form = RequestForm(request.POST, borrower=borrower, depots=depots)
    formset = LineFormSet(request.POST, prefix="lines")
    if not (form.is_valid() and formset.is_valid()):
        return _form_page(request, form=form, formset=formset, status=400)
    try:
        created = actions.create_request(
            borrower=borrower,
            depot=form.cleaned_data["depot"],
            lines=formset.lines(),
            by=request.user,
            submit="submit" in request.POST,
            **_details(form),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _form_page(request, form=form, formset=formset, status=400)
    if created.status == RequestStatus.SUBMITTED:
        messages.success(request, _("Request #%(pk)s was sent to the depot.") % {"pk": created.pk})
    else:
        messages.success(request, _("Draft request #%(pk)s saved.") % {"pk": created.pk})
    return redirect("allocation:request_detail", created.pk)


def more_lines(posted):
    """The form as typed, with empty lines added (the "More lines" button): nothing is saved."""
    data = posted.copy()
    try:
        total = int(data.get("lines-TOTAL_FORMS", LINE_ROWS))
    except ValueError:
        total = LINE_ROWS
    data["lines-TOTAL_FORMS"] = str(min(total + LINE_ROWS, MAX_LINES))
    return data


@rule(PROGRAMME)
def request_edit(request, pk):
    instance = get_request_for_user(request.user, pk, side="programme")
    if instance.status != RequestStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("allocation:request_detail", instance.pk)
    depots = _request_depots()
    if request.method != "POST":
        form = RequestForm(
            borrower=instance.borrower,
            depots=depots,
            initial={
                "school_year": instance.school_year_id,
                "needed_by": instance.needed_by,
                "school": instance.school_id,
                "depot": instance.depot_id,
                "note": instance.note,
            },
        )
        formset = LineFormSet(prefix="lines", initial=line_initial(instance))
        return _form_page(request, form=form, formset=formset, instance=instance)
    if "more_lines" in request.POST:
        data = more_lines(request.POST)
        return _form_page(
            request,
            form=RequestForm(data, borrower=instance.borrower, depots=depots),
            formset=LineFormSet(data, prefix="lines", initial=line_initial(instance)),
            instance=instance,
        )
    form = RequestForm(request.POST, borrower=instance.borrower, depots=depots)
    formset = LineFormSet(request.POST, prefix="lines", initial=line_initial(instance))
    if not (form.is_valid() and formset.is_valid()):
        return _form_page(request, form=form, formset=formset, instance=instance, status=400)
    try:
        actions.update_request(
            request=instance, lines=formset.lines(), by=request.user, **_details(form)
        )
        if "submit" in request.POST:
            actions.submit_request(request=instance, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _form_page(request, form=form, formset=formset, instance=instance, status=400)
    messages.success(request, _("Request #%(pk)s saved.") % {"pk": instance.pk})
    return redirect("allocation:request_detail", instance.pk)


def _request_action(request, pk, do, done: str):
    instance = get_request_for_user(request.user, pk, side="programme")
    try:
        do(request=instance, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"pk": instance.pk})
    return redirect("allocation:request_detail", instance.pk)


@require_POST
@rule(PROGRAMME)
def request_submit(request, pk):
    return _request_action(
        request, pk, actions.submit_request, _("Request #%(pk)s was sent to the depot.")
    )


@require_POST
@rule(PROGRAMME)
def request_withdraw(request, pk):
    return _request_action(
        request, pk, actions.withdraw_request, _("Request #%(pk)s was withdrawn.")
    )


@require_POST
@rule(DEPOT)
def request_close(request, pk):
    instance = get_request_for_user(request.user, pk, side="depot")
    try:
        actions.close_request(request=instance, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request #%(pk)s was closed.") % {"pk": instance.pk})
    return redirect("allocation:request_detail", instance.pk)


@rule(EITHER)
def request_detail(request, pk):
    instance = get_request_for_user(request.user, pk)
    lines = list(instance.lines.select_related("instrument_type", "size"))
    allocated = stock.allocated_per_line(lines)
    for line in lines:
        line.allocated = allocated.get(line.pk, 0)
    held = (
        stock.active_allocations()
        .filter(line__request=instance)
        .select_related("instrument__instrument_type", "instrument__size", "instrument__location")
        .order_by("instrument__asset_tag")
    )
    is_borrower = borrowers_for_user(request.user).filter(pk=instance.borrower_id).exists()
    is_depot = depots_for_user(request.user).filter(pk=instance.depot_id).exists()
    return render(
        request,
        "allocation/request_detail.html",
        {
            "instance": instance,
            "lines": lines,
            "held": held,
            "is_borrower": is_borrower,
            "is_depot": is_depot,
            "can_withdraw": is_borrower
            and instance.status not in (RequestStatus.WITHDRAWN, RequestStatus.CLOSED),
        },
    )


# --- the depot's side ---------------------------------------------------------------------------


def _demand_vs_stock(depot, open_requests) -> list[dict]:
    """Per instrument and size: what open requests still need, and what is on the shelf."""
    demand = defaultdict(int)
    for row in (
        RequestLine.objects.filter(request__in=open_requests)
        .values("instrument_type_id", "size_id")
        .annotate(n=Sum("quantity"))
    ):
        demand[row["instrument_type_id"], row["size_id"]] += row["n"]
    for row in (
        stock.active_allocations()
        .filter(line__request__in=open_requests)
        .values("line__instrument_type_id", "line__size_id")
        .annotate(n=Count("pk"))
    ):
        demand[row["line__instrument_type_id"], row["line__size_id"]] -= row["n"]
    available = {
        (row["instrument_type_id"], row["size_id"]): row["n"]
        for row in Instrument.objects.filter(
            organisation=depot,
            status=InstrumentStatus.AVAILABLE,
            condition__in=stock.LENDABLE,
        )
        .values("instrument_type_id", "size_id")
        .annotate(n=Count("pk"))
    }
    types = {t.pk: t for t in InstrumentType.objects.all()}
    sizes = {s.pk: s for s in Size.objects.all()}
    rows = []
    for (type_id, size_id), wanted in demand.items():
        if wanted <= 0:
            continue
        have = available.get((type_id, size_id), 0)
        size = sizes.get(size_id)
        rows.append(
            {
                "instrument": types[type_id].name,
                "size": size.label if size else "",
                "order": (types[type_id].sort_order, size.sort_order if size else -1),
                "wanted": wanted,
                "available": have,
                "short": max(0, wanted - have),
            }
        )
    return sorted(rows, key=lambda row: row["order"])


@rule(DEPOT)
def depot_overview(request):
    depot = _depot(request)
    open_requests = (
        InstrumentRequest.objects.open()
        .filter(depot=depot)
        .select_related("borrower", "school__organisation", "school_year")
        .annotate(items=Sum("lines__quantity"))
        .order_by("submitted_at", "pk")
    )
    drafts = InstrumentRequest.objects.filter(depot=depot, status=RequestStatus.DRAFT).count()
    runs = AllocationRun.objects.filter(depot=depot).select_related("by")[:10]
    return render(
        request,
        "allocation/depot_overview.html",
        {
            "depot": depot,
            "depots": depots_for_user(request.user).order_by("name"),
            "open_requests": open_requests,
            "drafts": drafts,
            "demand": _demand_vs_stock(depot, open_requests),
            "runs": runs,
        },
    )


@require_POST
@rule(DEPOT)
def run_create(request):
    depot = _depot(request)
    try:
        run = actions.run_allocation(depot=depot, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("allocation:depot_overview")
    messages.success(
        request,
        _("Allocation run #%(pk)s is ready: check it, then confirm to reserve the instruments.")
        % {"pk": run.pk},
    )
    return redirect("allocation:run_report", run.pk)


def _report_rows(run: AllocationRun):
    """Per request and per programme: requested, exact, substituted, short."""
    per_line = {int(k): v for k, v in run.figures.get("lines", {}).items()}
    lines = RequestLine.objects.filter(pk__in=per_line).select_related(
        "request__borrower", "request__school__organisation"
    )
    requests: dict[int, dict] = {}
    programmes: dict[int, dict] = {}
    for line in lines:
        requested, exact, substituted = per_line[line.pk]
        r = line.request
        row = requests.setdefault(
            r.pk,
            {"request": r, "requested": 0, "exact": 0, "substituted": 0, "short": 0},
        )
        prow = programmes.setdefault(
            r.borrower_id,
            {"programme": r.borrower, "requested": 0, "exact": 0, "substituted": 0, "short": 0},
        )
        for target in (row, prow):
            target["requested"] += requested
            target["exact"] += exact
            target["substituted"] += substituted
            target["short"] += requested - exact - substituted
    for prow in programmes.values():
        prow["fill"] = (
            round(100 * (prow["exact"] + prow["substituted"]) / prow["requested"])
            if prow["requested"]
            else 100
        )
    return (
        sorted(requests.values(), key=lambda row: row["request"].pk),
        sorted(programmes.values(), key=lambda row: row["programme"].name),
    )


@rule(DEPOT)
def run_report(request, pk):
    run = get_run_for_user(request.user, pk)
    per_request, per_programme = _report_rows(run)
    methods = [
        (_("Optimal (CP-SAT)"), run.figures),
        (_("Greedy, first come first served"), run.greedy_figures),
    ]
    return render(
        request,
        "allocation/run_report.html",
        {
            "run": run,
            "methods": methods,
            "per_request": per_request,
            "per_programme": per_programme,
            "stages": run.figures.get("stages", []),
            "gap_percent": round(100 * run.gap, 3),
            "proposed": run.allocations.count(),
        },
    )


@require_POST
@rule(DEPOT)
def run_confirm(request, pk):
    run = get_run_for_user(request.user, pk)
    try:
        actions.confirm_run(run=run, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Confirmed: the instruments are reserved."))
    return redirect("allocation:run_report", run.pk)


def _pick_rows(allocations):
    """Grouped per stock location (by name), each sorted by asset tag."""
    by_location: dict[str, list] = defaultdict(list)
    for allocation in allocations.select_related(
        "instrument__location",
        "instrument__instrument_type",
        "instrument__size",
        "line__request__borrower",
        "line__request__school__organisation",
    ):
        location = allocation.instrument.location
        by_location[location.name if location else "—"].append(allocation)
    return [
        (name, sorted(rows, key=lambda a: a.instrument.asset_tag))
        for name, rows in sorted(by_location.items())
    ]


@rule(DEPOT)
def run_picklist(request, pk):
    run = get_run_for_user(request.user, pk)
    allocations = Allocation.objects.filter(run=run, released_at__isnull=True)
    return render(
        request,
        "allocation/picklist.html",
        {"run": run, "locations": _pick_rows(allocations), "title": _("Pick list")},
    )


@rule(DEPOT)
def request_picklist(request, pk):
    instance = get_request_for_user(request.user, pk, side="depot")
    allocations = stock.active_allocations().filter(line__request=instance)
    return render(
        request,
        "allocation/picklist.html",
        {"instance": instance, "locations": _pick_rows(allocations), "title": _("Pick list")},
    )


# --- the instrument page's panel ------------------------------------------------------------------


def instrument_panel(request, instrument):
    """On an instrument's page: the requests it was allocated to (latest first)."""
    allocations = list(
        Allocation.objects.filter(instrument=instrument, run__confirmed_at__isnull=False)
        .select_related("line__request__borrower", "line__instrument_type", "line__size", "run")
        .order_by("-run__confirmed_at", "-pk")[:5]
    )
    if not allocations:
        return None
    return "allocation/panel.html", {"allocations": allocations}
