"""A small programme with two school years of playing, for the reports' tests: schools in two
districts, lesson groups last year and this year, children who stopped, one who switched
instrument, a leaver who moved on to a neighbourhood orchestra."""

from dataclasses import dataclass, field
from datetime import time

from django.utils import timezone

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    LessonGroup,
    LessonGroupMember,
)
from leerorkest.schools.models import (
    ClassPlacement,
    District,
    Neighbourhood,
    SchoolParticipation,
    SchoolYear,
)
from leerorkest.testing import (
    instrument,
    make_class,
    make_member,
    make_organisation,
    make_pupil,
    make_school,
)


def years() -> tuple[SchoolYear, SchoolYear]:
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return SchoolYear.for_start_year(start - 1), SchoolYear.for_start_year(start)


@dataclass
class World:
    programme: object
    other: object
    coordinator: object
    last: SchoolYear
    now: SchoolYear
    zuidoost: District
    noord: District
    schools: dict = field(default_factory=dict)
    pupils: dict = field(default_factory=dict)  # name -> list of pupils


def _group(programme, school, year, groep, code, pupils, name):
    group = LessonGroup.objects.create(
        organisation=programme,
        school=school,
        school_year=year,
        year_group=groep,
        instrument=instrument(code),
        name=name,
        max_size=8,
    )
    for pupil in pupils:
        LessonGroupMember.objects.create(group=group, pupil=pupil)
    return group


def _place(pupils, school_class):
    for pupil in pupils:
        ClassPlacement.objects.create(pupil=pupil, school_class=school_class)


def build_world() -> World:
    last, now = years()
    programme = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Test")
    other = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Elders")
    coordinator = make_member(programme, Role.COORDINATOR)
    zuidoost = District.objects.create(city="Amsterdam", name="Zuidoost")
    noord = District.objects.create(city="Amsterdam", name="Noord")
    bijlmer = Neighbourhood.objects.create(
        district=zuidoost, name="Bijlmer-Centrum", primary_school_count=12
    )
    gaasperdam = Neighbourhood.objects.create(
        district=zuidoost, name="Gaasperdam", primary_school_count=8
    )
    banne = Neighbourhood.objects.create(district=noord, name="Banne", primary_school_count=10)
    world = World(programme, other, coordinator, last, now, zuidoost, noord)
    for key, hood in (("a", bijlmer), ("b", gaasperdam), ("c", banne)):
        school = make_school(programme, name=f"School {key.upper()}", neighbourhood=hood)
        world.schools[key] = school
        for year in (last, now):
            SchoolParticipation.objects.create(
                school=school,
                school_year=year,
                year_groups=[5, 6, 7, 8],
                music_day=1,
                day_starts_at=time(8, 30),
                day_ends_at=time(15, 0),
            )
    a, b, c = world.schools["a"], world.schools["b"], world.schools["c"]
    # School A: 6 children in groep 5 last year (violin), 5 play on in groep 6 (one on cello),
    # one stopped.
    last5 = make_class(a, year_group=5, school_year=last, name="5A")
    now6 = make_class(a, year_group=6, school_year=now, name="6A")
    stayers = [make_pupil(last5) for _ in range(5)]
    stopped = make_pupil(last5)
    _place(stayers, now6)
    _group(programme, a, last, 5, "violin", [*stayers, stopped], "Viool 5-1")
    _group(programme, a, now, 6, "violin", stayers[:4], "Viool 6-1")
    _group(programme, a, now, 6, "cello", stayers[4:], "Cello 6-1")
    # School B: 3 children in groep 5 last year (trumpet), two stopped.
    b5 = make_class(b, year_group=5, school_year=last, name="5B")
    b6 = make_class(b, year_group=6, school_year=now, name="6B")
    b_stay = make_pupil(b5)
    b_stopped = [make_pupil(b5), make_pupil(b5)]
    _place([b_stay], b6)
    _group(programme, b, last, 5, "trumpet", [b_stay, *b_stopped], "Trompet 5-1")
    _group(programme, b, now, 6, "trumpet", [b_stay], "Trompet 6-1")
    # School C (Noord): 4 children in groep 8 last year; one plays in the talent orchestra now.
    c8 = make_class(c, year_group=8, school_year=last, name="8C")
    leavers = [make_pupil(c8) for _ in range(4)]
    _group(programme, c, last, 8, "flute", leavers, "Dwarsfluit 8-1")
    talent = Ensemble.objects.create(
        organisation=programme,
        kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
        name="Wijktalentorkest Noord",
        school_year=now,
    )
    EnsembleMember.objects.create(ensemble=talent, pupil=leavers[0])
    EnsembleMember.objects.create(
        ensemble=talent, pupil=leavers[1], status=EnsembleMember.Status.WAITING
    )
    # School C this year: a school orchestra of 3 groep-7 children without lessons yet.
    c7 = make_class(c, year_group=7, school_year=now, name="7C")
    players = [make_pupil(c7) for _ in range(3)]
    orchestra = Ensemble.objects.create(
        organisation=programme,
        kind=EnsembleKind.SCHOOL_ORCHESTRA,
        name="Leerorkest C groep 7",
        school_year=now,
        school=c,
        year_group=7,
    )
    for pupil in players:
        EnsembleMember.objects.create(ensemble=orchestra, pupil=pupil)
    # Another programme's children never count.
    elsewhere = make_school(other, name="School Elders", neighbourhood=banne)
    e5 = make_class(elsewhere, year_group=5, school_year=now, name="5E")
    _group(other, elsewhere, now, 5, "violin", [make_pupil(e5) for _ in range(7)], "Viool 5-1")
    world.pupils = {
        "stayers": stayers,
        "stopped": [stopped],
        "b_stay": [b_stay],
        "b_stopped": b_stopped,
        "leavers": leavers,
        "players": players,
    }
    return world
