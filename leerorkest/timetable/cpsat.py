"""CP-SAT model of the weekly timetable (solving it is `solver.solve`).

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
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from .explain import candidates
from .instance import Assignment, Instance, Solution
from .validator import SOFT_WEIGHTS

DAY = 1440
AUTO_LARGE = 400  # lessons; above this the automatic settings for large instances apply
AUTO_LNS = 50  # lessons; above this the neighbourhood search improves the first solution
AUTO_CANDIDATES = 6  # teachers (besides preferred and hinted) per lesson on large instances
IDLE_DAY_SCORE = 20  # ranking score of a teacher who has no lessons that day in the hint


def unit_of(inst: Instance, grid: int) -> int:
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


class Model:
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


def make_solver(limit, workers, seed, params, log_search=False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.2, limit)
    p.num_workers = max(1, int(workers))
    p.random_seed = int(seed)
    p.log_search_progress = bool(log_search)
    for key, value in params.items():
        setattr(p, key, value)
    return solver
