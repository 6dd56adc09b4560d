"""The depot's figures page and its home-page figures."""

from datetime import date, timedelta

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


def last_season(today: date) -> tuple[date, date]:
    """The last full lending year, 1 August to 1 August."""
    end_year = today.year if today.month >= 8 else today.year - 1
    return date(end_year - 1, 8, 1), date(end_year, 8, 1)


@rule(DEPOT)
def depot_figures(request):
    depots = depots_for_user(request.user)
    today = timezone.localdate()
    start, end = last_season(today)
    repairs = [workshop_figures.repair_cost_per_instrument(d, start, end) for d in depots]
    repair_cents = sum(r["total_cents"] for r in repairs)
    year_ago = timezone.now() - timedelta(days=365)
    return render(
        request,
        "depot/figures.html",
        {
            "utilisation": figures.utilisation(depots),
            "by_type": figures.utilisation_by_type(depots),
            "by_programme": figures.loans_by_programme(depots, today),
            "by_region": figures.loans_by_region(depots, today),
            "children_year": figures.children_reached(depots, since=year_ago),
            "children_ever": figures.children_reached(depots),
            "turnaround": figures.repair_turnaround(depots, since=year_ago),
            "cost": figures.lending_cost(depots, start, end, repair_cents=repair_cents),
            "repaired_instruments": sum(r["instruments"] for r in repairs),
            "forecast": figures.size_forecast(depots, today),
        },
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
