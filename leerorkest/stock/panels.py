"""The stock handling's section on an instrument's page: its label, and the runs it travelled on."""

from leerorkest.stock.models import PackedItem


def instrument_panel(request, instrument):
    items = (
        PackedItem.objects.filter(instrument=instrument)
        .select_related("run", "stop__borrower")
        .order_by("-run__date", "-pk")[:20]
    )
    return "stock/panel.html", {"packed_items": list(items)}
