"""Stock-take pages: start a count at a location, scan, see the discrepancies, close."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.depot.models import Location
from leerorkest.stock import actions
from leerorkest.stock.access import (
    DEPOT,
    depots_for_user,
    get_stocktake_for_user,
    stocktakes_for_user,
)
from leerorkest.stock.forms import ScanForm, StartStockTakeForm
from leerorkest.stock.models import StockTake

RECENT = 15


def _locations(user):
    return Location.objects.filter(organisation__in=depots_for_user(user)).order_by("name")


@rule(DEPOT)
def stocktake_list(request, form=None, status=200):
    stocktakes = stocktakes_for_user(request.user).select_related(
        "location", "started_by", "closed_by"
    )
    location = request.GET.get("location", "")
    if location.isdigit():
        stocktakes = stocktakes.filter(location_id=int(location))
    return render(
        request,
        "stock/stocktake_list.html",
        {
            "stocktakes": stocktakes[:200],
            "form": form or StartStockTakeForm(locations=_locations(request.user)),
            "locations": _locations(request.user),
            "location": int(location) if location.isdigit() else None,
        },
        status=status,
    )


@require_POST
@rule(DEPOT)
def stocktake_start(request):
    form = StartStockTakeForm(request.POST, locations=_locations(request.user))
    if not form.is_valid():
        return stocktake_list(request, form=form, status=400)
    try:
        stocktake = actions.start_stocktake(location=form.cleaned_data["location"], by=request.user)
    except DomainError as error:
        form.add_error("location", error.message)
        return stocktake_list(request, form=form, status=400)
    return redirect("stock:stocktake_detail", stocktake.pk)


def _scan_context(stocktake, form=None, result=None):
    scans = stocktake.scans.select_related("instrument__instrument_type", "instrument__size")
    return {
        "stocktake": stocktake,
        "form": form or ScanForm(),
        "result": result,
        "recent": [(scan, actions.verdict(stocktake, scan.instrument)) for scan in scans[:RECENT]],
        "scan_count": scans.count(),
    }


@rule(DEPOT)
def stocktake_detail(request, pk):
    stocktake = get_stocktake_for_user(request.user, pk)
    context = _scan_context(stocktake)
    if stocktake.status == StockTake.Status.OPEN:
        found = actions.discrepancies(stocktake)
        context["found"] = found
        context["can_lose"] = {i.pk for i in found.missing if actions.can_mark_lost(i)}
    return render(request, "stock/stocktake_detail.html", context)


@require_POST
@rule(DEPOT)
def stocktake_scan(request, pk):
    """One scan. With htmx only the scan box is swapped (fast, keeps the focus); without, the
    page is shown again."""
    stocktake = get_stocktake_for_user(request.user, pk)
    form = ScanForm(request.POST)
    result, status = None, 200
    if form.is_valid():
        try:
            result = actions.scan_tag(
                stocktake=stocktake, tag=form.cleaned_data["tag"], by=request.user
            )
        except DomainError as error:
            form.add_error("tag", error.message)
            status = 400
        else:
            form = ScanForm()
    else:
        status = 400
    if request.htmx:
        context = _scan_context(stocktake, form=form, result=result)
        return render(request, "stock/stocktake_detail.html#scanner", context, status=status)
    # Without htmx: say what the tag was and show the page again, ready for the next scan.
    if result is not None:
        messages.info(request, _scan_message(result))
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("stock:stocktake_detail", stocktake.pk)


def _scan_message(result) -> str:
    instrument = result.instrument
    what = f"{instrument.instrument_type} {instrument.size or ''}".strip() if instrument else ""
    verdicts = {
        "here": _("belongs here"),
        "elsewhere": _("recorded elsewhere; closing moves it here"),
        "away": _("recorded as on loan"),
        "lost": _("recorded as lost or retired"),
        "unknown": _("not a tag of the stock"),
    }
    return f"{result.scan.tag} {what}: {verdicts[result.verdict]}"


@require_POST
@rule(DEPOT)
def stocktake_close(request, pk):
    stocktake = get_stocktake_for_user(request.user, pk)
    lost = {int(v) for v in request.POST.getlist("lost") if v.isdigit()}
    try:
        actions.close_stocktake(stocktake=stocktake, lost_ids=lost, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Stock-take closed; the corrections are recorded."))
    return redirect("stock:stocktake_detail", stocktake.pk)
