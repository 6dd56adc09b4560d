"""Reach: unique children per programme, district, neighbourhood, school, groep, instrument and
kind of playing, for a period; the share of primary schools taking part per district; and the
same count school year by school year."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from leerorkest.accounts.models import Organisation
from leerorkest.programme.models import InstrumentType
from leerorkest.reports.facts import Fact, Place, collect, school_places
from leerorkest.reports.scope import PLAY_KINDS, Period, Scope
from leerorkest.schools.models import District, Neighbourhood, SchoolParticipation, SchoolYear

UNKNOWN = "—"


@dataclass
class Row:
    key: object  # the id (or groep, or kind) the row is about; None for "unknown"
    label: str
    children: int


@dataclass
class Breakdown:
    name: str  # programme, district, neighbourhood, school, year_group, instrument, kind
    title: str
    rows: list[Row]

    @property
    def largest(self) -> int:
        return max((r.children for r in self.rows), default=0)


@dataclass
class SchoolShare:
    district: str
    district_id: int
    taking_part: int
    primary_schools: int

    @property
    def share(self) -> float | None:
        return self.taking_part / self.primary_schools if self.primary_schools else None


@dataclass
class YearRow:
    year: SchoolYear
    children: int
    change: int | None = None


@dataclass
class Reach:
    scope: Scope
    period: Period
    total: int
    breakdowns: list[Breakdown]
    school_shares: list[SchoolShare] = field(default_factory=list)
    by_year: list[YearRow] = field(default_factory=list)

    def breakdown(self, name: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.name == name)


def _count(facts: list[Fact], key: Callable[[Fact], object]) -> dict[object, int]:
    children: dict[object, set[int]] = defaultdict(set)
    for fact in facts:
        children[key(fact)].add(fact.pupil)
    return {k: len(v) for k, v in children.items()}


def _rows(counts: dict, labels: dict, order: Callable | None = None) -> list[Row]:
    rows = [
        Row(k, labels.get(k, UNKNOWN) if k is not None else UNKNOWN, n) for k, n in counts.items()
    ]
    if order is None:
        rows.sort(key=lambda r: (-r.children, r.label))
    else:
        rows.sort(key=order)
    return rows


def breakdowns(facts: list[Fact], places: dict[int, Place]) -> list[Breakdown]:
    def place(fact: Fact) -> Place | None:
        return places.get(fact.school) if fact.school is not None else None

    def district_of(fact: Fact):
        p = place(fact)
        return p.district if p else None

    def hood_of(fact: Fact):
        p = place(fact)
        return p.neighbourhood if p else None

    by = {
        "programme": _count(facts, lambda f: f.programme),
        "district": _count(facts, district_of),
        "neighbourhood": _count(facts, hood_of),
        "school": _count(facts, lambda f: f.school),
        "year_group": _count(facts, lambda f: f.year_group),
        "instrument": _count(facts, lambda f: f.instrument),
        "kind": _count(facts, lambda f: f.kind),
    }
    programmes = dict(
        Organisation.objects.filter(pk__in=[k for k in by["programme"] if k]).values_list(
            "pk", "name"
        )
    )
    districts = dict(
        District.objects.filter(pk__in=[k for k in by["district"] if k]).values_list("pk", "name")
    )
    hoods = dict(
        Neighbourhood.objects.filter(pk__in=[k for k in by["neighbourhood"] if k]).values_list(
            "pk", "name"
        )
    )
    schools = {pk: p.school for pk, p in places.items()}
    instruments = {
        i.pk: i.name
        for i in InstrumentType.objects.filter(pk__in=[k for k in by["instrument"] if k])
    }
    groeps = {g: _("groep %(n)s") % {"n": g} for g in by["year_group"] if g is not None}
    kinds = {k: str(v) for k, v in PLAY_KINDS.items()}
    by_groep = lambda r: (r.key is None, r.key or 0)  # noqa: E731 - a sort key
    return [
        Breakdown("programme", _("Per programme"), _rows(by["programme"], programmes)),
        Breakdown("district", _("Per district"), _rows(by["district"], districts)),
        Breakdown("neighbourhood", _("Per neighbourhood"), _rows(by["neighbourhood"], hoods)),
        Breakdown("school", _("Per school"), _rows(by["school"], schools)),
        Breakdown("year_group", _("Per groep"), _rows(by["year_group"], groeps, by_groep)),
        Breakdown("instrument", _("Per instrument"), _rows(by["instrument"], instruments)),
        Breakdown("kind", _("Per way of playing"), _rows(by["kind"], kinds)),
    ]


def school_shares(scope: Scope, period: Period) -> list[SchoolShare]:
    """Per district: the schools taking part in the period against all its primary schools."""
    schools = scope.schools()
    taking_part = dict(
        SchoolParticipation.objects.filter(school__in=schools, school_year__in=period.year_ids)
        .values_list("school__neighbourhood__district_id")
        .annotate(n=Count("school_id", distinct=True))
        .order_by()
    )
    districts = District.objects.filter(pk__in=list(taking_part)).annotate(
        primary=Sum("neighbourhoods__primary_school_count")
    )
    if scope.neighbourhood is not None:
        reference = {scope.neighbourhood.district_id: scope.neighbourhood.primary_school_count}
    else:
        reference = {d.pk: d.primary or 0 for d in districts}
    return sorted(
        (SchoolShare(d.name, d.pk, taking_part[d.pk], reference.get(d.pk, 0)) for d in districts),
        key=lambda s: s.district,
    )


def reach(scope: Scope, period: Period, *, history: int = 4) -> Reach:
    """The reach of the scope in the period, with the `history` school years up to its end
    counted one by one for the year-over-year view."""
    years = list(
        SchoolYear.objects.filter(starts_on__lte=period.ends_on).order_by("-starts_on")[:history]
    )
    years.reverse()
    wanted = set(period.year_ids) | {y.pk for y in years}
    facts = collect(scope, wanted)
    places = school_places(scope.programme_ids)
    period_years = set(period.year_ids)
    in_period = [f for f in facts if f.year in period_years]
    per_year = _count(facts, lambda f: f.year)
    by_year: list[YearRow] = []
    for year in years:
        if not by_year and not per_year.get(year.pk):
            continue  # before the first year with children in the scope
        children = per_year.get(year.pk, 0)
        change = children - by_year[-1].children if by_year else None
        by_year.append(YearRow(year, children, change))
    return Reach(
        scope=scope,
        period=period,
        total=len({f.pupil for f in in_period}),
        breakdowns=breakdowns(in_period, places),
        school_shares=school_shares(scope, period),
        by_year=by_year,
    )
