"""CP-SAT model of the weekly timetable.

Time is absolute in the week (day index * 1440 + minute), counted in *units* of ``grid``
minutes (5 by default) when every duration, window and fixed start is a multiple of it, else in
minutes. Hard constraints enforced by the model:

* every lesson is placed exactly once, with one qualified teacher (conductor for orchestras)
  and one room of its school that is large enough and has the required feature;
* on one of its school's music days, inside the school window and inside one availability
  window of the chosen teacher (via start-variable domains enforced by the day and teacher
  literals);
* no overlap per teacher and day, per room and per pupil/class. Rooms of one school with the
  same capacity and features are interchangeable: the model only chooses such a *room class*
  (a cumulative constraint with the number of rooms as capacity) and the rooms are assigned
  afterwards, exactly, by interval colouring. Rooms named by a locked or published assignment
  form their own class so they can be kept;
* travel: a teacher's lessons at one school on one day form one *visit* (an interval spanning
  them); two visits of the same teacher on the same day are ordered with the travel time (in
  whole units, rounded up) in between. This is sound (stricter than needed: a teacher never
  returns to a school on the same day);
* max minutes per teacher per day and per week;
* locked assignments are fixed.

Soft objective (weights from ``validator.SOFT_WEIGHTS``): school visits, the span of each
teacher's working day (lessons, idle time and travel), the extra weight of travel between the
visits of a day (exact for up to two visits, more for three or more), short visits, idle
minutes inside visits (counted once more), lessons not given by the preferred teacher, and
changes from the published solution (teacher/day, start or room). Compact school days and load
balance are only scored by the validator.

Solving in stages (``solve``):

1. Start: the hint (by default the greedy result) if it is complete and the validator finds
   no hard violation; it is reported at once as the first timetable. Otherwise the full model
   looks for a first solution, on large instances (above 400 lessons) with each lesson's
   teachers restricted to its preferred and hinted ones plus the few nearest to its school on
   that day in the hint (``max_candidates``), and without probing in presolve (which takes
   minutes on large models).
2. Improve (above 50 lessons): large neighbourhood search. A neighbourhood is one day of a few
   nearby schools or of a few teachers who work near each other (plus two more qualified
   teachers); everything else is fixed. It is solved as a small instance of the same model
   (other lessons of those teachers and schools that day locked, weekly limits reduced by the
   other days) for 0.4 s, starting from the current timetable, and kept if the objective
   (``model_objective``) does not get worse. With two threads two neighbourhoods on different
   days and with different teachers are solved at the same time. Lessons keep their day.
3. Bound, beside the search: per school a small CP-SAT model (teacher per lesson, visits and
   day limits, no times) whose bound, summed over schools, bounds the objective from below
   (``school_bound``; ``simple_bounds`` before that). At or below 50 lessons the full model
   runs for the whole time limit and its own bound counts too.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .instance import Assignment, Instance, Solution
from .validator import SOFT_WEIGHTS

DAY = 1440
AUTO_LARGE = 400  # lessons; above this the automatic settings for large instances apply
AUTO_LNS = 50  # lessons; above this the neighbourhood search improves the first solution
AUTO_CANDIDATES = 6  # teachers (besides preferred and hinted) per lesson on large instances
IDLE_DAY_SCORE = 20  # ranking score of a teacher who has no lessons that day in the hint


@dataclass
class SolveResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    solution: Solution | None
    objective: float | None = None
    bound: float | None = None
    wall_seconds: float = 0.0
    first_feasible_seconds: float | None = None
    explanation: list[str] = field(default_factory=list)
    progress: list[tuple[float, float, float]] = field(default_factory=list)
    model: dict = field(default_factory=dict)  # size and settings of the model that was solved
    bounds: list[tuple[float, float]] = field(default_factory=list)  # (seconds, better bound)


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if lo < hi:
                out.append((lo, hi))
    return out


def candidates(inst: Instance, lesson) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(teacher, day, start ranges within the day) that could hold ``lesson``."""
    school = inst.school(lesson.school)
    out = []
    for t in inst.teachers:
        if not t.qualified(lesson) or t.max_minutes_day < lesson.duration:
            continue
        for d in school.music_days:
            windows = _intersect([school.windows[d]], list(t.availability.get(d, ())))
            starts = [(a, b - lesson.duration) for a, b in windows if b - a >= lesson.duration]
            if starts:
                out.append((t.id, d, starts))
    return out


