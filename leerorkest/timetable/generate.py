"""Seeded generator of realistic Amsterdam-like planning instances in tiers S, M, L and XL."""

from __future__ import annotations

import math
import random
from collections import defaultdict

from .instance import Instance, Lesson, Room, School, Teacher

DAYS = ("mon", "tue", "wed", "thu", "fri")
# tier -> (schools, teachers, probability of a second class per groep)
TIERS = {"S": (4, 20, 0.0), "M": (10, 50, 0.3), "L": (20, 100, 0.8), "XL": (40, 200, 0.55)}
# instrument -> (weight in demand, room feature needed)
INSTRUMENTS = {
    "violin": (5, None),
    "viola": (2, None),
    "cello": (3, None),
    "double_bass": (1, None),
    "flute": (2, None),
    "clarinet": (2, None),
    "trumpet": (2, None),
    "trombone": (1, None),
    "percussion": (2, "percussion"),
    "harp": (1, "harp"),
}
DISTRICTS = [  # Zuidoost, Nieuw-West, Noord, Oost
    (52.315, 4.975),
    (52.365, 4.805),
    (52.395, 4.925),
    (52.355, 4.945),
]
NAMES = [
    "De Regenboog", "Het Palet", "De Kameleon", "De Zonnewijzer", "Polsstok", "De Bijlmer",
    "Het Kompas", "De Horizon", "De Wereldboom", "Het Mozaïek", "De Piramide", "De Toekomst",
    "Het Gein", "De Meeuw", "De Odyssee", "Het Klaverblad", "De Evenaar", "De Vuurtoren",
    "Het Anker", "De Springplank",
]  # fmt: skip


