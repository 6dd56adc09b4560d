"""Last school year's playing history for the Amsterdam programme, so reports on reach and
continuity have a year to look back on (issue 7).

For the year before this one it adds: lesson groups for last year's groep 5–7 (the children in
groep 6–8 now, mostly on the instrument they play now, a few on another one), children who played
last year and then stopped or moved away, last year's groep 8 leavers (a few of whom play on this
year in a neighbourhood talent orchestra or the secondary follow-up), and last year's school
orchestras and neighbourhood talent orchestras.

The step runs last and draws from its own generator, seeded from the demo's, so every step before
it makes exactly the same data as without it. It covers the Amsterdam programme only, which is the
same at every scale.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from leerorkest.accounts.models import Organisation
from leerorkest.demo import data
from leerorkest.demo.programme import amsterdam_schools
from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    InstrumentChoice,
    InstrumentType,
    LessonGroup,
    LessonGroupMember,
    Teacher,
)
from leerorkest.schools.models import (
    ClassPlacement,
    Pupil,
    School,
    SchoolClass,
    SchoolParticipation,
    SchoolYear,
)

SWITCHED = 0.04  # share of last year's players who played another instrument then
STOPPED = (0.04, 0.10)  # children per class who played last year only, as a share of the class
LEAVERS = (23, 27)  # last year's groep 8 pupils per school
PLAY_ON = 0.08  # share of last year's leavers who play on this year
SECONDARY_PLAYERS = 20  # of those, how many in the secondary follow-up (the others: seniors)
TALENT_CHILDREN = (23, 27)  # children per neighbourhood talent orchestra last year
STAYED_IN_TALENT = 0.5  # share of this year's talent orchestra children who also played last year


@dataclass
class Player:
    """A child in a lesson group last year."""

    pupil: Pupil
    school: School
    year_group: int  # last year's groep
    instrument: InstrumentType


@dataclass
class History:
    programme: Organisation
    last: SchoolYear
    now: SchoolYear
    schools: list[School]  # the programme's schools that took part last year, in demo order
    menus: dict[int, list[InstrumentType]]  # school id -> last year's instruments
    rng: random.Random


def step_history(demo) -> None:
    # Its own generator, as in the timetable step: demo.rng moves on by one draw only.
    rng = random.Random(demo.rng.getrandbits(64))
    last, now = demo.years[-1], demo.years[0]
    schools = amsterdam_schools(demo)
    menus = _menus(schools, last)
    if not menus:
        return  # no school took part last year: there is no history to make
    history = History(
        programme=demo.organisations["programme"],
        last=last,
        now=now,
        schools=[s for s in schools if s.pk in menus],
        menus=menus,
        rng=rng,
    )
    players = _players_who_stayed(history)
    players += _children_who_stopped(history)
    leavers = _leavers(history)
    players += leavers
    _lesson_groups(history, players, demo_teacher_email=f"docent@{demo.domain}")
    _school_orchestras(history, players)
    playing_on = _leavers_who_play_on(history, leavers)
    _talent_orchestras(history, players, playing_on)


def _menus(schools: list[School], last: SchoolYear) -> dict[int, list[InstrumentType]]:
    participations = SchoolParticipation.objects.filter(
        school__in=schools, school_year=last
    ).prefetch_related("instruments")
    menus = {p.school_id: sorted(p.instruments.all(), key=_order) for p in participations}
    return {school_id: menu for school_id, menu in menus.items() if menu}


def _order(instrument: InstrumentType) -> tuple[int, str]:
    return instrument.sort_order, instrument.code


def _at(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), timezone.get_current_timezone())


def _child_name(rng: random.Random) -> tuple[str, str, str]:
    prefix, surname = rng.choice(data.CHILD_SURNAMES)
    return rng.choice(data.CHILD_NAMES), prefix, surname


def _new_pupil(h: History, year_group: int, **fields) -> Pupil:
    """A child who was in `year_group` last year and left the programme at the end of it."""
    rng = h.rng
    given, prefix, surname = _child_name(rng)
    # Age on 1 October is groep + 4.
    born = date(h.last.starts_on.year - year_group - 4, 1, 1) + timedelta(days=rng.randint(0, 364))
    with_parent = rng.random() < 0.7
    return Pupil(
        organisation=h.programme,
        given_name=given,
        surname_prefix=prefix,
        surname=surname,
        date_of_birth=born,
        parent_name=f"{rng.choice(data.FIRST_NAMES)} {surname}" if with_parent else "",
        parent_phone=f"06-{rng.randint(10000000, 99999999)}" if with_parent else "",
        left_on=h.last.ends_on,
        **fields,
    )


def _players_who_stayed(h: History) -> list[Player]:
    """Last year's groep 5–7: the children in groep 6–8 now, found by last year's class, on the
    instrument they play now; a few played another one from last year's menu."""
    by_pk = {s.pk: s for s in h.schools}
    placements = (
        ClassPlacement.objects.filter(
            school_year=h.last,
            school_class__school__in=h.schools,
            school_class__year_group__in=(5, 6, 7),
        )
        .select_related("pupil", "school_class")
        .order_by("school_class__school_id", "school_class__name", "pupil_id")
    )
    playing_now = dict(
        LessonGroupMember.objects.filter(school_year=h.now).values_list(
            "pupil_id", "group__instrument_id"
        )
    )
    assigned = dict(
        InstrumentChoice.objects.filter(
            pupil__organisation=h.programme, assigned__isnull=False
        ).values_list("pupil_id", "assigned_id")
    )
    catalogue = {i.pk: i for i in InstrumentType.objects.all()}
    players = []
    for placement in placements:
        school = by_pk[placement.school_class.school_id]
        menu = h.menus[school.pk]
        pupil_id = placement.pupil_id
        instrument = catalogue.get(playing_now.get(pupil_id) or assigned.get(pupil_id))
        if instrument is None:
            instrument = h.rng.choice(menu)
        if h.rng.random() < SWITCHED:
            others = [i for i in menu if i.pk != instrument.pk]
            if others:
                instrument = h.rng.choice(others)
        players.append(
            Player(placement.pupil, school, placement.school_class.year_group, instrument)
        )
    return players