def explain(inst: Instance) -> list[str]:
    """Necessary conditions checked before solving, in words a coordinator understands."""
    msgs = []
    day_name = {
        "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
        "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
    }  # fmt: skip

    def dn(d):
        return day_name.get(d, d)

    for lesson in inst.lessons:
        school = inst.school(lesson.school)
        what = (
            "orchestra rehearsal"
            if lesson.kind == "orchestra"
            else f"{lesson.label} {'sectional' if lesson.kind == 'sectional' else 'lesson'}"
        )
        if not any(t.qualified(lesson) for t in inst.teachers):
            who = "conductor" if lesson.kind == "orchestra" else f"{lesson.label} teacher"
            msgs.append(f"{school.name} needs a {what} ({lesson.id}); there is no {who} at all.")
        elif not candidates(inst, lesson):
            days = " or ".join(dn(d) for d in school.music_days)
            msgs.append(
                f"{school.name} needs a {what} ({lesson.id}) on {days}; no qualified teacher "
                f"is free long enough ({lesson.duration} minutes) within the school's hours."
            )
        if not inst.suitable_rooms(lesson):
            need = f" with {lesson.room_feature}" if lesson.room_feature else ""
            msgs.append(
                f"{school.name} has no room{need} for {lesson.group_size} pupils "
                f"for the {what} ({lesson.id})."
            )
    # Demand per school, day and instrument (lessons with a single possible day).
    demand = defaultdict(list)
    for lesson in inst.lessons:
        school = inst.school(lesson.school)
        if len(school.music_days) == 1:
            key = "conductor" if lesson.kind == "orchestra" else lesson.instrument
            demand[(school.id, school.music_days[0], key)].append(lesson)
    for (sid, d, key), group in demand.items():
        school = inst.school(sid)
        need = sum(x.duration for x in group)
        win = [school.windows[d]]
        supply, free = 0, 0
        for t in inst.teachers:
            if not t.qualified(group[0]):
                continue
            avail = sum(b - a for a, b in _intersect(win, list(t.availability.get(d, ()))))
            cap = min(avail, t.max_minutes_day, t.max_minutes_week)
            if cap > 0:
                supply += cap
                free += 1
        if need > supply:
            noun = "orchestra rehearsals" if key == "conductor" else f"{key} lessons"
            who = "conductor" if key == "conductor" else f"{key} teacher"
            teachers = {0: f"no {who} is", 1: f"only one {who} is"}.get(
                free, f"only {free} {who}s are"
            )
            msgs.append(
                f"{dn(d)} at {school.name} needs {len(group)} {noun} ({need} minutes); "
                f"{teachers} free that day (at most {supply} minutes)."
            )
    # Room time and pupil time per school day.
    for school in inst.schools:
        if len(school.music_days) != 1:
            continue
        d = school.music_days[0]
        length = school.windows[d][1] - school.windows[d][0]
        mine = [x for x in inst.lessons if x.school == school.id]
        rooms = [r for r in inst.rooms if r.school == school.id]
        if sum(x.duration for x in mine) > length * len(rooms):
            msgs.append(
                f"{dn(d)} at {school.name} has {sum(x.duration for x in mine)} lesson minutes "
                f"but its {len(rooms)} rooms offer only {length * len(rooms)} minutes."
            )
        for feature in sorted({x.room_feature for x in mine if x.room_feature}):
            need = [x for x in mine if x.room_feature == feature]
            fitting = [r for r in rooms if feature in r.features]
            minutes = sum(x.duration for x in need)
            if fitting and minutes > length * len(fitting):
                msgs.append(
                    f"{dn(d)} at {school.name} needs the {feature} room for {len(need)} "
                    f"lessons ({minutes} minutes); the school day is only {length} minutes."
                )
        per_key = defaultdict(int)
        for x in mine:
            for k in inst.attendees(x):
                per_key[k] += x.duration
        for k, m in sorted(per_key.items()):
            if m > length:
                msgs.append(
                    f"{k.split(':', 1)[1]} at {school.name} has {m} minutes of lessons on "
                    f"{dn(d)}, longer than the school day ({length} minutes)."
                )
                break
    # Week capacity per instrument.
    week = defaultdict(int)
    for x in inst.lessons:
        week["conductor" if x.kind == "orchestra" else x.instrument] += x.duration
    for key, need in week.items():
        cap = sum(
            t.max_minutes_week
            for t in inst.teachers
            if (t.conductor if key == "conductor" else key in t.instruments)
        )
        if need > cap:
            msgs.append(
                f"All {key} work together takes {need} minutes a week; the {key} teachers "
                f"may work at most {cap} minutes a week."
            )
    return msgs


def _unit(inst: Instance, grid: int) -> int:
    """Largest divisor of ``grid`` that divides every duration, window and fixed start."""
    g = max(1, int(grid))
    values = [x.duration for x in inst.lessons]
    for s in inst.schools:
        values += [m for w in s.windows.values() for m in w]
    for t in inst.teachers:
        values += [m for ws in t.availability.values() for w in ws for m in w]
    values += [a.start for a in (*inst.locked, *inst.published)]
    for v in values:
        g = math.gcd(g, v)
    return max(1, g)


