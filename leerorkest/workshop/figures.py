"""Repair figures for the depot's reports: turnaround (opened → QA signed) and cost.

Plain functions over a period [start, end) of QA sign-off dates, so the figures pages (the
lead's) can call them without knowing the workshop models.
"""

from datetime import date, datetime, time
from statistics import median

from django.db.models import F, Sum
from django.utils import timezone

from leerorkest.workshop.models import WorkOrder


def _done(organisation, start: date, end: date):
    tz = timezone.get_current_timezone()
    return WorkOrder.objects.filter(
        organisation=organisation,
        status=WorkOrder.Status.DONE,
        qa_signed_at__gte=datetime.combine(start, time.min, tz),
        qa_signed_at__lt=datetime.combine(end, time.min, tz),
    )


def repair_turnaround(organisation, start: date, end: date) -> dict[int, dict]:
    """Per workshop: how many repairs were signed off in the period, and the median number of
    days from opening the work order to the QA sign-off."""
    rows = _done(organisation, start, end).values_list(
        "workshop_id", "workshop__name", "opened_at", "qa_signed_at"
    )
    days: dict[int, list[float]] = {}
    names: dict[int, str] = {}
    for workshop_id, name, opened, signed in rows:
        names[workshop_id] = name
        days.setdefault(workshop_id, []).append((signed - opened).total_seconds() / 86400)
    return {
        workshop_id: {
            "workshop": names[workshop_id],
            "count": len(values),
            "median_days": round(median(values), 1),
        }
        for workshop_id, values in days.items()
    }


def repair_cost_by_instrument(organisation, start: date, end: date) -> dict[int, int]:
    """Instrument id → cents spent on it (parts and paid labour) in the period's repairs."""
    rows = (
        _done(organisation, start, end)
        .values("instrument_id")
        .annotate(cost=Sum(F("parts_cost_cents") + F("labour_cost_cents")))
    )
    return {row["instrument_id"]: row["cost"] or 0 for row in rows}


def repair_cost_per_instrument(organisation, start: date, end: date) -> dict:
    """Total repair cost in the period and the average per instrument repaired."""
    costs = repair_cost_by_instrument(organisation, start, end)
    total = sum(costs.values())
    return {
        "instruments": len(costs),
        "total_cents": total,
        "per_instrument_cents": round(total / len(costs)) if costs else 0,
    }
