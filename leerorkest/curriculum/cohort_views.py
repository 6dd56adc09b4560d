"""The cohort view for coordinators: per instrument and groep, the share of pupils at each
milestone in the latest term recorded in a school year, optionally for one school."""

from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.shortcuts import render

from leerorkest.accounts.access import rule
from leerorkest.curriculum.models import ProgressRecord
from leerorkest.programme.access_programme import PROGRAMME_MANAGERS, active_programme
from leerorkest.programme.models import InstrumentType
from leerorkest.schools.models import School
from leerorkest.schools.views import selected_year, year_choices


@dataclass
class CohortRow:
    instrument: InstrumentType
    year_group: int | None
    counts: dict[int, int] = field(default_factory=dict)  # stage (0 = not yet at 1) -> pupils

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def shares(self, stages: list[int]) -> list[tuple[int, int]]:
        """(pupils, whole percent) per stage, in the order of `stages`."""
        total = self.total or 1
        return [(self.counts.get(s, 0), round(100 * self.counts.get(s, 0) / total)) for s in stages]


def cohort(programme, year, school=None) -> tuple[int | None, list[int], list[CohortRow]]:
    """(term, stages, rows) in three queries, whatever the number of pupils."""
    records = ProgressRecord.objects.filter(organisation=programme, school_year=year)
    if school is not None:
        records = records.filter(lesson_group__school=school)
    term = records.aggregate(t=Max("term"))["t"]
    if term is None:
        return None, [], []
    counted = (
        records.filter(term=term)
        .values_list("instrument_id", "lesson_group__year_group", "milestone__order")
        .annotate(n=Count("pk"))
        .order_by()
    )
    instruments = {}
    rows: dict[tuple[int, int | None], CohortRow] = {}
    stages = {0}
    cells = list(counted)
    wanted = {instrument_id for instrument_id, _g, _o, _n in cells}
    instruments = {i.pk: i for i in InstrumentType.objects.filter(pk__in=wanted)}
    for instrument_id, year_group, order, n in cells:
        stage = order or 0
        stages.add(stage)
        row = rows.setdefault(
            (instrument_id, year_group),
            CohortRow(instrument=instruments[instrument_id], year_group=year_group),
        )
        row.counts[stage] = row.counts.get(stage, 0) + n
    ordered = sorted(rows.values(), key=lambda r: (r.instrument.sort_order, r.year_group or 99))
    return term, sorted(stages), ordered


@rule(PROGRAMME_MANAGERS)
def cohort_view(request):
    programme = active_programme(request)
    year = selected_year(request)
    schools = list(
        School.objects.filter(organisation__parent=programme)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    raw = request.GET.get("school", "")
    school = next((s for s in schools if str(s.pk) == raw), None)
    term, stages, rows = cohort(programme, year, school)
    return render(
        request,
        "curriculum/cohort.html",
        {
            "year": year,
            "years": year_choices(),
            "schools": schools,
            "school": school,
            "term": term,
            "stages": stages,
            "rows": [(row, row.shares(stages)) for row in rows],
        },
    )