class _Model:
    """The CP-SAT model with the variables needed to read a solution back."""

    def __init__(self, inst: Instance, hint: Solution | None, max_candidates: int | None, unit):
        self.inst = inst
        self.g = g = unit
        self.m = m = cp_model.CpModel()
        self.day_index = {d: i for i, d in enumerate(inst.days)}
        self.day_units = DAY // g
        locked = {a.lesson: a for a in inst.locked}
        published = {a.lesson: a for a in inst.published}
        self.hint = self._usable_hint(hint)
        complete = len(self.hint) == len(inst.lessons)
        self.hint_values: dict = {}  # variable -> hinted value
        hv = self.hint_values if self.hint else None

        # Room classes: interchangeable rooms of one school (same capacity and features).
        special = {a.room for a in (*inst.locked, *inst.published)}
        self.room_class = {}
        self.class_rooms = defaultdict(list)
        for r in inst.rooms:
            key = (r.id,) if r.id in special else (r.school, r.capacity, tuple(sorted(r.features)))
            self.room_class[r.id] = key
            self.class_rooms[key].append(r)

        # Ranking of teachers for the candidate restriction, from the hint.
        hinted_schools = defaultdict(set)  # (teacher, day) -> schools
        hinted_load = defaultdict(int)
        for a in self.hint.values():
            hinted_schools[(a.teacher, a.day)].add(inst.lesson(a.lesson).school)
            hinted_load[a.teacher] += inst.lesson(a.lesson).duration
        teacher_pos = {t.id: i for i, t in enumerate(inst.teachers)}

        self.start, self.dur = {}, {}
        self.z = {}  # lesson -> {day: literal or True}
        self.x = {}  # lesson -> {(teacher, day): literal}
        self.c = {}  # lesson -> {room class: literal or True}
        teacher_iv = defaultdict(list)
        class_iv = defaultdict(list)
        key_iv = defaultdict(list)
        day_load = defaultdict(list)
        week_load = defaultdict(list)
        at_school = defaultdict(list)  # (teacher, day, school) -> [(lesson, literal)]
        day_lessons = defaultdict(list)  # (teacher, day) -> [(lesson, literal)]
        cost = []
        n_candidates = 0
        for lesson in inst.lessons:
            lid = lesson.id
            dur = lesson.duration // g
            self.dur[lid] = dur
            cands = candidates(inst, lesson)
            lock = locked.get(lid)
            h = self.hint.get(lid)
            pub = published.get(lid)
            if lock:
                cands = [
                    (t, d, [(lock.start, lock.start)])
                    for t, d, _ in cands
                    if t == lock.teacher and d == lock.day
                ] or [(lock.teacher, lock.day, [(lock.start, lock.start)])]
            elif max_candidates is not None:
                keep = {(t, d) for t, d, _ in cands if t == lesson.preferred_teacher}
                for a in (h, pub):
                    if a is not None:
                        keep.add((a.teacher, a.day))

                def score(c, school=lesson.school):
                    there = hinted_schools.get((c[0], c[1]))
                    if not there:
                        near = IDLE_DAY_SCORE
                    elif school in there:
                        near = 0
                    else:
                        near = min(inst.travel_minutes(s, school) for s in there)
                    return (near, hinted_load[c[0]], teacher_pos[c[0]], c[1])

                others = sorted((c for c in cands if (c[0], c[1]) not in keep), key=score)
                chosen = keep | {(t, d) for t, d, _ in others[:max_candidates]}
                cands = [c for c in cands if (c[0], c[1]) in chosen]
            n_candidates += len(cands)
            by_day = defaultdict(list)
            for t, d, ranges in cands:
                off = self.day_index[d] * self.day_units
                units = [(off + -(-a // g), off + b // g) for a, b in ranges]
                by_day[d].append((t, [(a, b) for a, b in units if a <= b]))
            day_ranges = {
                d: _merge([r for _, rs in items for r in rs]) for d, items in by_day.items()
            }
            dom = cp_model.Domain.from_intervals(
                [list(r) for d in sorted(day_ranges, key=self.day_index.get) for r in day_ranges[d]]
            )
            s = m.new_int_var_from_domain(dom, f"s_{lid}")
            self.start[lid] = s
            if h is not None:
                hv[s] = (self.day_index[h.day] * DAY + h.start) // g
            # Day literals (only when the school has more than one possible day).
            zl = {}
            if len(day_ranges) == 1:
                zl[next(iter(day_ranges))] = True
            else:
                for d, ranges in day_ranges.items():
                    lit = m.new_bool_var(f"z_{lid}_{d}")
                    m.add_linear_expression_in_domain(
                        s, cp_model.Domain.from_intervals([list(r) for r in ranges])
                    ).only_enforce_if(lit)
                    zl[d] = lit
                    if h is not None:
                        hv[lit] = int(h.day == d)
                m.add_exactly_one(zl.values())
            self.z[lid] = zl
            xl = {}
            for d, items in by_day.items():
                lits = []
                for t, ranges in items:
                    lit = m.new_bool_var(f"x_{lid}_{t}_{d}")
                    if _merge(ranges) != day_ranges[d]:
                        m.add_linear_expression_in_domain(
                            s, cp_model.Domain.from_intervals([list(r) for r in ranges])
                        ).only_enforce_if(lit)
                    teacher_iv[(t, d)].append(
                        m.new_optional_fixed_size_interval_var(s, dur, lit, f"it_{lid}_{t}")
                    )
                    day_load[(t, d)].append((lesson.duration, lit))
                    week_load[t].append((lesson.duration, lit))
                    at_school[(t, d, lesson.school)].append((lesson, lit))
                    day_lessons[(t, d)].append((lesson, lit))
                    xl[(t, d)] = lit
                    lits.append(lit)
                    if h is not None:
                        hv[lit] = int(h.teacher == t and h.day == d)
                if zl[d] is True:
                    m.add_exactly_one(lits)
                else:
                    m.add(sum(lits) == zl[d])
            self.x[lid] = xl
            # Room classes.
            rooms = inst.suitable_rooms(lesson)
            if lock:
                rooms = [r for r in rooms if r.id == lock.room] or [inst.room(lock.room)]
            classes = list(dict.fromkeys(self.room_class[r.id] for r in rooms))
            cl = {}
            if len(classes) == 1:
                cl[classes[0]] = True
                class_iv[classes[0]].append(m.new_fixed_size_interval_var(s, dur, f"ic_{lid}"))
            else:
                for key in classes:
                    lit = m.new_bool_var(f"c_{lid}_{'_'.join(map(str, key))}")
                    cl[key] = lit
                    class_iv[key].append(
                        m.new_optional_fixed_size_interval_var(s, dur, lit, f"ic_{lid}")
                    )
                    if h is not None:
                        hv[lit] = int(self.room_class.get(h.room) == key)
                m.add_exactly_one(cl.values())
            self.c[lid] = cl
            fixed_iv = m.new_fixed_size_interval_var(s, dur, f"i_{lid}")
            for k in inst.attendees(lesson):
                key_iv[k].append((lid, fixed_iv))
            # Soft: preferred teacher, published solution.
            if lesson.preferred_teacher:
                pref = [v for (t, _), v in xl.items() if t == lesson.preferred_teacher]
                cost.append(SOFT_WEIGHTS["preferred_teacher_changes"] * (1 - sum(pref)))
            if pub and not lock:
                same_td = xl.get((pub.teacher, pub.day))
                same_room = cl.get(self.room_class.get(pub.room))
                same = m.new_bool_var(f"same_{lid}")
                target = (self.day_index[pub.day] * DAY + pub.start) // g
                if same_td is None or same_room is None or not dom.contains(target):
                    m.add(same == 0)
                else:
                    m.add(s == target).only_enforce_if(same)
                    m.add_implication(same, same_td)
                    if same_room is not True:
                        m.add_implication(same, same_room)
                if h is not None:
                    hv[same] = int(
                        h.teacher == pub.teacher
                        and h.day == pub.day
                        and h.start == pub.start
                        and h.room == pub.room
                        and same_td is not None
                        and same_room is not None
                        and dom.contains(target)
                    )
                cost.append(SOFT_WEIGHTS["published_changes"] * (1 - same))

        for ivs in teacher_iv.values():
            if len(ivs) > 1:
                m.add_no_overlap(ivs)
        for key, ivs in class_iv.items():
            n = len(self.class_rooms[key])
            if len(ivs) > n:
                if n == 1:
                    m.add_no_overlap(ivs)
                else:
                    m.add_cumulative(ivs, [1] * len(ivs), n)
        seen_sets = set()
        for items in key_iv.values():
            ids = frozenset(lid for lid, _ in items)
            if len(items) > 1 and ids not in seen_sets:
                seen_sets.add(ids)
                m.add_no_overlap([iv for _, iv in items])
        for t in inst.teachers:
            load = week_load.get(t.id, [])
            if sum(d for d, _ in load) > t.max_minutes_week:
                m.add(sum(d * lit for d, lit in load) <= t.max_minutes_week)
        for (tid, _d), load in day_load.items():
            if sum(d for d, _ in load) > inst.teacher(tid).max_minutes_day:
                m.add(sum(d * lit for d, lit in load) <= inst.teacher(tid).max_minutes_day)

        # Visits: one interval per teacher, day and school covering that teacher's lessons there.
        w_idle = SOFT_WEIGHTS["idle_gap_minutes"]
        w_short = SOFT_WEIGHTS["short_visit_minutes"]
        w_travel_extra = SOFT_WEIGHTS["travel_minutes"] - w_idle
        hinted_span = {}
        if complete:
            for a in self.hint.values():
                lesson = inst.lesson(a.lesson)
                off = self.day_index[a.day] * self.day_units
                key = (a.teacher, a.day, lesson.school)
                lo, hi = hinted_span.get(key, (None, None))
                s0, e0 = off + a.start // g, off + a.start // g + self.dur[a.lesson]
                hinted_span[key] = (
                    s0 if lo is None else min(lo, s0),
                    e0 if hi is None else max(hi, e0),
                )
        visits = defaultdict(list)
        n_visits = 0
        for (tid, d, sid), items in at_school.items():
            off = self.day_index[d] * self.day_units
            w0, w1 = inst.school(sid).windows[d]
            lo, hi = off + w0 // g, off + -(-w1 // g)
            v = m.new_bool_var(f"v_{tid}_{d}_{sid}")
            vs = m.new_int_var(lo, hi, f"vs_{tid}_{d}_{sid}")
            ve = m.new_int_var(lo, hi, f"ve_{tid}_{d}_{sid}")
            n_visits += 1
            m.add(vs <= ve)
            for lesson, lit in items:
                m.add_implication(lit, v)
                m.add(vs <= self.start[lesson.id]).only_enforce_if(lit)
                m.add(ve >= self.start[lesson.id] + self.dur[lesson.id]).only_enforce_if(lit)
            m.add_bool_or([lit for _, lit in items]).only_enforce_if(v)
            m.add(ve == vs).only_enforce_if(~v)
            m.add(ve - vs >= sum(self.dur[lesson.id] * lit for lesson, lit in items))
            cost.append(SOFT_WEIGHTS["school_visits"] * v)
            cost.append(w_idle * g * (ve - vs))
            span = hinted_span.get((tid, d, sid))
            if complete:
                hv[v] = int(span is not None)
                hv[vs], hv[ve] = span or (lo, lo)
            paid = inst.teacher(tid).min_paid_minutes_visit
            if paid > 0 and w_short:
                short = m.new_int_var(0, paid, f"sv_{tid}_{d}_{sid}")
                m.add(short >= paid * v - g * (ve - vs))
                cost.append(w_short * short)
                if complete:
                    hv[short] = max(0, paid - g * (span[1] - span[0])) if span else 0
            visits[(tid, d)].append((sid, v, vs, ve))
        n_order = 0
        for (tid, d), vis in visits.items():
            mode = inst.teacher(tid).travel
            off = self.day_index[d] * self.day_units
            # The teacher's working day: from the first lesson to the last, travel included.
            ds = m.new_int_var(off, off + self.day_units, f"ds_{tid}_{d}")
            de = m.new_int_var(off, off + self.day_units, f"de_{tid}_{d}")
            m.add(ds <= de)
            cost.append(w_idle * g * (de - ds))
            for _sid, v, vs, ve in vis:
                m.add(ds <= vs).only_enforce_if(v)
                m.add(de >= ve).only_enforce_if(v)
            m.add(de - ds >= sum(self.dur[x.id] * lit for x, lit in day_lessons[(tid, d)]))
            if complete:
                spans = [hv[vs] for _s, v, vs, _e in vis if hv[v]]
                ends = [hv[ve] for _s, v, _vs, ve in vis if hv[v]]
                hv[ds] = min(spans, default=off)
                hv[de] = max(ends, default=off)
            for i, (s1, v1, a1, e1) in enumerate(vis):
                for s2, v2, a2, e2 in vis[i + 1 :]:
                    n_order += 1
                    before = m.new_bool_var(f"o_{tid}_{d}_{s1}_{s2}")
                    t12 = -(-inst.travel_minutes(s1, s2, mode) // g)
                    t21 = -(-inst.travel_minutes(s2, s1, mode) // g)
                    m.add(e1 + t12 <= a2).only_enforce_if([v1, v2, before])
                    m.add(e2 + t21 <= a1).only_enforce_if([v1, v2, ~before])
                    if complete:
                        hv[before] = int(hv[a1] <= hv[a2])
                    if w_travel_extra > 0:
                        both = m.new_bool_var(f"p_{tid}_{d}_{s1}_{s2}")
                        m.add_bool_or([~v1, ~v2, both])
                        minutes = min(
                            inst.travel_minutes(s1, s2, mode), inst.travel_minutes(s2, s1, mode)
                        )
                        cost.append(w_travel_extra * minutes * both)
                        if complete:
                            hv[both] = int(hv[v1] and hv[v2])

        # Visit spans and working days both include the lesson minutes: subtract that constant
        # so the objective counts idle minutes only.
        lesson_minutes = 2 * w_idle * sum(x.duration for x in inst.lessons)
        m.minimize(sum(cost) - lesson_minutes)
        for var, value in self.hint_values.items():
            m.add_hint(var, value)
        self.size = {
            "lessons": len(inst.lessons),
            "unit_minutes": g,
            "max_candidates": max_candidates,
            "teacher_candidates": n_candidates,
            "visits": n_visits,
            "visit_pairs": n_order,
            "room_classes": len(class_iv),
            "hint": "complete" if complete else ("partial" if self.hint else "none"),
        }

    def _usable_hint(self, hint: Solution | None) -> dict[str, Assignment]:
        if hint is None:
            return {}
        inst = self.inst
        out = {}
        for a in hint.assignments:
            if (
                inst.has("lesson", a.lesson)
                and inst.has("teacher", a.teacher)
                and inst.has("room", a.room)
                and a.day in self.day_index
            ):
                out[a.lesson] = a
        return out

    def read(self, value) -> Solution:
        """The solution given ``value(variable)``, with rooms assigned within each class."""
        inst, g = self.inst, self.g
        picked = {}
        per_class = defaultdict(list)
        for lesson in inst.lessons:
            lid = lesson.id
            s = value(self.start[lid]) * g
            day = inst.days[s // DAY]
            teacher = next(t for (t, d), lit in self.x[lid].items() if d == day and value(lit))
            key = next(k for k, lit in self.c[lid].items() if lit is True or value(lit))
            picked[lid] = (teacher, day, s % DAY)
            per_class[(key, day)].append((s % DAY, s % DAY + lesson.duration, lid))
        room_of = {}
        for (key, _day), items in per_class.items():
            rooms = [r.id for r in self.class_rooms[key]]
            free_at = dict.fromkeys(rooms, -1)
            for s, e, lid in sorted(items):
                wish = self.hint.get(lid)
                options = ([wish.room] if wish and wish.room in free_at else []) + rooms
                room = next(r for r in options if free_at[r] <= s)
                free_at[room] = e
                room_of[lid] = room
        rows = tuple(
            Assignment(lesson.id, picked[lesson.id][0], room_of[lesson.id], *picked[lesson.id][1:])
            for lesson in inst.lessons
        )
        return Solution(rows)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def model_objective(inst: Instance, rows: dict[str, Assignment], unit: int = 1) -> int:
    """The CP-SAT objective of a complete timetable, computed without the solver.

    ``rows`` maps every lesson id to its assignment. Used to report progress while the
    timetable is improved piece by piece.
    """
    w_idle = SOFT_WEIGHTS["idle_gap_minutes"]
    w_short = SOFT_WEIGHTS["short_visit_minutes"]
    w_extra = SOFT_WEIGHTS["travel_minutes"] - w_idle
    locked = {a.lesson for a in inst.locked}
    published = {a.lesson: a for a in inst.published if a.lesson not in locked}
    total = 0
    visit = {}  # (teacher, day, school) -> [first start, last end]
    for lid, a in rows.items():
        lesson = inst.lesson(lid)
        if lesson.preferred_teacher and a.teacher != lesson.preferred_teacher:
            total += SOFT_WEIGHTS["preferred_teacher_changes"]
        pub = published.get(lid)
        if pub is not None and pub != a:
            total += SOFT_WEIGHTS["published_changes"]
        key = (a.teacher, a.day, lesson.school)
        span = visit.setdefault(key, [a.start, a.start + lesson.duration])
        span[0] = min(span[0], a.start)
        span[1] = max(span[1], a.start + lesson.duration)
        total -= 2 * w_idle * lesson.duration
    days = defaultdict(list)
    for (tid, d, sid), (s, e) in visit.items():
        days[(tid, d)].append((sid, s, e))
        total += SOFT_WEIGHTS["school_visits"] + w_idle * (e - s)
        paid = inst.teacher(tid).min_paid_minutes_visit
        if paid > 0 and w_short:
            total += w_short * max(0, paid - (e - s))
    for (tid, _d), vis in days.items():
        total += w_idle * (max(e for _, _, e in vis) - min(s for _, s, _ in vis))
        if w_extra > 0:
            mode = inst.teacher(tid).travel
            for i, (s1, _, _) in enumerate(vis):
                for s2, _, _ in vis[i + 1 :]:
                    minutes = min(
                        inst.travel_minutes(s1, s2, mode), inst.travel_minutes(s2, s1, mode)
                    )
                    total += w_extra * minutes
    return total


def simple_bounds(inst: Instance) -> dict[str, int]:
    """Per school, a sound lower bound of its share of the CP-SAT objective; no solver needed.

    The objective is at least, per school, the visit weight times the visits it gets (the span
    terms cover the lesson minutes). One visit covers at most one teacher's day (or the
    school window), and at most as many instruments (conductor counted as one) as the most
    versatile teacher plays.
    """
    day_cap = max((t.max_minutes_day for t in inst.teachers), default=0)
    per_teacher = max((len(t.instruments) + t.conductor for t in inst.teachers), default=1)
    minutes = defaultdict(int)
    keys = defaultdict(set)
    for x in inst.lessons:
        minutes[x.school] += x.duration
        keys[x.school].add("conductor" if x.kind == "orchestra" else x.instrument)
    out = {}
    for sid, m in minutes.items():
        school = inst.school(sid)
        window = max((b - a for d, (a, b) in school.windows.items() if d in school.music_days))
        cap = max(1, min(day_cap, window))
        visits = max(-(-m // cap), -(-len(keys[sid]) // max(1, per_teacher)))
        out[sid] = SOFT_WEIGHTS["school_visits"] * visits
    return out


def school_bound(inst: Instance, sid: str, time_limit: float, workers: int = 1) -> int:
    """A sound lower bound of school ``sid``'s share of the CP-SAT objective, by CP-SAT.

    Per school the objective counts at least: the visit weight per (teacher, day) visit, the
    minutes a visit is paid but not worked, and the preferred-teacher changes. This model
    chooses a qualified, available teacher per lesson with the teacher's day limit as the
    only capacity (no times, travel or other schools), so its optimum, or the bound CP-SAT
    proves for it, bounds the school's share from below; the sum over schools bounds the
    whole objective.
    """
    m = cp_model.CpModel()
    lessons = [x for x in inst.lessons if x.school == sid]
    locked = {a.lesson: a for a in inst.locked}
    school = inst.school(sid)
    pick = defaultdict(list)  # (teacher, day) -> [(lesson, literal)]
    cost = []
    for x in lessons:
        lits = []
        for t, d, _ranges in candidates(inst, x):
            lock = locked.get(x.id)
            if lock is not None and (lock.teacher, lock.day) != (t, d):
                continue
            lit = m.new_bool_var("")
            pick[(t, d)].append((x, lit))
            lits.append((t, lit))
        if not lits:
            return 0  # nothing sound to say; the solver reports the conflict itself
        m.add_exactly_one(lit for _, lit in lits)
        if x.preferred_teacher:
            pref = [lit for t, lit in lits if t == x.preferred_teacher]
            cost.append(SOFT_WEIGHTS["preferred_teacher_changes"] * (1 - sum(pref)))
    for (tid, d), items in pick.items():
        t = inst.teacher(tid)
        w0, w1 = school.windows[d]
        free = sum(b - a for a, b in _intersect([(w0, w1)], list(t.availability.get(d, ()))))
        cap = min(t.max_minutes_day, t.max_minutes_week, free)
        y = m.new_bool_var("")
        work = sum(x.duration * lit for x, lit in items)
        m.add(work <= cap * y)
        cost.append(SOFT_WEIGHTS["school_visits"] * y)
        if t.min_paid_minutes_visit and SOFT_WEIGHTS["short_visit_minutes"]:
            short = m.new_int_var(0, t.min_paid_minutes_visit, "")
            m.add(short >= t.min_paid_minutes_visit * y - work)
            cost.append(SOFT_WEIGHTS["short_visit_minutes"] * short)
    m.minimize(sum(cost))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    status = solver.solve(m)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return max(0, math.floor(solver.best_objective_bound + 1e-6))
    return 0


def _bound_worker(inst: Instance, run, done: threading.Event, deadline: float) -> None:
    """Raise the run's bound school by school (simple bounds first, then CP-SAT bounds)."""
    parts = simple_bounds(inst)
    run.raise_bound(sum(parts.values()))
    for sid in sorted(parts, key=lambda s: -parts[s]):
        left = deadline - run.elapsed()
        if done.is_set() or left < 0.5:
            return
        value = school_bound(inst, sid, min(BOUND_SCHOOL_SECONDS, left / 2))
        if value > parts[sid]:
            parts[sid] = value
            run.raise_bound(sum(parts.values()))


class _Run:
    """One solve call: progress log, throttled ``on_solution`` and the best timetable so far.

    Solutions may come from several threads (the full model's solver threads, the lanes of
    the neighbourhood search); only better ones are kept. The lanes defer their reports to the
    caller's thread, which passes them on between its own neighbourhoods.
    """

    def __init__(self, t0, on_progress, on_solution, interval):
        self.t0, self.on_progress, self.on_solution = t0, on_progress, on_solution
        self.interval = interval
        self.lock = threading.Lock()
        self.report_lock = threading.Lock()
        self.log: list[tuple[float, float, float]] = []
        self.queue: list[tuple[float, float, float]] = []  # rows not yet reported
        self.best: Solution | None = None
        self.objective: float | None = None
        self.bound: float | None = None
        self.version = 0  # counts accepted solutions
        self.bounds: list[tuple[float, float]] = []
        self.lns: dict = {}  # counts of the neighbourhood search
        self.sent_at = None  # time of the last solution passed to on_solution
        self.pending = False  # a better solution than the last one sent exists

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def raise_bound(self, bound: float) -> None:
        with self.lock:
            if self.bound is None or bound > self.bound:
                self.bound = bound
                self.bounds.append((self.elapsed(), bound))

    def offer(self, objective: float, solution: Solution, defer: bool = False) -> bool:
        """Keep ``solution`` if it is better than the best so far and report it (now, or at
        the caller's next ``report`` if ``defer``)."""
        with self.lock:
            if self.objective is not None and objective >= self.objective:
                return False
            self.objective, self.best = objective, solution
            self.version += 1
            if self.bound is not None and self.bound > objective:
                self.bound = objective  # a bound from another model may not be below it
            row = (self.elapsed(), objective, self.bound if self.bound is not None else objective)
            self.log.append(row)
            self.queue.append(row)
            self.pending = True
        if not defer:
            self.report()
        return True

    def report(self, final: bool = False) -> None:
        """Pass queued progress rows on, and the best timetable if one is due (or ``final``)."""
        with self.report_lock:
            with self.lock:
                rows, self.queue = self.queue, []
                due = self.pending and (
                    final or self.sent_at is None or self.elapsed() - self.sent_at >= self.interval
                )
                best, objective, bound = self.best, self.objective, self.bound
                found = self.log[-1][0] if self.log else self.elapsed()
                if due:
                    self.pending = False
                    self.sent_at = self.elapsed()
            if self.on_progress:
                for row in rows:
                    self.on_progress(*row)
            if self.on_solution and due:
                stats = {"solver": "cp-sat", "status": "FEASIBLE", "objective": objective}
                stats |= {"bound": bound, "seconds": round(found, 3)}  # when it was found
                self.on_solution(Solution(best.assignments, stats))


class _Progress(cp_model.CpSolverSolutionCallback):
    """Offers each solution of a full model to the run.

    ``exact``: report the model's objective as it is (single producer); otherwise recompute
    it without slack so it compares with the neighbourhood search.
    """

    def __init__(self, run: _Run, model: _Model, exact: bool, stop_after_first: bool = False):
        super().__init__()
        self.run, self.model, self.exact = run, model, exact
        self.stop_after_first = stop_after_first

    def on_solution_callback(self):
        sol = self.model.read(self.Value)
        if self.exact:
            self.run.raise_bound(self.BestObjectiveBound())
            objective = self.ObjectiveValue()
        else:  # another model (restricted, or beside the neighbourhood search)
            rows = {a.lesson: a for a in sol.assignments}
            objective = model_objective(self.model.inst, rows, self.model.g)
        self.run.offer(objective, sol)
        if self.stop_after_first:
            self.StopSearch()


def solve(
    inst: Instance,
    time_limit: float = 10.0,
    threads: int = 2,
    seed: int = 1,
    on_progress=None,
    hint: Solution | None = None,
    *,
    on_solution=None,
    solution_interval: float = 2.0,
    max_candidates: int | str | None = "auto",
    grid: int = 5,
    greedy_hint: bool = True,
    lns: bool | str = "auto",
    parameters: dict | None = None,
    log_search: bool = False,
) -> SolveResult:
    """Solve ``inst`` within ``time_limit`` wall seconds (model building included).

    ``on_progress(seconds, objective, bound)`` is called for each better solution;
    ``on_solution(solution)`` with the best timetable so far, at most once every
    ``solution_interval`` seconds and once more at the end if the last one was held back.
    Without ``hint`` the greedy result is the hint (unless ``greedy_hint`` is false).

    ``lns`` (``"auto"``: above 50 lessons) starts from the hint if it is complete and free
    of hard violations (else from the first solution of the full model), then improves it by
    re-solving one day of a few nearby schools or teachers at a time, with per-school lower
    bounds computed beside it (see the module docs). ``max_candidates`` limits the teachers
    per lesson in the full model (``"auto"``: 6 when it only has to find the first solution of
    an instance above 400 lessons, else all; ``None``: all); the bound of a restricted model
    is not reported. ``grid`` is the start-time step in minutes where the data allow it.
    ``parameters`` are extra CP-SAT parameters of the full model.
    """
    t0 = time.monotonic()
    limit = float(time_limit)
    reasons = explain(inst)
    if reasons:
        return SolveResult(
            "INFEASIBLE", None, wall_seconds=time.monotonic() - t0, explanation=reasons
        )
    large = len(inst.lessons) > AUTO_LARGE
    if lns == "auto":
        lns = len(inst.lessons) > AUTO_LNS
    if hint is None and greedy_hint:
        from .greedy import solve_greedy

        hint = solve_greedy(inst)
    unit = _unit(inst, grid)
    run = _Run(t0, on_progress, on_solution, solution_interval)
    params = {"cp_model_probing_level": 0} if large else {}
    params |= parameters or {}
    if lns:
        status, size = _solve_lns(inst, run, hint, max_candidates, unit, limit, threads, seed,
                                  params, log_search)  # fmt: skip
    else:
        if max_candidates == "auto":
            max_candidates = None
        model = _Model(inst, hint, max_candidates, unit)
        size = model.size
        done = threading.Event()
        thread = _start_bound(inst, run, done, limit, threads)
        solver = _solver(limit - run.elapsed(), threads, seed, params, log_search)
        exact = max_candidates is None  # a restricted model's bound is not reported
        code = solver.solve(model.m, _Progress(run, model, exact=exact))
        _stop_bound(thread, done)
        status = solver.status_name(code)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and exact:
            run.raise_bound(solver.best_objective_bound)
    name = status
    result = SolveResult(
        name,
        None,
        wall_seconds=run.elapsed(),
        first_feasible_seconds=run.log[0][0] if run.log else None,
        progress=run.log,
        model=dict(size, lns=run.lns or False),
        bounds=run.bounds,
    )
    if run.best is not None:
        result.objective, result.bound = run.objective, run.bound
        result.solution = Solution(
            run.best.assignments,
            {
                "solver": "cp-sat",
                "status": name,
                "objective": result.objective,
                "bound": result.bound,
                "wall_seconds": round(result.wall_seconds, 3),
                "first_feasible_seconds": result.first_feasible_seconds,
            },
        )
        run.best = result.solution
        run.report(final=True)
    elif name == "INFEASIBLE":
        result.explanation = [
            "No timetable satisfies all hard rules, and no single simple cause was found: "
            "the combination of teacher availability, travel, rooms and working-hour limits "
            "is too tight. Try freeing teachers, adding rooms or unlocking lessons."
        ]
    return result


BOUND_SCHOOL_SECONDS = 1.0  # time limit of the lower bound model of one school
LNS_STEP_SECONDS = 0.4  # time limit of one neighbourhood
LNS_EXTRA_TEACHERS = 2  # teachers added to a neighbourhood besides those already in it
LNS_START_SIZE = 20  # lessons in the first neighbourhood; adapted while searching
LNS_MIN_SIZE = 12.0
LNS_SCHOOL_SHARE = 0.5  # share of neighbourhoods made of nearby schools (else teachers)
LNS_PARAMS = {
    "max_presolve_iterations": 1,
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
    "linearization_level": 0,
}
LNS_LANES = 2  # neighbourhoods solved at the same time (at most ``threads``)


def _solver(limit, workers, seed, params, log_search=False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.2, limit)
    p.num_workers = max(1, int(workers))
    p.random_seed = int(seed)
    p.log_search_progress = bool(log_search)
    for key, value in params.items():
        setattr(p, key, value)
    return solver


def _solve_lns(inst, run, hint, max_candidates, unit, limit, threads, seed, params, log_search):
    """Start from a valid timetable, then improve it by neighbourhoods; returns (status, size)."""
    from .validator import check

    start = None
    complete = hint is not None and len(hint.assignments) == len(inst.lessons)
    if complete and check(inst, hint).hard_total == 0:
        start = hint
    size = {}
    if start is None:
        # Stage 1: a first solution from the full model with few teachers per lesson.
        large = len(inst.lessons) > AUTO_LARGE
        cap = (AUTO_CANDIDATES if large else None) if max_candidates == "auto" else max_candidates
        model = _Model(inst, hint, cap if hint is not None else None, unit)
        size = model.size
        solver = _solver(limit - run.elapsed(), threads, seed, params, log_search)
        status = solver.solve(model.m, _Progress(run, model, exact=False, stop_after_first=True))
        if status == cp_model.INFEASIBLE and model.size["max_candidates"] is not None:
            model = _Model(inst, hint, None, unit)
            size = model.size
            solver = _solver(limit - run.elapsed(), threads, seed, params, log_search)
            status = solver.solve(model.m, _Progress(run, model, False, stop_after_first=True))
        if run.best is None:
            return solver.status_name(status), size
    else:
        rows = {a.lesson: a for a in start.assignments}
        run.offer(model_objective(inst, rows, unit), Solution(start.assignments))
    if limit - run.elapsed() < 0.5:
        return "FEASIBLE", size
    done = threading.Event()
    thread = _start_bound(inst, run, done, limit, threads)
    _improve(inst, run, unit, limit, max(1, min(LNS_LANES, int(threads))), seed, done)
    _stop_bound(thread, done)
    size = size or {"lessons": len(inst.lessons), "unit_minutes": unit, "hint": "complete"}
    if run.bound is not None and run.objective <= run.bound:
        return "OPTIMAL", size
    return "FEASIBLE", size


def _start_bound(inst, run, done, deadline, threads) -> threading.Thread | None:
    """The school lower bounds in a thread beside the search (with two threads or more)."""
    run.raise_bound(sum(simple_bounds(inst).values()))
    if int(threads) < 2:
        return None
    thread = threading.Thread(
        target=_bound_worker, args=(inst, run, done, deadline), name="timetable-bound", daemon=True
    )
    thread.start()
    return thread


def _stop_bound(thread, done) -> None:
    done.set()
    if thread is not None:
        thread.join()


def _improve(inst, run: _Run, unit: int, deadline: float, lanes: int, seed: int, done):
    """Large neighbourhood search: re-solve one day of a few schools or teachers at a time.

    ``lanes`` neighbourhoods are solved at the same time, each on its own day and with its own
    teachers, so their changes are independent and can be applied one by one.
    """
    state = _Search(inst, run, unit, deadline)
    threads = [
        threading.Thread(target=state.lane, args=(seed * 7919 + i, False), daemon=True)
        for i in range(1, max(1, lanes))
    ]
    for t in threads:
        t.start()
    state.lane(seed * 7919, True)  # in the caller's thread, which also reports
    for t in threads:
        t.join()
    run.report()
    done.set()


class _Search:
    """Shared state of the neighbourhood search lanes."""

    def __init__(self, inst, run: _Run, unit: int, deadline: float):
        self.inst, self.run, self.unit, self.deadline = inst, run, unit, deadline
        self.lock = threading.Lock()
        self.current = {a.lesson: a for a in run.best.assignments}
        self.objective = model_objective(inst, self.current, unit)
        self.locked = {a.lesson for a in inst.locked}
        self.size = float(LNS_START_SIZE)
        self.busy_days: set[str] = set()
        self.busy_teachers: set[str] = set()
        self.stats = run.lns = {"neighbourhoods": 0, "improved": 0, "optimal": 0, "size": 0}

    def finished(self) -> bool:
        if self.deadline - self.run.elapsed() <= 0.3:
            return True
        return self.run.bound is not None and self.objective <= self.run.bound

    def lane(self, seed: int, reports: bool) -> None:
        import random

        rng = random.Random(seed)  # noqa: S311 - reproducible search, not secrets
        inst, stats = self.inst, self.stats
        while not self.finished():
            if reports:
                self.run.report()
            with self.lock:
                snapshot = dict(self.current)
                for _attempt in range(8):
                    kind, day, free, extra = _neighbourhood(
                        inst, snapshot, rng, int(self.size), self.locked
                    )
                    teachers = {snapshot[lid].teacher for lid in free} | set(extra)
                    if free and day not in self.busy_days and not teachers & self.busy_teachers:
                        break
                else:
                    free = []
                if free:
                    self.busy_days.add(day)
                    self.busy_teachers |= teachers
            if not free:
                time.sleep(0.01)
                continue
            try:
                sub, hint = _sub_instance(inst, snapshot, day, free, extra)
                model = _Model(sub, hint, None, self.unit)
                left = self.deadline - self.run.elapsed()
                seed_ = rng.randrange(1 << 30)
                solver = _solver(min(LNS_STEP_SECONDS, left), 1, seed_, LNS_PARAMS)
                status = solver.solve(model.m)
                found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
                rows = model.read(solver.value).assignments if found else ()
            finally:
                with self.lock:
                    self.busy_days.discard(day)
                    self.busy_teachers -= teachers
            with self.lock:
                stats["neighbourhoods"] += 1
                stats["optimal"] += status == cp_model.OPTIMAL
                # Grow while neighbourhoods are solved to optimality, else shrink.
                grow = status == cp_model.OPTIMAL
                shrunk = max(LNS_MIN_SIZE, self.size * 0.97)
                self.size = min(300.0, self.size * 1.1) if grow else shrunk
                stats["size"] = int(self.size)
                if not rows:
                    continue
                free_ids = set(free)
                new = dict(self.current)
                for a in rows:
                    if a.lesson in free_ids:
                        new[a.lesson] = a
                value = model_objective(inst, new, self.unit)
                if value > self.objective:
                    continue
                stats[f"gain_{kind}"] = stats.get(f"gain_{kind}", 0) + self.objective - value
                better = value < self.objective
                self.current, self.objective = new, value
                if better:
                    stats["improved"] += 1
                    sol = Solution(tuple(new[x.id] for x in inst.lessons))
                    self.run.offer(value, sol, defer=True)  # reported outside the lock


def _neighbourhood(inst, current, rng, size, locked):
    """(day, lessons to re-plan, extra teachers): nearby schools or teachers on one day."""
    on_day = defaultdict(list)
    for lid, a in current.items():
        if lid not in locked:
            on_day[a.day].append(lid)
    day = rng.choice(sorted(on_day))
    lessons = on_day[day]
    free: list[str] = []
    kind = "schools" if rng.random() < LNS_SCHOOL_SHARE else "teachers"
    if kind == "schools":
        by_school = defaultdict(list)
        for lid in lessons:
            by_school[inst.lesson(lid).school].append(lid)
        centre = rng.choice(sorted(by_school))
        for sid in sorted(by_school, key=lambda s: (inst.travel_minutes(centre, s), s)):
            free += by_school[sid]
            if len(free) >= size:
                break
    else:
        by_teacher = defaultdict(list)
        schools = defaultdict(set)
        for lid in lessons:
            by_teacher[current[lid].teacher].append(lid)
            schools[current[lid].teacher].add(inst.lesson(lid).school)
        centre = rng.choice(sorted(by_teacher))

        def distance(t):
            return min(inst.travel_minutes(a, b) for a in schools[centre] for b in schools[t])

        for tid in sorted(by_teacher, key=lambda t: (distance(t), rng.random())):
            free += by_teacher[tid]
            if len(free) >= size:
                break
    # Extra teachers: qualified for some of these lessons, nearest on that day first.
    busy = {current[lid].teacher for lid in free}
    where = defaultdict(set)
    for lid in lessons:
        where[current[lid].teacher].add(inst.lesson(lid).school)
    schools_free = {inst.lesson(lid).school for lid in free}
    options = {}
    for lid in free:
        lesson = inst.lesson(lid)
        for t in inst.teachers:
            if t.id in busy or t.id in options or not t.qualified(lesson):
                continue
            if day not in t.availability:
                continue
            there = where.get(t.id)
            near = (
                min(inst.travel_minutes(a, b) for a in there for b in schools_free)
                if there
                else IDLE_DAY_SCORE
            )
            options[t.id] = (near, rng.random())
    extra = sorted(options, key=options.get)[:LNS_EXTRA_TEACHERS]
    return kind, day, free, extra


def _sub_instance(inst, current, day, free, extra):
    """The instance of one neighbourhood: ``free`` lessons on ``day``, the rest locked."""
    free = set(free)
    teachers = {current[lid].teacher for lid in free} | set(extra)
    schools = {inst.lesson(lid).school for lid in free}
    include = set(free)
    other_days = defaultdict(int)
    for lid, a in current.items():
        lesson = inst.lesson(lid)
        if a.day == day:
            if a.teacher in teachers or lesson.school in schools:
                include.add(lid)
        elif a.teacher in teachers:
            other_days[a.teacher] += lesson.duration
    lessons = [x for x in inst.lessons if x.id in include]
    school_ids = {x.school for x in lessons}
    sub_schools = tuple(
        dataclasses.replace(s, music_days=(day,), windows={day: s.windows[day]})
        for s in inst.schools
        if s.id in school_ids
    )
    # Teachers whose whole day is in the neighbourhood may take its lessons; the others only
    # keep their locked lessons here (no instruments, no conductor).
    sub_teachers = []
    keep = {current[lid].teacher for lid in include}
    for t in inst.teachers:
        if t.id in teachers:
            sub_teachers.append(
                dataclasses.replace(t, max_minutes_week=t.max_minutes_week - other_days[t.id])
            )
        elif t.id in keep:
            sub_teachers.append(dataclasses.replace(t, instruments=(), conductor=False))
    class_ids = {c for x in lessons for c in x.classes}
    sub = Instance(
        days=(day,),
        schools=sub_schools,
        rooms=tuple(r for r in inst.rooms if r.school in school_ids),
        teachers=tuple(sub_teachers),
        lessons=tuple(lessons),
        travel=inst.travel,
        locked=tuple(current[x.id] for x in lessons if x.id not in free),
        published=tuple(p for p in inst.published if p.lesson in free),
        classes={c: p for c, p in inst.classes.items() if c in class_ids},
        name=inst.name,
    )
    return sub, Solution(tuple(current[x.id] for x in lessons))
