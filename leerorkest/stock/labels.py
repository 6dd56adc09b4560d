"""QR labels: the QR code holds the plain asset tag, so a barcode scanner "types" the tag into
whatever field has the focus (the desk, a stock-take, a packing list). Made here with segno as
SVG data URIs: no external service, nothing to escape by hand."""

from datetime import date

import segno

from leerorkest.depot.models import InstrumentStatus

# An A4 sheet of 3 × 8 labels of 70 × 37 mm (the common "24 per sheet" stock).
COLUMNS, ROWS = 3, 8
PER_SHEET = COLUMNS * ROWS
MAX_LABELS = 50 * PER_SHEET


def qr_data_uri(tag: str) -> str:
    """An SVG of the QR code for `tag`, as a data: URI for an <img> (the CSP allows data:)."""
    code = segno.make(tag, micro=False, error="m")
    return code.svg_data_uri(scale=1, border=2, omitsize=False)


def _int(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def read_filters(params) -> dict:
    """The selection from a query string; unknown values are dropped, not errors."""
    status = params.get("status", "")
    return {
        "type": _int(params.get("type", "")),
        "size": _int(params.get("size", "")),
        "location": _int(params.get("location", "")),
        "status": status if status in InstrumentStatus.values else "",
        "from_tag": params.get("from_tag", "").strip().upper()[:20],
        "to_tag": params.get("to_tag", "").strip().upper()[:20],
        "since": _date(params.get("since", "")),
    }


def select(instruments, filters: dict):
    """The instruments that match the filters, in asset-tag order."""
    if filters["type"]:
        instruments = instruments.filter(instrument_type_id=filters["type"])
    if filters["size"]:
        instruments = instruments.filter(size_id=filters["size"])
    if filters["location"]:
        instruments = instruments.filter(location_id=filters["location"])
    if filters["status"]:
        instruments = instruments.filter(status=filters["status"])
    if filters["from_tag"]:
        instruments = instruments.filter(asset_tag__gte=filters["from_tag"])
    if filters["to_tag"]:
        instruments = instruments.filter(asset_tag__lte=filters["to_tag"])
    if filters["since"]:
        instruments = instruments.filter(acquired_on__gte=filters["since"])
    return instruments.select_related("instrument_type", "size").order_by("asset_tag", "pk")


def has_selection(filters: dict) -> bool:
    return any(value for value in filters.values())


def sheets(instruments) -> list[list[dict]]:
    """Labels in pages of PER_SHEET, each label with its QR code."""
    labels = [
        {"instrument": instrument, "qr": qr_data_uri(instrument.asset_tag)}
        for instrument in instruments
    ]
    return [labels[i : i + PER_SHEET] for i in range(0, len(labels), PER_SHEET)]