def _children_who_stopped(h: History) -> list[Player]:
    """A few more children per groep 5–7 class last year, who stopped or moved away after it."""
    classes = list(
        SchoolClass.objects.filter(
            school__in=h.schools, school_year=h.last, year_group__in=(5, 6, 7)
        )
        .annotate(size=Count("placements"))
        .order_by("school_id", "name")
    )
    by_pk = {s.pk: s for s in h.schools}
    pupils, plan = [], []
    for school_class in classes:
        menu = h.menus[school_class.school_id]
        for _ in range(round(school_class.size * h.rng.uniform(*STOPPED))):
            pupils.append(_new_pupil(h, school_class.year_group))
            plan.append((school_class, h.rng.choice(menu)))
    pupils = Pupil.objects.bulk_create(pupils)
    ClassPlacement.objects.bulk_create(
        [
            ClassPlacement(pupil=pupil, school_class=school_class, school_year_id=h.last.pk)
            for pupil, (school_class, _instrument) in zip(pupils, plan, strict=True)
        ]
    )
    return [
        Player(pupil, by_pk[school_class.school_id], school_class.year_group, instrument)
        for pupil, (school_class, instrument) in zip(pupils, plan, strict=True)
    ]


def _leavers(h: History) -> list[Player]:
    """Last year's groep 8, who all played and went on to secondary school."""
    classes = {
        (c.school_id, c.name): c
        for c in SchoolClass.objects.filter(school__in=h.schools, school_year=h.last)
    }
    # The same classes as the school's other year groups: 8A, or 8A and 8B.
    letters = {
        school.pk: sorted(
            {name[1:] for school_id, name in classes if school_id == school.pk and name[1:]}
        )
        or ["A"]
        for school in h.schools
    }
    missing = [
        SchoolClass(
            school=school,
            school_year=h.last,
            year_group=8,
            name=f"8{letter}",
            class_teacher=h.rng.choice(data.CLASS_TEACHERS),
        )
        for school in h.schools
        for letter in letters[school.pk]
        if (school.pk, f"8{letter}") not in classes
    ]
    for school_class in SchoolClass.objects.bulk_create(missing):
        classes[(school_class.school_id, school_class.name)] = school_class
    pupils, plan = [], []
    for school in h.schools:
        menu = h.menus[school.pk]
        school_letters = letters[school.pk]
        for index in range(h.rng.randint(*LEAVERS)):
            school_class = classes[(school.pk, f"8{school_letters[index % len(school_letters)]}")]
            pupils.append(_new_pupil(h, 8, secondary_school=h.rng.choice(data.SECONDARY_SCHOOLS)))
            plan.append((school, school_class, menu[index % len(menu)]))
    pupils = Pupil.objects.bulk_create(pupils)
    ClassPlacement.objects.bulk_create(
        [
            ClassPlacement(
                pupil=pupil,
                school_class=school_class,
                school_year_id=h.last.pk,
                is_leaving=True,
            )
            for pupil, (_school, school_class, _instrument) in zip(pupils, plan, strict=True)
        ]
    )
    return [
        Player(pupil, school, 8, instrument)
        for pupil, (school, _class, instrument) in zip(pupils, plan, strict=True)
    ]


