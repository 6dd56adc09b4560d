"""What a report covers: which programmes and places (the scope) over which dates (the period).

A coordinator reports on their own programme; a platform administrator on every programme.
Within that, a report narrows to one district, neighbourhood or school and one kind of playing
(lessons, or one kind of ensemble). The period is a date range; a child counts in it when they
played in a school year that overlaps it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import PLATFORM_ADMIN, OrgKind
from leerorkest.programme.access_programme import PROGRAMME_MANAGER_ROLES
from leerorkest.programme.models import EnsembleKind
from leerorkest.schools.models import District, Neighbourhood, School, SchoolYear

LESSONS = "lessons"
# How a child plays: in a lesson group, or in one kind of ensemble.
PLAY_KINDS = {LESSONS: _("Instrument lessons"), **dict(EnsembleKind.choices)}


class ScopeError(ValueError):
    """A filter names something outside what the user may report on."""


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date
    years: tuple[SchoolYear, ...] = field(compare=False)

    @property
    def year_ids(self) -> list[int]:
        return [y.pk for y in self.years]

    @classmethod
    def of_year(cls, year: SchoolYear) -> "Period":
        return cls(year.starts_on, year.ends_on, (year,))

    @classmethod
    def between(cls, starts_on: date, ends_on: date) -> "Period":
        if ends_on < starts_on:
            raise ScopeError(_("The period ends before it starts."))
        years = tuple(
            SchoolYear.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).order_by(
                "starts_on"
            )
        )
        return cls(starts_on, ends_on, years)

    def label(self) -> str:
        if len(self.years) == 1 and (self.starts_on, self.ends_on) == (
            self.years[0].starts_on,
            self.years[0].ends_on,
        ):
            return str(self.years[0])
        return f"{self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y}"


@dataclass(frozen=True)
class Scope:
    programmes: tuple[Organisation, ...]
    district: District | None = None
    neighbourhood: Neighbourhood | None = None
    school: School | None = None
    kind: str = ""

    @property
    def programme_ids(self) -> list[int]:
        return [p.pk for p in self.programmes]

    def schools(self):
        """The schools of the scope's programmes, narrowed to its place."""
        schools = School.objects.filter(organisation__parent__in=self.programme_ids)
        if self.school is not None:
            schools = schools.filter(pk=self.school.pk)
        if self.neighbourhood is not None:
            schools = schools.filter(neighbourhood=self.neighbourhood)
        if self.district is not None:
            schools = schools.filter(neighbourhood__district=self.district)
        return schools

    @property
    def has_place(self) -> bool:
        return any((self.district, self.neighbourhood, self.school))

    def label(self) -> str:
        parts = [", ".join(p.name for p in self.programmes)] if len(self.programmes) < 4 else []
        for place in (self.district, self.neighbourhood):
            if place is not None:
                parts.append(place.name)
        if self.school is not None:
            parts.append(self.school.organisation.name)
        if self.kind:
            parts.append(str(PLAY_KINDS[self.kind]))
        return " · ".join(parts) or str(_("All programmes"))


def reportable_programmes(context):
    """The programmes the user may report on in their current role."""
    programmes = Organisation.objects.filter(
        kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER], is_active=True
    ).order_by("name")
    if context is None or context.role is None:
        return programmes.none()
    if context.role == PLATFORM_ADMIN:
        return programmes
    if context.role in PROGRAMME_MANAGER_ROLES and context.organisation is not None:
        return programmes.filter(pk=context.organisation.pk)
    return programmes.none()


def _pick(queryset, raw: str, unknown: str):
    """The row the parameter names, within the queryset; `unknown` is the message otherwise."""
    if not raw:
        return None
    # Beyond nine digits no id exists (and the database would refuse the number).
    found = queryset.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
    if found is None:
        raise ScopeError(unknown)
    return found


def scope_from(params, programmes) -> Scope:
    """A scope from query parameters (programme, district, neighbourhood, school, kind) within
    the programmes the user may report on; anything else is a ScopeError."""
    programmes = list(programmes)
    chosen = _pick(
        Organisation.objects.filter(pk__in=[p.pk for p in programmes]),
        params.get("programme", ""),
        _("Unknown programme."),
    )
    if chosen is not None:
        programmes = [chosen]
    ids = [p.pk for p in programmes]
    schools = School.objects.filter(organisation__parent__in=ids).select_related("organisation")
    districts = District.objects.filter(neighbourhoods__schools__in=schools).distinct()
    district = _pick(districts, params.get("district", ""), _("Unknown district."))
    neighbourhood = _pick(
        Neighbourhood.objects.filter(schools__in=schools).distinct(),
        params.get("neighbourhood", ""),
        _("Unknown neighbourhood."),
    )
    school = _pick(schools, params.get("school", ""), _("Unknown school."))
    kind = params.get("kind", "")
    if kind and kind not in PLAY_KINDS:
        raise ScopeError(_("Unknown kind of playing."))
    return Scope(tuple(programmes), district, neighbourhood, school, kind)


def period_from(params, today: date) -> Period:
    """?year=2025 (a school year), or ?from=…&to=… (dates); else the current school year."""
    raw_from, raw_to = params.get("from", ""), params.get("to", "")
    if raw_from or raw_to:
        try:
            starts_on = date.fromisoformat(raw_from)
            ends_on = date.fromisoformat(raw_to)
        except ValueError:
            raise ScopeError(_("Give both dates of the period as YYYY-MM-DD.")) from None
        return Period.between(starts_on, ends_on)
    raw = params.get("year", "")
    if raw:
        if not raw.isdigit() or len(raw) != 4:
            raise ScopeError(_("Unknown school year."))
        year = SchoolYear.objects.filter(starts_on__year=int(raw)).first()
        if year is None:
            raise ScopeError(_("Unknown school year."))
        return Period.of_year(year)
    year = (
        SchoolYear.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
        or SchoolYear.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
        or SchoolYear.objects.order_by("starts_on").first()
    )
    if year is None:
        return Period(today, today, ())
    return Period.of_year(year)
