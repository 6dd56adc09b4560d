"""Funder packs: the standard tables for a scope and a period, counted, suppressed below five
children (with secondary suppression where a table has totals) and stored on the pack.

A table is a dict: key, title, header, rows (lists of cells), note. Rows are ready to print
and to write to a spreadsheet: counts are ints, suppressed counts the text "<5".
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.reports import suppression
from leerorkest.reports.continuity import continuity
from leerorkest.reports.delivery import lesson_dates
from leerorkest.reports.facts import Fact, collect, school_places
from leerorkest.reports.models import FunderPack
from leerorkest.reports.reach import breakdowns
from leerorkest.reports.scope import Period, Scope
from leerorkest.schools.models import (
    District,
    Neighbourhood,
    School,
    SchoolParticipation,
    SchoolYear,
)
from leerorkest.timetable.models import AttendanceMark, LessonDate

NOTE = gettext_lazy(
    "Counts of 1 to 4 children are shown as <5, and so is the next smallest count beside them "
    "where a total would give them away."
)


def params_of(scope: Scope, period: Period) -> dict:
    return {
        "programmes": scope.programme_ids,
        "district": scope.district.pk if scope.district else None,
        "neighbourhood": scope.neighbourhood.pk if scope.neighbourhood else None,
        "school": scope.school.pk if scope.school else None,
        "kind": scope.kind,
        "from": period.starts_on.isoformat(),
        "to": period.ends_on.isoformat(),
        "language": translation.get_language() or "nl",
    }


def scope_of(params: dict) -> tuple[Scope, Period]:
    programmes = tuple(Organisation.objects.filter(pk__in=params["programmes"]).order_by("name"))

    def one(model, key):
        return model.objects.filter(pk=params[key]).first() if params.get(key) else None

    scope = Scope(
        programmes,
        one(District, "district"),
        one(Neighbourhood, "neighbourhood"),
        one(School, "school"),
        params.get("kind", ""),
    )
    period = Period.between(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]))
    return scope, period


def _table(key, title, header, rows, *, counts=(), totals=True, note=True) -> dict:
    if counts:
        rows = suppression.table(rows, count_columns=list(counts), totals=totals)
    return {
        "key": key,
        "title": title,
        "header": header,
        "rows": rows,
        "note": str(NOTE) if counts and note else "",
    }


def _unique(facts: list[Fact]) -> int:
    return len({f.pupil for f in facts})


def headline(scope: Scope, period: Period, facts: list[Fact]) -> dict:
    schools = scope.schools()
    taking_part = (
        SchoolParticipation.objects.filter(school__in=schools, school_year__in=period.year_ids)
        .values("school_id")
        .distinct()
        .count()
    )
    lessons = lesson_dates(scope, period).filter(status=LessonDate.Status.GIVEN).count()
    rows = [
        [_("Children reached"), suppression.cell(_unique(facts))],
        [_("Schools taking part"), taking_part],
        [_("Instruments played"), len({f.instrument for f in facts if f.instrument})],
        [_("Lessons given"), lessons],
    ]
    return _table("headline", _("Headline figures"), [_("Figure"), _("Number")], rows)


def per_place(facts: list[Fact], places) -> dict:
    hood_names = dict(Neighbourhood.objects.values_list("pk", "name"))
    district_names = dict(District.objects.values_list("pk", "name"))
    children: dict[tuple, set[int]] = defaultdict(set)
    for fact in facts:
        place = places.get(fact.school) if fact.school else None
        key = (
            district_names.get(place.district, "—") if place else "—",
            hood_names.get(place.neighbourhood, "—") if place else "—",
        )
        children[key].add(fact.pupil)
    rows = [[d, n, len(p)] for (d, n), p in sorted(children.items())]
    rows.append([_("Total"), "", _unique(facts)])
    return _table(
        "places",
        _("Children per district and neighbourhood"),
        [_("District"), _("Neighbourhood"), _("Children")],
        rows,
        counts=[2],
    )


def per_school_and_groep(facts: list[Fact], places) -> dict:
    groeps = [3, 4, 5, 6, 7, 8]
    cells: dict[tuple, set[int]] = defaultdict(set)
    for fact in facts:
        cells[(fact.school, fact.year_group)].add(fact.pupil)
        cells[(fact.school, "all")].add(fact.pupil)
        cells[("all", fact.year_group)].add(fact.pupil)
    schools = sorted(
        {f.school for f in facts}, key=lambda s: places[s].school if s in places else "~"
    )
    rows = []
    for school in schools:
        name = places[school].school if school in places else _("No school (after school)")
        rows.append(
            [name, *(len(cells.get((school, g), ())) for g in groeps), len(cells[(school, "all")])]
        )
    rows.append([_("Total"), *(len(cells.get(("all", g), ())) for g in groeps), _unique(facts)])
    header = [_("School"), *(_("groep %(n)s") % {"n": g} for g in groeps), _("Total")]
    return _table(
        "schools",
        _("Children per school and groep"),
        header,
        rows,
        counts=range(1, len(groeps) + 2),
    )


def simple(key: str, title: str, label: str, breakdown, total: int) -> dict:
    rows = [[row.label, row.children] for row in breakdown.rows]
    rows.append([_("Total"), total])
    return _table(key, title, [label, _("Children")], rows, counts=[1])


def continuity_table(scope: Scope, period: Period) -> dict:
    """Last year's groep 5 (the year before the period's last school year) one year on."""
    rows = []
    last = period.years[-1] if period.years else None
    cohort_year = (
        SchoolYear.objects.filter(starts_on__lt=last.starts_on).order_by("-starts_on").first()
        if last
        else None
    )
    for groep in (5, 6, 7, 8):
        if cohort_year is None:
            break
        result = continuity(scope, cohort_year, groep)
        step = result.next_year
        if step is None or step.year != last:
            continue
        rows.append(
            [
                _("groep %(n)s in %(year)s") % {"n": groep, "year": cohort_year},
                result.cohort,
                step.playing,
                step.neighbourhood_orchestra + step.secondary,
                step.stopped,
            ]
        )
    return _table(
        "continuity",
        _("Continuity: who still plays a year later"),
        [
            _("Cohort"),
            _("Children"),
            _("Still playing"),
            _("Moved on to an orchestra"),
            _("Stopped"),
        ],
        rows,
        counts=[1, 2, 3, 4],
        totals=False,
    )


def delivery(scope: Scope, period: Period) -> dict:
    dates = lesson_dates(scope, period).exclude(planned__school=None)
    counted = (
        dates.values("planned__school_id", "planned__school__organisation__name")
        .annotate(
            planned=Count("pk"),
            given=Count("pk", filter=Q(status=LessonDate.Status.GIVEN)),
            cancelled=Count("pk", filter=Q(status=LessonDate.Status.CANCELLED)),
        )
        .order_by("planned__school__organisation__name")
    )
    agreed = defaultdict(int)
    for school_id, lessons in SchoolParticipation.objects.filter(
        school__in=scope.schools(), school_year__in=period.year_ids
    ).values_list("school_id", "agreed_lessons"):
        agreed[school_id] += lessons or 0
    rows = [
        [
            row["planned__school__organisation__name"],
            agreed.get(row["planned__school_id"]) or "—",
            row["planned"],
            row["given"],
            row["cancelled"],
        ]
        for row in counted
    ]
    return _table(
        "delivery",
        _("Lessons per school: agreed, planned, given, cancelled"),
        [_("School"), _("Agreed"), _("Planned"), _("Given"), _("Cancelled")],
        rows,
    )


def attendance(scope: Scope, period: Period) -> dict:
    marks = AttendanceMark.objects.filter(lesson_date__in=lesson_dates(scope, period))
    counted = (
        marks.values("lesson_date__planned__school__organisation__name")
        .annotate(
            marks=Count("pk"),
            present=Count("pk", filter=Q(status__in=["present", "late"])),
        )
        .order_by("lesson_date__planned__school__organisation__name")
    )
    rows = [
        [
            row["lesson_date__planned__school__organisation__name"] or "—",
            row["marks"],
            f"{100 * row['present'] / row['marks']:.1f}%" if row["marks"] else "—",
        ]
        for row in counted
    ]
    return _table(
        "attendance",
        _("Attendance per school"),
        [_("School"), _("Marks"), _("Present or late")],
        rows,
    )


def build_tables(scope: Scope, period: Period, progress: Callable[[int], None]) -> list[dict]:
    """Every table of the pack, reporting progress (0–100) as it goes."""
    facts = collect(scope, period.year_ids)
    places = school_places(scope.programme_ids)
    progress(15)
    tables = [headline(scope, period, facts), per_place(facts, places)]
    progress(30)
    tables.append(per_school_and_groep(facts, places))
    total = _unique(facts)
    by = {b.name: b for b in breakdowns(facts, places)}
    tables.append(
        simple(
            "instruments", _("Children per instrument"), _("Instrument"), by["instrument"], total
        )
    )
    tables.append(
        simple("kinds", _("Children per way of playing"), _("Playing in"), by["kind"], total)
    )
    progress(50)
    tables.append(continuity_table(scope, period))
    progress(70)
    tables.append(delivery(scope, period))
    progress(85)
    tables.append(attendance(scope, period))
    return tables


def run_pack(pack_id: int) -> str:
    """Build a queued pack (the background task's body); a failure is recorded on the pack."""
    with transaction.atomic():
        pack = FunderPack.objects.select_for_update().get(pk=pack_id)
        if pack.status != FunderPack.Status.QUEUED:
            return pack.status  # already built (a task run twice does the work once)
        pack.status = FunderPack.Status.RUNNING
        pack.save(update_fields=["status"])

    def progress(percent: int) -> None:
        FunderPack.objects.filter(pk=pack_id).update(progress=percent)

    try:
        scope, period = scope_of(pack.params)
        # The tables are written in the language of whoever asked for the pack.
        with translation.override(pack.params.get("language", "nl")):
            tables = build_tables(scope, period, progress)
    except Exception as error:  # recorded for the coordinator, and the pack can be asked again
        FunderPack.objects.filter(pk=pack_id).update(
            status=FunderPack.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    FunderPack.objects.filter(pk=pack_id).update(
        status=FunderPack.Status.DONE, progress=100, tables=tables, finished_at=timezone.now()
    )
    return FunderPack.Status.DONE


def request_pack(*, scope: Scope, period: Period, title: str, by, organisation) -> FunderPack:
    """Queue a pack for the scope and period; the background task builds it."""
    from leerorkest.reports.tasks import build_funder_pack

    pack = FunderPack.objects.create(
        organisation=organisation,
        title=title.strip()[:150] or f"{scope.label()} · {period.label()}",
        params=params_of(scope, period),
        requested_by=by,
    )
    audit(actor=by, action="reports.pack_request", obj=pack, organisation=organisation)
    transaction.on_commit(lambda: build_funder_pack.enqueue(pack.pk))
    return pack
