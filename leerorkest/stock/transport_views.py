"""Transport runs (depot side): plan stops, pack per stop, print, depart, finish; and the
programme side's deliveries to confirm."""

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.depot.models import EventKind, InstrumentEvent
from leerorkest.stock import actions
from leerorkest.stock.access import (
    DEPOT,
    PROGRAMME,
    STAFF,
    deliveries_for_user,
    depots_for_user,
    get_delivery_for_user,
    get_run_for_user,
    get_stop_for_user,
    runs_for_user,
)
from leerorkest.stock.forms import ProblemForm, RunForm, StopForm, TagsForm
from leerorkest.stock.models import PackedItem, TransportRun


def received_subquery():
    return Exists(InstrumentEvent.objects.filter(loan=OuterRef("loan"), kind=EventKind.RECEIVED))


def items_of(run):
    return (
        PackedItem.objects.filter(run=run)
        .select_related("instrument__instrument_type", "instrument__size", "loan", "stop")
        .annotate(received=received_subquery())
        .order_by("stop__order", "instrument__asset_tag")
    )


def stops_with_items(run):
    """The run's stops, each with its packed items and how many were confirmed."""
    items = list(items_of(run))
    stops = list(run.stops.select_related("borrower", "school"))
    for stop in stops:
        stop.packed = [item for item in items if item.stop_id == stop.pk]
        stop.shipped_count = sum(1 for item in stop.packed if item.loan_id)
        stop.received_count = sum(1 for item in stop.packed if item.received)
        stop.problem_count = sum(1 for item in stop.packed if item.issue)
        stop.confirmed = stop.shipped_count > 0 and stop.received_count == stop.shipped_count
    return stops


@rule(DEPOT)
def run_list(request):
    runs = runs_for_user(request.user).annotate(
        stop_count=Count("stops", distinct=True), item_count=Count("items", distinct=True)
    )
    status = request.GET.get("status", "")
    if status in TransportRun.Status.values:
        runs = runs.filter(status=status)
    return render(
        request,
        "stock/run_list.html",
        {"runs": runs[:200], "status": status, "statuses": TransportRun.Status.choices},
    )