def generate(tier: str = "S", seed: int = 1) -> Instance:
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; choose from {', '.join(TIERS)}")
    n_schools, n_teachers, p_two = TIERS[tier]
    rng = random.Random(f"{tier}-{seed}")  # noqa: S311 - reproducible test data
    schools, rooms, lessons, classes = [], [], [], {}
    demand = dict.fromkeys(INSTRUMENTS, 0)
    instruments = list(INSTRUMENTS)
    weights = [INSTRUMENTS[i][0] for i in instruments]
    for si in range(n_schools):
        sid = f"S{si + 1:02d}"
        lat0, lon0 = DISTRICTS[si % len(DISTRICTS)]
        name = NAMES[si % len(NAMES)] + ("" if si < len(NAMES) else f" {si // len(NAMES) + 1}")
        n_classes = {g: 1 + (rng.random() < p_two) for g in (5, 6, 7, 8)}
        two_days = sum(n_classes.values()) > 5
        days = sorted(
            rng.sample(["mon", "tue", "thu", "fri"], 2 if two_days else 1), key=DAYS.index
        )
        if sum(n_classes.values()) == 4 and rng.random() < 0.15:
            days = ["wed"]
        windows = {d: (510, 735 if d == "wed" else 900) for d in days}
        schools.append(
            School(
                id=sid,
                name=name,
                lat=round(lat0 + rng.uniform(-0.018, 0.018), 5),
                lon=round(lon0 + rng.uniform(-0.03, 0.03), 5),
                music_days=tuple(days),
                windows=windows,
            )
        )
        school_lessons = []
        for g, n in n_classes.items():
            groep_pupils = []
            for c in range(n):
                cid = f"{sid}-{g}{'ABC'[c]}"
                size = rng.randint(20, 27)
                pupils = [f"{cid}-p{k + 1:02d}" for k in range(size)]
                classes[cid] = tuple(pupils)
                groep_pupils.append(cid)
                k = 0
                while k < size:
                    gs = min(size - k, rng.randint(3, 6))
                    if size - k - gs in (1, 2):
                        gs = size - k
                    inst = rng.choices(instruments, weights)[0]
                    dur = 45 if gs >= 5 else rng.choice((30, 40))
                    if g >= 7:
                        dur = max(dur, 40)
                    school_lessons.append(
                        Lesson(
                            id="",
                            school=sid,
                            kind="lesson",
                            instrument=inst,
                            duration=dur,
                            group_size=gs,
                            pupils=tuple(pupils[k : k + gs]),
                            room_feature=INSTRUMENTS[inst][1],
                        )
                    )
                    demand[inst] += dur
                    k += gs
            size = sum(len(classes[c]) for c in groep_pupils)
            school_lessons.append(
                Lesson(
                    id="",
                    school=sid,
                    kind="orchestra",
                    instrument=None,
                    duration=45,
                    group_size=size,
                    classes=tuple(groep_pupils),
                    room_feature="orchestra",
                )
            )
        for k, x in enumerate(school_lessons):
            lessons.append(_with_id(x, f"{sid}-L{k + 1:03d}"))
        load = sum(x.duration for x in school_lessons) / len(days)
        length = windows[days[0]][1] - windows[days[0]][0]
        n_rooms = max(3, math.ceil(load / (0.6 * length)) + 1)
        rooms.append(Room(f"{sid}-aula", sid, 60, ("orchestra",)))
        for r in range(n_rooms - 1):
            feats = ("harp", "percussion") if r == 0 else ()
            rooms.append(Room(f"{sid}-R{r + 1}", sid, 8, feats))

    # Teachers: conductors first, then instrument teachers where demand is least covered.
    uncovered = defaultdict(int)  # (instrument or "conductor", day) -> minutes
    for x in lessons:
        days = schools[int(x.school[1:]) - 1].music_days
        key = "conductor" if x.kind == "orchestra" else x.instrument
        for d in days:
            uncovered[(key, d)] += x.duration // len(days)
    n_conductors = max(2, round(n_teachers * 0.08))
    teachers = []
    for ti in range(n_teachers):
        tid = f"T{ti + 1:03d}"
        conductor = ti < n_conductors

        def need(key):
            return sum(uncovered[(key, d)] for d in DAYS) + rng.random()

        main = max(instruments, key=need)
        insts = (main,)
        if conductor or rng.random() < 0.35:
            second = max((i for i in instruments if i != main), key=need)
            insts += (second,)
        lead = "conductor" if conductor else main
        n_days = rng.choice((3, 4, 4, 5))
        ranked = sorted(DAYS, key=lambda d: -uncovered[(lead, d)] - rng.random())
        avail_days = sorted(ranked[:n_days], key=DAYS.index)
        max_day = rng.choice((300, 360, 390))
        for d in avail_days:
            for key in (lead, *insts):
                uncovered[(key, d)] -= max_day // (len(insts) + conductor)
        availability = {d: ((480, 735 if d == "wed" else 960),) for d in avail_days}
        teachers.append(
            Teacher(
                id=tid,
                name=f"Teacher {ti + 1}",
                instruments=insts,
                conductor=conductor,
                availability=availability,
                max_minutes_day=max_day,
                max_minutes_week=rng.choice((900, 1200, 1500)),
                min_paid_minutes_visit=60,
            )
        )
    # Last year's teacher for some groups.
    by_inst = {i: [t.id for t in teachers if i in t.instruments] for i in instruments}
    final = []
    for x in lessons:
        if x.kind == "lesson" and by_inst[x.instrument] and rng.random() < 0.5:
            x = _with_id(x, x.id, preferred_teacher=rng.choice(by_inst[x.instrument]))
        final.append(x)
    return Instance(
        days=DAYS,
        schools=tuple(schools),
        rooms=tuple(rooms),
        teachers=tuple(teachers),
        lessons=tuple(final),
        classes=classes,
        name=f"generated tier {tier} seed {seed}",
    )


def _with_id(x: Lesson, lid: str, **kw) -> Lesson:
    fields = dict(x.__dict__)
    fields.update(id=lid, **kw)
    return Lesson(**fields)