def _lesson_groups(h: History, players: list[Player], *, demo_teacher_email: str) -> None:
    """Groups of the instrument's size per school, groep and instrument, named as this year's.
    The demo teacher's groups stay this year's only: their pages show a year in progress."""
    teachers = list(
        Teacher.objects.filter(organisation=h.programme)
        .exclude(email=demo_teacher_email)
        .prefetch_related("instruments")
        .order_by("pk")
    )
    by_instrument: dict[int, list[Teacher]] = {}
    for teacher in teachers:
        for instrument in teacher.instruments.all():
            by_instrument.setdefault(instrument.pk, []).append(teacher)
    position = {s.pk: index for index, s in enumerate(h.schools)}
    sections: dict[tuple, list[Player]] = {}
    for player in players:
        key = (
            position[player.school.pk],
            player.year_group,
            _order(player.instrument),
        )
        sections.setdefault(key, []).append(player)
    load: Counter = Counter()
    groups, members_plan = [], []
    for key in sorted(sections):
        section = sections[key]
        h.rng.shuffle(section)
        first = section[0]
        instrument, size = first.instrument, first.instrument.lesson_group_size
        for number, start in enumerate(range(0, len(section), size), start=1):
            candidates = by_instrument.get(instrument.pk) or teachers
            teacher = min(candidates, key=lambda t: (load[t.pk], t.pk)) if candidates else None
            if teacher is not None:
                load[teacher.pk] += 1
            groups.append(
                LessonGroup(
                    organisation=h.programme,
                    school=first.school,
                    school_year=h.last,
                    year_group=first.year_group,
                    instrument=instrument,
                    teacher=teacher,
                    name=f"{instrument.name_nl} {first.year_group}-{number}",
                    max_size=size,
                )
            )
            members_plan.append(section[start : start + size])
    groups = LessonGroup.objects.bulk_create(groups)
    LessonGroupMember.objects.bulk_create(
        [
            LessonGroupMember(group=group, pupil=player.pupil, school_year=h.last)
            for group, section in zip(groups, members_plan, strict=True)
            for player in section
        ]
    )


def _conductors(h: History) -> list[Teacher]:
    teachers = Teacher.objects.filter(organisation=h.programme).order_by("pk")
    return list(teachers.filter(is_conductor=True)) or list(teachers[:3])


def _school_orchestras(h: History, players: list[Player]) -> None:
    """Last year's orchestra of every groep 5–8 at every school, its lesson-group players in it."""
    conductors = _conductors(h)
    orchestras = Ensemble.objects.bulk_create(
        [
            Ensemble(
                organisation=h.programme,
                kind=EnsembleKind.SCHOOL_ORCHESTRA,
                name=f"Leerorkest {school.organisation.name} groep {year_group}",
                school_year=h.last,
                school=school,
                year_group=year_group,
                conductor=conductors[(index + year_group) % len(conductors)]
                if conductors
                else None,
                venue=f"{school.organisation.name}, aula",
            )
            for index, school in enumerate(h.schools)
            for year_group in (5, 6, 7, 8)
        ]
    )
    by_key = {(e.school_id, e.year_group): e for e in orchestras}
    since = _at(h.last.starts_on + timedelta(days=30))
    EnsembleMember.objects.bulk_create(
        [
            EnsembleMember(
                ensemble=by_key[(player.school.pk, player.year_group)],
                pupil=player.pupil,
                instrument=player.instrument,
                since=since,
            )
            for player in players
        ]
    )


