"""The public figures page (off unless PUBLIC_FIGURES is set): the headline figures of every
active programme for the foundation's website, as a page and as JSON.

Every figure is a count over all programmes, suppressed below five (leerorkest.reports
.suppression) before it leaves the platform; nothing on the page names a child, a school or a
programme. The figures are counted at most once every ten minutes (Django's cache) and the
answer may be kept by shared caches for as long.
"""

import functools
from datetime import date, timedelta

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind
from leerorkest.depot.models import Loan
from leerorkest.knowledge.pages import page
from leerorkest.reports.facts import collect
from leerorkest.reports.scope import Scope, period_from
from leerorkest.reports.suppression import cell
from leerorkest.schools.models import SchoolParticipation, SchoolYear

MAX_AGE = 600  # seconds: how long the figures are kept, here and in shared caches
CACHE_KEY = "reports:public_figures"
# The figures in the order the page shows them, with their labels.
FIGURES = (
    ("children_reached", _("children reached")),
    ("schools", _("schools taking part")),
    ("instruments_on_loan", _("instruments on loan")),
    ("programmes_served", _("programmes with instruments from the depots")),
)


def _year_figures(year: SchoolYear | None, programme_ids: list[int]) -> dict:
    """Children and schools of the programmes in one school year (none without a year)."""
    if year is None:
        return {"school_year": None, "children_reached": 0, "schools": 0}
    scope = Scope(tuple(Organisation.objects.filter(pk__in=programme_ids)))
    children = len({fact.pupil for fact in collect(scope, [year.pk])})
    schools = (
        SchoolParticipation.objects.filter(
            school_year=year, school__organisation__parent__in=programme_ids
        )
        .values("school_id")
        .distinct()
        .count()
    )
    return {"school_year": str(year), "children_reached": children, "schools": schools}


def _loan_figures(moment) -> dict:
    """Instruments the depots had lent out at a moment, and to how many programmes."""
    loans = Loan.objects.filter(out_at__lte=moment).exclude(returned_at__lte=moment)
    return {
        "instruments_on_loan": loans.count(),
        "programmes_served": loans.values("borrower_id").distinct().count(),
    }


def count_figures() -> dict:
    """This school year's figures and last year's: children and schools over the whole school
    year, loans on this day and on the same day a year earlier. Every count is suppressed."""
    now = timezone.now()
    today = timezone.localdate(now)
    programme_ids = list(
        Organisation.objects.filter(
            kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER], is_active=True
        ).values_list("pk", flat=True)
    )
    period = period_from({}, today)
    current = period.years[-1] if period.years else None
    previous = (
        SchoolYear.objects.filter(starts_on__lt=current.starts_on).order_by("-starts_on").first()
        if current
        else None
    )
    year_ago = now - timedelta(days=365)
    result = {"counted_at": now.isoformat()}
    for key, year, moment in (("current", current, now), ("previous", previous, year_ago)):
        figures = {**_year_figures(year, programme_ids), **_loan_figures(moment)}
        figures["loans_counted_on"] = timezone.localdate(moment).isoformat()
        for name, _label in FIGURES:
            figures[name] = cell(figures[name])
        result[key] = figures
    return result


def public_figures_data() -> dict:
    """The figures, counted at most once every MAX_AGE seconds."""
    return cache.get_or_set(CACHE_KEY, count_figures, MAX_AGE)


def _public(view):
    """404 unless PUBLIC_FIGURES is on; anonymous answers may be kept by shared caches for ten
    minutes, anything personal (a signed-in user, a message, a cookie) stays private."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PUBLIC_FIGURES:
            raise Http404
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        if (
            not request.user.is_authenticated
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not len(get_messages(request))
            and not response.cookies
        ):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        else:
            patch_cache_control(response, private=True, max_age=0)
        return response

    return wrapped


@rule(PUBLIC)
@_public
def public_figures(request):
    data = public_figures_data()
    rows = [(label, data["current"][key], data["previous"][key]) for key, label in FIGURES]
    context = {
        "data": data,
        "rows": rows,
        "counted_at": parse_datetime(data["counted_at"]),
        "loans_now": date.fromisoformat(data["current"]["loans_counted_on"]),
        "loans_before": date.fromisoformat(data["previous"]["loans_counted_on"]),
        "json_url": reverse("reports:public_figures_json"),
    }
    return page(request, "reports/public_figures.html", context)


@rule(PUBLIC)
@_public
def public_figures_json(request):
    response = JsonResponse(public_figures_data(), json_dumps_params={"ensure_ascii": False})
    # For the foundation's website to fetch from its own pages: the figures name no one.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
