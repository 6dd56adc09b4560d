"""QR label pages: one label for an instrument, and A4 sheets of labels for a selection."""

from django.shortcuts import render

from leerorkest.accounts.access import rule
from leerorkest.depot.models import InstrumentStatus, Location, Size
from leerorkest.programme.models import InstrumentType
from leerorkest.stock import labels
from leerorkest.stock.access import DEPOT, depots_for_user, get_instrument_for_user, stock_for_user


@rule(DEPOT)
def label(request, pk):
    instrument = get_instrument_for_user(request.user, pk)
    return render(
        request,
        "stock/label.html",
        {"instrument": instrument, "qr": labels.qr_data_uri(instrument.asset_tag)},
    )


@rule(DEPOT)
def label_sheet(request):
    """Choose a selection; with one, the sheets of labels to print."""
    filters = labels.read_filters(request.GET)
    pages, total, too_many = [], 0, False
    if labels.has_selection(filters):
        selected = labels.select(stock_for_user(request.user), filters)
        total = selected.count()
        too_many = total > labels.MAX_LABELS
        if not too_many:
            pages = labels.sheets(selected)
    return render(
        request,
        "stock/label_sheet.html",
        {
            "filters": filters,
            "selected": labels.has_selection(filters),
            "pages": pages,
            "total": total,
            "too_many": too_many,
            "max_labels": labels.MAX_LABELS,
            "per_sheet": labels.PER_SHEET,
            "types": InstrumentType.objects.all(),
            "sizes": Size.objects.select_related("instrument_type"),
            "statuses": InstrumentStatus.choices,
            "locations": Location.objects.filter(organisation__in=depots_for_user(request.user)),
        },
    )
