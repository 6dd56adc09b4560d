"""Continuity: do children stay on the learning line? A cohort is the children who had
instrument lessons in one groep in one school year; each following year counts how many of them
still play (in lessons or an ensemble), how many moved on to a neighbourhood orchestra or the
secondary follow-up, how many switched instrument, and where the others stopped."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from leerorkest.programme.models import EnsembleKind, InstrumentType
from leerorkest.reports.facts import Fact, collect, school_places
from leerorkest.reports.scope import LESSONS, Scope
from leerorkest.schools.models import SchoolYear

MOVED_ON = (EnsembleKind.NEIGHBOURHOOD_ORCHESTRA, EnsembleKind.SECONDARY)


@dataclass
class Step:
    year: SchoolYear
    year_group: int  # the groep the cohort is in that year
    playing: int  # still playing in any way
    in_lessons: int
    neighbourhood_orchestra: int
    secondary: int
    switched: int  # in lessons on another instrument than in the cohort's year
    stopped: int  # of the cohort, no longer playing this year

    pct: int = 0  # playing as a whole percentage of the cohort


@dataclass
class Stopped:
    school: str
    children: int


@dataclass
class Continuity:
    year: SchoolYear
    year_group: int
    cohort: int
    steps: list[Step]
    stopped_at: list[Stopped] = field(default_factory=list)  # after the first year, per school
    instruments: list[tuple[str, int, int]] = field(default_factory=list)  # (name, cohort, next)

    @property
    def next_year(self) -> Step | None:
        return self.steps[0] if self.steps else None


def continuity(scope: Scope, year: SchoolYear, year_group: int) -> Continuity:
    """Follow the children in lessons in `year_group` in `year` through the years after it
    (up to groep 8 and one year beyond, as far as school years exist)."""
    later = list(
        SchoolYear.objects.filter(
            starts_on__gt=year.starts_on, starts_on__lte=timezone.localdate()
        ).order_by("starts_on")[: 9 - year_group]
    )
    # The cohort is drawn within the scope; the later years follow them anywhere in the
    # programmes (a child who moves to a neighbourhood orchestra elsewhere still plays).
    cohort_scope = Scope(
        scope.programmes, scope.district, scope.neighbourhood, scope.school, LESSONS
    )
    first = [f for f in collect(cohort_scope, [year.pk]) if f.year_group == year_group]
    cohort = {f.pupil for f in first}
    instrument_at_start = {f.pupil: f.instrument for f in first}
    school_at_start = {f.pupil: f.school for f in first}
    follow = Scope(scope.programmes)
    facts_by_year: dict[int, list[Fact]] = defaultdict(list)
    if later:
        for fact in collect(follow, [y.pk for y in later]):
            if fact.pupil in cohort:
                facts_by_year[fact.year].append(fact)
    steps = []
    for offset, later_year in enumerate(later, start=1):
        facts = facts_by_year.get(later_year.pk, [])
        playing = {f.pupil for f in facts}
        lessons = {f.pupil for f in facts if f.kind == LESSONS}
        switched = {
            f.pupil
            for f in facts
            if f.kind == LESSONS and f.instrument != instrument_at_start.get(f.pupil)
        }
        steps.append(
            Step(
                year=later_year,
                year_group=year_group + offset,
                playing=len(playing),
                in_lessons=len(lessons),
                neighbourhood_orchestra=len(
                    {f.pupil for f in facts if f.kind == EnsembleKind.NEIGHBOURHOOD_ORCHESTRA}
                ),
                secondary=len({f.pupil for f in facts if f.kind == EnsembleKind.SECONDARY}),
                switched=len(switched),
                stopped=len(cohort - playing),
                pct=round(100 * len(playing) / len(cohort)) if cohort else 0,
            )
        )
    result = Continuity(year, year_group, len(cohort), steps)
    if later:
        still = {f.pupil for f in facts_by_year.get(later[0].pk, [])}
        places = school_places(scope.programme_ids)
        stopped = Counter(school_at_start[p] for p in cohort - still)
        result.stopped_at = sorted(
            (Stopped(places[s].school if s in places else "—", n) for s, n in stopped.items()),
            key=lambda s: (-s.children, s.school),
        )
        next_instrument = Counter()
        for fact in facts_by_year.get(later[0].pk, []):
            if fact.kind == LESSONS and fact.instrument == instrument_at_start.get(fact.pupil):
                next_instrument[fact.instrument] += 1
        at_start = Counter(instrument_at_start.values())
        names = {i.pk: i.name for i in InstrumentType.objects.filter(pk__in=list(at_start))}
        result.instruments = sorted(
            ((names.get(i, "—"), n, next_instrument.get(i, 0)) for i, n in at_start.items()),
            key=lambda row: (-row[1], row[0]),
        )
    return result