@rule(STAFF)
def run_new(request):
    form = RunForm(request.POST or None)
    depot = depots_for_user(request.user).order_by("pk").first()
    if request.method == "POST" and form.is_valid():
        if depot is None:
            form.add_error(None, _("You work for no depot."))
        else:
            run = actions.create_run(depot_org=depot, by=request.user, **form.cleaned_data)
            return redirect("stock:run_detail", run.pk)
    return render(
        request, "stock/run_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _run_page(request, run, stop_form=None, status=200):
    return render(
        request,
        "stock/run_detail.html",
        {
            "run": run,
            "stops": stops_with_items(run),
            "stop_form": stop_form or StopForm(),
            "planned": run.status == TransportRun.Status.PLANNED,
        },
        status=status,
    )


@rule(DEPOT)
def run_detail(request, pk):
    return _run_page(request, get_run_for_user(request.user, pk))


@rule(DEPOT)
def run_sheet(request, pk):
    run = get_run_for_user(request.user, pk)
    return render(request, "stock/run_sheet.html", {"run": run, "stops": stops_with_items(run)})


@require_POST
@rule(STAFF)
def stop_add(request, pk):
    run = get_run_for_user(request.user, pk)
    form = StopForm(request.POST)
    # Errors are shown next to the fields, on the run's page as it was.
    if not form.is_valid():
        return _run_page(request, run, stop_form=form)
    try:
        stop = actions.add_stop(run=run, by=request.user, **form.cleaned_data)
    except DomainError as error:
        form.add_error(error.field, error.message)
        return _run_page(request, run, stop_form=form)
    return redirect("stock:stop_detail", stop.pk)


@require_POST
@rule(STAFF)
def stop_remove(request, pk):
    stop = get_stop_for_user(request.user, pk)
    try:
        actions.remove_stop(stop=stop, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("stock:run_detail", stop.run_id)


def _stop_page(request, stop, form=None, packed=None, status=200):
    items = items_of(stop.run).filter(stop=stop)
    return render(
        request,
        "stock/stop_detail.html",
        {
            "stop": stop,
            "run": stop.run,
            "items": items,
            "form": form or TagsForm(),
            "packed": packed,
            "reserved": actions.reserved_for_stop(stop).count(),
            "planned": stop.run.status == TransportRun.Status.PLANNED,
        },
        status=status,
    )


@rule(DEPOT)
def stop_detail(request, pk):
    return _stop_page(request, get_stop_for_user(request.user, pk))


@rule(DEPOT)
def stop_print(request, pk):
    stop = get_stop_for_user(request.user, pk)
    return render(
        request,
        "stock/packing_list.html",
        {"stop": stop, "run": stop.run, "items": items_of(stop.run).filter(stop=stop)},
    )


@require_POST
@rule(STAFF)
def stop_pack(request, pk):
    stop = get_stop_for_user(request.user, pk)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _stop_page(request, stop, form=form)
    try:
        packed = actions.pack(stop=stop, tags=form.cleaned_data["tags"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _stop_page(request, stop, form=form)
    if packed.added:
        messages.success(request, _("%(count)s instruments packed.") % {"count": len(packed.added)})
    if packed.refused:
        messages.error(request, _("%(count)s tags were refused.") % {"count": len(packed.refused)})
    return _stop_page(request, stop, packed=packed)


@require_POST
@rule(STAFF)
def stop_fill(request, pk):
    stop = get_stop_for_user(request.user, pk)
    try:
        count = actions.fill_from_reservations(stop=stop, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s reserved instruments packed.") % {"count": count})
    return redirect("stock:stop_detail", stop.pk)


@require_POST
@rule(STAFF)
def item_remove(request, pk):
    try:
        item = PackedItem.objects.select_related("run").get(
            pk=pk, run__in=runs_for_user(request.user)
        )
    except (PackedItem.DoesNotExist, ValueError):
        raise Http404 from None
    try:
        actions.unpack(item=item, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("stock:stop_detail", item.stop_id)


@require_POST
@rule(STAFF)
def run_depart(request, pk):
    run = get_run_for_user(request.user, pk)
    result = actions.depart(run=run, by=request.user)
    if result.already:
        messages.info(request, _("This run has left already; nothing was changed."))
    else:
        messages.success(
            request,
            _("The run has left: %(count)s instruments are in transit.")
            % {"count": result.shipped},
        )
    if result.refused:
        messages.error(
            request,
            _("Not shipped: %(tags)s.") % {"tags": ", ".join(tag for tag, _r in result.refused)},
        )
    return redirect("stock:run_detail", run.pk)


@require_POST
@rule(STAFF)
def run_finish(request, pk):
    run = get_run_for_user(request.user, pk)
    try:
        actions.finish_run(run=run, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The run is done."))
    return redirect("stock:run_detail", run.pk)


# --- Programme side -----------------------------------------------------------------------------


def _deliveries(user):
    loans = list(deliveries_for_user(user).order_by("borrower__name", "instrument__asset_tag"))
    items = {
        item.loan_id: item
        for item in PackedItem.objects.filter(loan__in=loans).select_related("run", "stop")
    }
    return [(loan, items.get(loan.pk)) for loan in loans]


@rule(PROGRAMME)
def delivery_list(request):
    return render(
        request,
        "stock/delivery_list.html",
        {"deliveries": _deliveries(request.user), "problem_form": ProblemForm()},
    )


def _confirmed_message(request, confirmed, refused):
    if confirmed:
        messages.success(
            request, _("Receipt of %(count)s instruments confirmed.") % {"count": len(confirmed)}
        )
    if refused:
        messages.error(
            request,
            _("Not confirmed: %(tags)s.") % {"tags": ", ".join(tag for tag, _r in refused)},
        )


@require_POST
@rule(PROGRAMME)
def delivery_confirm_all(request):
    loans = list(deliveries_for_user(request.user).filter(~Q(pk__in=_missing_loans())))
    confirmed, refused = actions.confirm_delivery(loans=loans, by=request.user)
    _confirmed_message(request, confirmed, refused)
    return redirect("stock:delivery_list")


def _missing_loans():
    return PackedItem.objects.filter(issue=PackedItem.Issue.MISSING, loan__isnull=False).values(
        "loan_id"
    )


@require_POST
@rule(PROGRAMME)
def delivery_confirm(request, pk):
    loan = get_delivery_for_user(request.user, pk)
    confirmed, refused = actions.confirm_delivery(loans=[loan], by=request.user)
    _confirmed_message(request, confirmed, refused)
    return redirect("stock:delivery_list")


@require_POST
@rule(PROGRAMME)
def delivery_problem(request, pk):
    loan = get_delivery_for_user(request.user, pk)
    form = ProblemForm(request.POST)
    if form.is_valid():
        try:
            actions.report_delivery_problem(
                loan=loan,
                issue=form.cleaned_data["issue"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Thank you; the depot will follow this up."))
            return redirect("stock:delivery_list")
    return render(
        request,
        "stock/delivery_list.html",
        {
            "deliveries": _deliveries(request.user),
            "problem_form": ProblemForm(),
            "failed_form": form,
            "failed_loan": loan.pk,
        },
    )
