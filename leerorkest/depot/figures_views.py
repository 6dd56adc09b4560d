"""The depot's figures dashboard and its home-page figures.

The dashboard covers a period (?from=&to=, by default the last twelve months): repairs, donations,
children reached, turnaround and lending cost in it; stock, loans and the size forecast as they
are today. Each table has a bar per row; rows lead to the stock list or the donations."""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.access import rule
from leerorkest.accounts.navigation import HOME_FIGURES, Figure
from leerorkest.accounts.roles import Role
from leerorkest.depot import figures
from leerorkest.depot.views import DEPOT, depots_for_user
from leerorkest.workshop import figures as workshop_figures

ONE_DAY = timedelta(days=1)


def period_from(params, today: date) -> tuple[date, date, str]:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD, both days included; by default the last twelve months up
    to today. A bad period gives the default with the reason."""
    default = (today - timedelta(days=364), today)
    raw_from, raw_to = params.get("from", "").strip(), params.get("to", "").strip()
    if not raw_from and not raw_to:
        return *default, ""
    try:
        start, end = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
    except ValueError:
        return *default, str(_("Give both dates of the period as YYYY-MM-DD."))
    if end < start:
        return *default, str(_("The period ends before it starts."))
    return start, end, ""


def _links(by_type, by_programme, by_region, donations) -> None:
    """Where the rows lead: an instrument to the stock list of that instrument, an outcome to
    the instruments of that status (or the donations still to assess), and the bars' widths."""
    stock = reverse("depot:instrument_list")
    for row in by_type:
        row["url"] = f"{stock}?{urlencode({'type': row['instrument_type_id']})}"
    figures.scale(by_programme, lambda row: row["loans"])
    figures.scale(by_region, lambda row: row["loans"])
    for row in donations.outcomes:
        kind, value = row.key.split(":", 1)
        if kind == "status":
            row.url = f"{stock}?{urlencode({'status': value})}"
        elif value == "pending":
            row.url = reverse("donations:list") + "?pending=1"


@rule(DEPOT)
def depot_figures(request):
    depots = depots_for_user(request.user)
    today = timezone.localdate()
    start, end, error = period_from(request.GET, today)
    repairs = [workshop_figures.repair_cost_per_instrument(d, start, end + ONE_DAY) for d in depots]
    repair_cents = sum(r["total_cents"] for r in repairs)
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tz)
    until = datetime.combine(end + ONE_DAY, time.min, tz)
    by_type = figures.utilisation_by_type(depots)
    by_programme = figures.loans_by_programme(depots, today)
    by_region = figures.loans_by_region(depots, today)
    donations = figures.donation_outcomes(depots, start, end)
    by_family = figures.repairs_by_family(depots, start, end)
    _links(by_type, by_programme, by_region, donations)
    return render(
        request,
        "depot/figures.html",
        {
            "start": start,
            "end": end,
            "error": error,
            "utilisation": figures.utilisation(depots),
            "by_type": by_type,
            "by_programme": by_programme,
            "by_region": by_region,
            "children_period": figures.children_reached(depots, since=since, until=until),
            "children_ever": figures.children_reached(depots),
            "turnaround": figures.repair_turnaround(depots, since=since, until=until),
            "cost": figures.lending_cost(depots, start, end + ONE_DAY, repair_cents=repair_cents),
            "repaired_instruments": sum(r["instruments"] for r in repairs),
            "by_family": by_family,
            "repair_orders": sum(r.orders for r in by_family),
            "repair_cost_cents": sum(r.cost_cents for r in by_family),
            "donations": donations,
            "forecast": figures.size_forecast(depots, today),
        },
        status=400 if error else 200,
    )


def depot_home_figures(context) -> list[Figure]:
    depots = depots_for_user(context.user)
    use = figures.utilisation(depots)
    url = reverse("depot:figures")
    return [
        Figure("depot_utilisation", _("Share of the stock on loan"), f"{use.share:.0%}", url),
        Figure(
            "depot_in_repair",
            _("In repair"),
            use.in_repair,
            reverse("depot:instrument_list") + "?status=in_repair",
        ),
        Figure(
            "depot_available",
            _("Available to lend"),
            use.available,
            reverse("depot:instrument_list") + "?status=available",
        ),
    ]


def register() -> None:
    for role in (Role.DEPOT_STAFF, Role.WORKSHOP_LEAD):
        if depot_home_figures not in HOME_FIGURES[role]:
            HOME_FIGURES[role].append(depot_home_figures)
