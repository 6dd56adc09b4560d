"""Who played, where and how, per school year: the facts every reach and continuity figure is
counted from. A fact is one child playing in one school year in one way: in a lesson group
(with the group's school, groep and instrument) or as a member of an ensemble who played in it
(active or since left; not waiting or invited). A child without a school in an ensemble (a
neighbourhood orchestra, the secondary follow-up) is placed at the school their class was at
that year, when there is one.

Rows are read as tuples in three queries whatever the scope; the figures are then counted in
memory, so every breakdown of one report counts the same children.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from leerorkest.programme.models import EnsembleMember, LessonGroupMember
from leerorkest.reports.scope import LESSONS, Scope
from leerorkest.schools.models import ClassPlacement, School

PLAYED = (EnsembleMember.Status.ACTIVE, EnsembleMember.Status.LEFT)


@dataclass(frozen=True, slots=True)
class Fact:
    pupil: int
    year: int  # school year id
    programme: int
    school: int | None
    year_group: int | None
    instrument: int | None
    kind: str  # LESSONS or an EnsembleKind


@dataclass(frozen=True, slots=True)
class Place:
    school: str
    neighbourhood: int | None
    district: int | None


def school_places(programme_ids: Iterable[int]) -> dict[int, Place]:
    rows = School.objects.filter(organisation__parent__in=list(programme_ids)).values_list(
        "pk", "organisation__name", "neighbourhood_id", "neighbourhood__district_id"
    )
    return {pk: Place(name, hood, district) for pk, name, hood, district in rows}


def collect(scope: Scope, year_ids: Iterable[int]) -> list[Fact]:
    """Every fact of the scope's programmes in the school years, narrowed to the scope's place
    and kind of playing."""
    year_ids = list(year_ids)
    programme_ids = scope.programme_ids
    facts: list[Fact] = []
    if scope.kind in ("", LESSONS):
        rows = LessonGroupMember.objects.filter(
            school_year_id__in=year_ids, group__organisation_id__in=programme_ids
        ).values_list(
            "pupil_id",
            "school_year_id",
            "group__organisation_id",
            "group__school_id",
            "group__year_group",
            "group__instrument_id",
        )
        facts += [Fact(*row, LESSONS) for row in rows.iterator(chunk_size=5000)]
    if scope.kind != LESSONS:
        members = EnsembleMember.objects.filter(
            ensemble__school_year_id__in=year_ids,
            ensemble__organisation_id__in=programme_ids,
            status__in=PLAYED,
        )
        if scope.kind:
            members = members.filter(ensemble__kind=scope.kind)
        rows = list(
            members.values_list(
                "pupil_id",
                "ensemble__school_year_id",
                "ensemble__organisation_id",
                "ensemble__school_id",
                "ensemble__year_group",
                "instrument_id",
                "ensemble__kind",
            ).iterator(chunk_size=5000)
        )
        homeless = {(r[0], r[1]) for r in rows if r[3] is None}
        placed = _class_places({pupil for pupil, _ in homeless}, year_ids) if homeless else {}
        for pupil, year, programme, school, year_group, instrument, kind in rows:
            if school is None:
                school, year_group = placed.get((pupil, year), (None, year_group))
            facts.append(Fact(pupil, year, programme, school, year_group, instrument, kind))
    if scope.has_place:
        allowed = set(scope.schools().values_list("pk", flat=True))
        facts = [f for f in facts if f.school in allowed]
    return facts


def _class_places(pupils: set[int], year_ids: list[int]) -> dict[tuple[int, int], tuple]:
    rows = ClassPlacement.objects.filter(
        pupil_id__in=pupils, school_year_id__in=year_ids
    ).values_list(
        "pupil_id", "school_year_id", "school_class__school_id", "school_class__year_group"
    )
    return {(pupil, year): (school, group) for pupil, year, school, group in rows}