def _leavers_who_play_on(h: History, leavers: list[Player]) -> dict[int, list[Player]]:
    """About one in twelve of last year's leavers plays on this year: as a senior in a
    neighbourhood talent orchestra, or in the secondary follow-up. Returns the seniors per
    talent orchestra of this year (by id)."""
    talent = list(
        Ensemble.objects.filter(
            organisation=h.programme,
            kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
            school_year=h.now,
        ).order_by("pk")
    )
    follow_up = (
        Ensemble.objects.filter(
            organisation=h.programme, kind=EnsembleKind.SECONDARY, school_year=h.now
        )
        .order_by("pk")
        .first()
    )
    playing = h.rng.sample(leavers, k=round(len(leavers) * PLAY_ON))
    in_follow_up = min(SECONDARY_PLAYERS, len(playing) // 2) if follow_up else 0
    if not talent:
        in_follow_up = len(playing) if follow_up else 0
    seniors: dict[int, list[Player]] = {e.pk: [] for e in talent}
    since = _at(h.now.starts_on + timedelta(days=30))
    members = [
        EnsembleMember(
            ensemble=follow_up, pupil=player.pupil, instrument=player.instrument, since=since
        )
        for player in playing[:in_follow_up]
    ]
    for index, player in enumerate(playing[in_follow_up:]):
        if not talent:
            break
        ensemble = talent[index % len(talent)]
        seniors[ensemble.pk].append(player)
        members.append(
            EnsembleMember(
                ensemble=ensemble,
                pupil=player.pupil,
                instrument=player.instrument,
                is_senior=True,
                since=since,
            )
        )
    EnsembleMember.objects.bulk_create(members)
    return seniors


def _talent_orchestras(h: History, players: list[Player], seniors: dict[int, list[Player]]):
    """Last year's neighbourhood talent orchestras: the same three as this year, with children of
    last year's groep 6–8. Half of this year's playing children who were in groep 6 or 7 then,
    and this year's seniors from last year's groep 8, played in the same orchestra last year."""
    this_year = list(
        Ensemble.objects.filter(
            organisation=h.programme,
            kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
            school_year=h.now,
        ).order_by("pk")
    )
    if not this_year:
        return
    eligible = {p.pupil.pk: p for p in players if p.year_group >= 6}
    members_now: dict[int, list[int]] = {e.pk: [] for e in this_year}
    for ensemble_id, pupil_id in (
        EnsembleMember.objects.filter(
            ensemble__in=this_year, is_senior=False, status=EnsembleMember.Status.ACTIVE
        )
        .order_by("pk")
        .values_list("ensemble_id", "pupil_id")
    ):
        members_now[ensemble_id].append(pupil_id)
    last_year = Ensemble.objects.bulk_create(
        [
            Ensemble(
                organisation=h.programme,
                kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
                name=e.name,
                school_year=h.last,
                conductor_id=e.conductor_id,
                venue=e.venue,
                weekday=e.weekday,
                starts_at=e.starts_at,
                ends_at=e.ends_at,
                capacity=e.capacity,
            )
            for e in this_year
        ]
    )
    taken: set[int] = set()  # a child plays in one talent orchestra
    chosen: list[list[Player]] = []
    for ensemble in this_year:
        stayed = [
            eligible[pupil_id]
            for pupil_id in members_now[ensemble.pk]
            if pupil_id in eligible and h.rng.random() < STAYED_IN_TALENT
        ]
        group = [p for p in seniors.get(ensemble.pk, []) + stayed if p.pupil.pk not in taken]
        taken.update(p.pupil.pk for p in group)
        chosen.append(group)
    pool = [p for p in eligible.values() if p.pupil.pk not in taken]
    for group in chosen:
        wanted = max(0, h.rng.randint(*TALENT_CHILDREN) - len(group))
        extra = h.rng.sample(pool, k=min(wanted, len(pool)))
        extra_ids = {p.pupil.pk for p in extra}
        pool = [p for p in pool if p.pupil.pk not in extra_ids]
        group += extra
    since = _at(h.last.starts_on + timedelta(days=45))
    EnsembleMember.objects.bulk_create(
        [
            EnsembleMember(
                ensemble=ensemble,
                pupil=player.pupil,
                instrument=player.instrument,
                since=since,
            )
            for ensemble, group in zip(last_year, chosen, strict=True)
            for player in group
        ]
    )
