"""Dashboards: reach and continuity, filtered by period and scope, each chart with its table."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.access import rule
from leerorkest.reports.access import REPORTERS
from leerorkest.reports.continuity import continuity
from leerorkest.reports.reach import reach
from leerorkest.reports.scope import (
    PLAY_KINDS,
    Period,
    ScopeError,
    period_from,
    reportable_programmes,
    scope_from,
)
from leerorkest.schools.models import District, School, SchoolYear

SCOPE_KEYS = ("programme", "district", "neighbourhood", "school", "kind")
PERIOD_KEYS = ("year", "from", "to")


def _filters(request):
    """(scope, period, error) from the query string; on a bad filter, the whole scope and the
    current year with the reason, so the page still shows something true."""
    programmes = reportable_programmes(request.context)
    today = timezone.localdate()
    try:
        return scope_from(request.GET, programmes), period_from(request.GET, today), None
    except ScopeError as error:
        return scope_from({}, programmes), period_from({}, today), str(error)


def _query(request, **changes) -> str:
    """The current filters with some changed (None removes one), as a query string."""
    params = {k: v for k, v in request.GET.items() if k in SCOPE_KEYS + PERIOD_KEYS and v}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(params)


def _choices(scope):
    schools = (
        School.objects.filter(organisation__parent__in=scope.programme_ids)
        .select_related("organisation", "neighbourhood")
        .order_by("organisation__name")
    )
    districts = District.objects.filter(neighbourhoods__schools__in=schools).distinct()
    return {"schools": schools, "districts": districts, "kinds": list(PLAY_KINDS.items())}


def _links(request, result):
    """Where each row of a breakdown leads: the dashboard narrowed to it, or the list behind it."""
    year = result.period.years[-1].starts_on.year if result.period.years else ""
    narrow = {"district": "district", "neighbourhood": "neighbourhood", "school": "school"}
    for breakdown in result.breakdowns:
        largest = breakdown.largest or 1
        for row in breakdown.rows:
            row.url = ""
            row.list_url = ""
            row.pct = round(100 * row.children / largest)
            if row.key is None:
                continue
            if breakdown.name in narrow:
                row.url = "?" + _query(request, **{narrow[breakdown.name]: row.key})
            elif breakdown.name == "programme" and len(result.scope.programmes) > 1:
                row.url = "?" + _query(request, programme=row.key)
            elif breakdown.name == "kind":
                row.url = "?" + _query(request, kind=row.key)
            elif breakdown.name == "year_group":
                params = {"groep": row.key, "year": year}
                if result.scope.school is not None:
                    params["school"] = result.scope.school.pk
                row.list_url = reverse("schools:pupil_list") + "?" + urlencode(params)


def _columns(request, result) -> int:
    """Positions of the year-over-year columns (a 10-unit slot per year, 100 units high)."""
    tallest = max((row.children for row in result.by_year), default=0) or 1
    for index, row in enumerate(result.by_year):
        row.height = round(95 * row.children / tallest, 1)
        row.top = round(100 - row.height, 1)
        row.x = 10 * index + 2
        row.query = _query(request, year=row.year.starts_on.year, **{"from": None, "to": None})
    return 10 * len(result.by_year)


@rule(REPORTERS)
def reach_view(request):
    scope, period, error = _filters(request)
    result = reach(scope, period)
    _links(request, result)
    chart_width = _columns(request, result)
    context = {
        "result": result,
        "chart_width": chart_width,
        "pack_keys": SCOPE_KEYS + PERIOD_KEYS,
        "scope": scope,
        "period": period,
        "error": error,
        "years": SchoolYear.objects.order_by("-starts_on"),
        "programmes": reportable_programmes(request.context),
        "clear": {k: "?" + _query(request, **{k: None}) for k in SCOPE_KEYS},
        **_choices(scope),
    }
    return render(request, "reports/reach.html", context, status=400 if error else 200)


@rule(REPORTERS)
def continuity_view(request):
    scope, period, error = _filters(request)
    raw = request.GET.get("groep", "5")
    if raw not in {"3", "4", "5", "6", "7", "8"}:
        error, raw = _("Choose a groep from 3 to 8."), "5"
    year_group = int(raw)
    # The cohort's year: the school year chosen, else last year (this year has no sequel yet).
    year = None
    if request.GET.get("year"):
        year = period.years[0] if period.years else None
    if year is None:
        today = timezone.localdate()
        year = (
            SchoolYear.objects.filter(starts_on__lte=today).order_by("-starts_on")[1:2].first()
            or SchoolYear.objects.order_by("starts_on").first()
        )
    result = continuity(scope, year, year_group) if year else None
    context = {
        "result": result,
        "scope": scope,
        "period": Period.of_year(year) if year else period,
        "error": error,
        "years": SchoolYear.objects.order_by("-starts_on"),
        "programmes": reportable_programmes(request.context),
        "year_group": year_group,
        "cohort_year": year,
        **_choices(scope),
    }
    return render(request, "reports/continuity.html", context, status=400 if error else 200)
