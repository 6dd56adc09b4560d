"""Read-side helpers of the choice and lesson-group pages: each costs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from leerorkest.programme.choice.actions import Scope
from leerorkest.programme.models import AssignmentRun, InstrumentChoice, InstrumentType, LessonGroup
from leerorkest.schools.models import ClassPlacement

YEAR_GROUP_CHOICES = [5, 6, 7, 8]


def _count(queryset):
    """A correlated COUNT(*) of `queryset` as a subquery expression (0 when empty)."""
    counted = queryset.order_by().annotate(
        n=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("n")[:1]), Value(0))


def school_overview(schools, school_year, year_group):
    """Schools annotated with pupils, entered preferences, assigned instruments and the last
    run for one year group (one query)."""
    placed = {
        "pupil__placements__school_class__school": OuterRef("pk"),
        "pupil__placements__school_class__school_year": school_year,
        "pupil__placements__school_class__year_group": year_group,
    }
    choices = InstrumentChoice.objects.filter(school_year=school_year, **placed)
    return schools.annotate(
        pupils=_count(
            ClassPlacement.objects.filter(
                school_class__school=OuterRef("pk"),
                school_class__school_year=school_year,
                school_class__year_group=year_group,
                pupil__pseudonymised_at__isnull=True,
            )
        ),
        entered=_count(choices.filter(first__isnull=False)),
        assigned=_count(choices.filter(assigned__isnull=False)),
        groups=_count(
            LessonGroup.objects.filter(
                school=OuterRef("pk"), school_year=school_year, year_group=year_group
            )
        ),
        last_run=Subquery(
            AssignmentRun.objects.filter(
                school=OuterRef("pk"), school_year=school_year, year_group=year_group
            )
            .order_by("-created_at")
            .values("created_at")[:1]
        ),
    )


@dataclass
class ResultRow:
    placement: ClassPlacement
    choice: InstrumentChoice | None
    preferences: list[InstrumentType]
    assigned: InstrumentType | None
    rank: int | None  # 1-3, 0 another instrument, None no instrument

    @property
    def pupil(self):
        return self.placement.pupil

    @property
    def overridden(self) -> bool:
        return self.choice is not None and self.choice.overridden_by_id is not None

    @property
    def status(self) -> str:
        if self.rank is None:
            return "unplaced"
        return {0: "other", 1: "first", 2: "second", 3: "third"}[self.rank]


def result_rows(scope: Scope) -> list[ResultRow]:
    """Every pupil of the year group with preferences, assigned instrument and its rank."""
    instruments = InstrumentType.objects.in_bulk()
    placements = list(scope.placements())
    choices = {
        c.pupil_id: c
        for c in InstrumentChoice.objects.filter(
            school_year=scope.school_year, pupil_id__in=[p.pupil_id for p in placements]
        ).select_related("overridden_by")
    }
    rows = []
    for placement in placements:
        choice = choices.get(placement.pupil_id)
        preferences, assigned, rank = [], None, None
        if choice is not None:
            ids = (choice.first_id, choice.second_id, choice.third_id)
            preferences = [instruments[i] for i in ids if i]
            assigned = instruments.get(choice.assigned_id)
            rank = choice.rank if assigned else None
        rows.append(ResultRow(placement, choice, preferences, assigned, rank))
    return rows


def result_counts(rows: list[ResultRow]) -> dict[str, int]:
    counts = {"children": len(rows), "first": 0, "second": 0, "third": 0, "none": 0}
    counts.update({"other": 0, "unplaced": 0, "overridden": 0})
    for row in rows:
        if row.status in ("first", "second", "third"):
            counts[row.status] += 1
        else:
            counts["none"] += 1
            counts[row.status] += 1
        counts["overridden"] += row.overridden
    return counts


def lesson_group_list(groups):
    """Lesson groups with everything a list row shows (one query)."""
    return groups.select_related(
        "school__organisation", "school_year", "instrument", "teacher"
    ).annotate(size=Count("members", distinct=True))


def group_members(group: LessonGroup):
    """The group's members with their class in the group's school year."""
    placements = ClassPlacement.objects.filter(
        school_year_id=group.school_year_id, pupil_id=OuterRef("pupil_id")
    )
    return (
        group.members.select_related("pupil")
        .annotate(class_name=Subquery(placements.values("school_class__name")[:1]))
        .filter(Q(pupil__pseudonymised_at__isnull=True))
        .order_by("pupil__surname", "pupil__given_name", "pupil_id")
    )
