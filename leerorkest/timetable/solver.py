"""CP-SAT model of the weekly timetable.

Time is absolute minutes in the week (day index * 1440 + minute), so one NoOverlap per
teacher, room and pupil covers all days. Hard constraints enforced by the model:

* every lesson is placed exactly once, with one qualified teacher (conductor for orchestras)
  and one room of its school that is large enough and has the required feature;
* on one of its school's music days, inside the school window and inside one availability
  window of the chosen teacher (via start-variable domains enforced by the assignment literal);
* no overlap per teacher, per room and per pupil/class;
* travel: a teacher's lessons at one school on one day form one *visit* (an interval spanning
  them); two visits of the same teacher on the same day are ordered with the travel time in
  between. This is sound (stricter than needed: a teacher never returns to a school on the
  same day);
* max minutes per teacher per day and per week;
* locked assignments are fixed.

Soft objective (weights from ``validator.SOFT_WEIGHTS``): school visits, span of each visit
(idle minutes inside visits), lessons not given by the preferred teacher, and changes from
the published solution (teacher/day, start or room). Travel minutes, compact school days and
load balance are only scored by the validator.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .instance import Assignment, Instance, Solution
from .validator import SOFT_WEIGHTS

DAY = 1440


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
        what = "orchestra rehearsal" if lesson.kind == "orchestra" else f"{lesson.label} lesson"
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


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0, on_progress, log):
        super().__init__()
        self.t0, self.on_progress, self.log = t0, on_progress, log

    def on_solution_callback(self):
        row = (time.monotonic() - self.t0, self.ObjectiveValue(), self.BestObjectiveBound())
        self.log.append(row)
        if self.on_progress:
            self.on_progress(*row)


def solve(
    inst: Instance,
    time_limit: float = 10.0,
    threads: int = 2,
    seed: int = 1,
    on_progress=None,
    hint: Solution | None = None,
) -> SolveResult:
    t0 = time.monotonic()
    reasons = explain(inst)
    if reasons:
        return SolveResult(
            "INFEASIBLE", None, wall_seconds=time.monotonic() - t0, explanation=reasons
        )
    m = cp_model.CpModel()
    day_index = {d: i for i, d in enumerate(inst.days)}
    locked = {a.lesson: a for a in inst.locked}
    published = {a.lesson: a for a in inst.published}
    start, x_vars, y_vars = {}, {}, {}
    teacher_iv = defaultdict(list)
    room_iv = defaultdict(list)
    key_iv = defaultdict(list)
    teacher_day_load = defaultdict(list)
    teacher_week_load = defaultdict(list)
    at_school = defaultdict(list)  # (teacher, day, school) -> [(lesson, literal)]
    cost = []

    for lesson in inst.lessons:
        cands = candidates(inst, lesson)
        lock = locked.get(lesson.id)
        if lock:
            cands = [
                (t, d, [(lock.start, lock.start)])
                for t, d, _ in cands
                if t == lock.teacher and d == lock.day
            ] or [(lock.teacher, lock.day, [(lock.start, lock.start)])]
        values = sorted(
            {
                (day_index[d] * DAY + a, day_index[d] * DAY + b)
                for _, d, ranges in cands
                for a, b in ranges
            }
        )
        dom = cp_model.Domain.from_intervals([list(v) for v in values])
        s = m.new_int_var_from_domain(dom, f"s_{lesson.id}")
        start[lesson.id] = s
        lits = []
        for t, d, ranges in cands:
            lit = m.new_bool_var(f"x_{lesson.id}_{t}_{d}")
            off = day_index[d] * DAY
            local = cp_model.Domain.from_intervals([[off + a, off + b] for a, b in ranges])
            m.add_linear_expression_in_domain(s, local).only_enforce_if(lit)
            iv = m.new_optional_fixed_size_interval_var(
                s, lesson.duration, lit, f"it_{lesson.id}_{t}"
            )
            teacher_iv[t].append(iv)
            teacher_day_load[(t, d)].append(lesson.duration * lit)
            teacher_week_load[t].append(lesson.duration * lit)
            at_school[(t, d, lesson.school)].append((lesson, lit))
            x_vars[(lesson.id, t, d)] = lit
            lits.append(lit)
        m.add_exactly_one(lits)
        rooms = inst.suitable_rooms(lesson)
        if lock:
            rooms = [r for r in rooms if r.id == lock.room] or [inst.room(lock.room)]
        rlits = []
        for r in rooms:
            lit = m.new_bool_var(f"y_{lesson.id}_{r.id}") if len(rooms) > 1 else m.new_constant(1)
            room_iv[r.id].append(
                m.new_optional_fixed_size_interval_var(s, lesson.duration, lit, f"ir_{lesson.id}")
            )
            y_vars[(lesson.id, r.id)] = lit
            rlits.append(lit)
        m.add_exactly_one(rlits)
        fixed_iv = m.new_fixed_size_interval_var(s, lesson.duration, f"i_{lesson.id}")
        for k in inst.attendees(lesson):
            key_iv[k].append((lesson.id, fixed_iv))
        # Soft: preferred teacher, published solution.
        if lesson.preferred_teacher:
            pref = [
                v
                for (lid, t, _), v in x_vars.items()
                if lid == lesson.id and t == lesson.preferred_teacher
            ]
            cost.append(SOFT_WEIGHTS["preferred_teacher_changes"] * (1 - sum(pref)))
        pub = published.get(lesson.id)
        if pub and not lock:
            same_td = x_vars.get((lesson.id, pub.teacher, pub.day))
            same_room = y_vars.get((lesson.id, pub.room))
            same_start = m.new_bool_var(f"ps_{lesson.id}")
            target = day_index[pub.day] * DAY + pub.start
            if dom.contains(target):
                m.add(s == target).only_enforce_if(same_start)
            else:
                m.add(same_start == 0)
            same = m.new_bool_var(f"same_{lesson.id}")
            parts = [same_start] + [v for v in (same_td, same_room) if v is not None]
            if same_td is None or same_room is None:
                m.add(same == 0)
            else:
                m.add_bool_and(parts).only_enforce_if(same)
            cost.append(SOFT_WEIGHTS["published_changes"] * (1 - same))

    for ivs in list(teacher_iv.values()) + list(room_iv.values()):
        if len(ivs) > 1:
            m.add_no_overlap(ivs)
    seen_sets = set()
    for items in key_iv.values():
        ids = frozenset(lid for lid, _ in items)
        if len(items) > 1 and ids not in seen_sets:
            seen_sets.add(ids)
            m.add_no_overlap([iv for _, iv in items])
    for t in inst.teachers:
        if teacher_week_load[t.id]:
            m.add(sum(teacher_week_load[t.id]) <= t.max_minutes_week)
    for (tid, _d), load in teacher_day_load.items():
        m.add(sum(load) <= inst.teacher(tid).max_minutes_day)

    # Visits: one interval per teacher, day and school covering that teacher's lessons there.
    visits = defaultdict(list)
    for (tid, d, sid), items in at_school.items():
        off = day_index[d] * DAY
        v = m.new_bool_var(f"v_{tid}_{d}_{sid}")
        vs = m.new_int_var(off, off + DAY, f"vs_{tid}_{d}_{sid}")
        ve = m.new_int_var(off, off + DAY, f"ve_{tid}_{d}_{sid}")
        m.add(vs <= ve)
        for lesson, lit in items:
            m.add_implication(lit, v)
            m.add(vs <= start[lesson.id]).only_enforce_if(lit)
            m.add(ve >= start[lesson.id] + lesson.duration).only_enforce_if(lit)
        m.add_bool_or([lit for _, lit in items]).only_enforce_if(v)
        m.add(ve == vs).only_enforce_if(~v)
        m.add(ve - vs >= sum(lesson.duration * lit for lesson, lit in items))
        visits[(tid, d)].append((sid, v, vs, ve))
        cost.append(SOFT_WEIGHTS["school_visits"] * v)
        cost.append(SOFT_WEIGHTS["idle_gap_minutes"] * (ve - vs))
    order = []  # (boolean "first visit before second", start var 1, start var 2)
    for (tid, d), vis in visits.items():
        for i, (s1, v1, a1, e1) in enumerate(vis):
            for s2, v2, a2, e2 in vis[i + 1 :]:
                before = m.new_bool_var(f"o_{tid}_{d}_{s1}_{s2}")
                order.append((before, a1, a2))
                m.add(e1 + inst.travel_minutes(s1, s2) <= a2).only_enforce_if([v1, v2, before])
                m.add(e2 + inst.travel_minutes(s2, s1) <= a1).only_enforce_if([v1, v2, ~before])

    if cost:
        # Visit spans include the lesson minutes themselves: subtract that constant so the
        # objective counts idle minutes only.
        lesson_minutes = sum(x.duration for x in inst.lessons) * SOFT_WEIGHTS["idle_gap_minutes"]
        m.minimize(sum(cost) - lesson_minutes)
    if hint is not None:
        chosen = {a.lesson: a for a in hint.assignments if a.lesson in start}
        for (lid, t, d), lit in x_vars.items():
            a = chosen.get(lid)
            m.add_hint(lit, int(a is not None and a.teacher == t and a.day == d))
        for (lid, r), lit in y_vars.items():
            a = chosen.get(lid)
            if (
                a is not None
                and lid not in locked
                and len(inst.suitable_rooms(inst.lesson(lid))) > 1
            ):
                m.add_hint(lit, int(a.room == r))
        for lid, a in chosen.items():
            m.add_hint(start[lid], day_index[a.day] * DAY + a.start)
        hinted = {}
        for (tid, d), vis in visits.items():
            for sid, v, vs, ve in vis:
                off = day_index[d] * DAY
                spans = [
                    (off + a.start, off + a.start + inst.lesson(a.lesson).duration)
                    for a in chosen.values()
                    if a.teacher == tid and a.day == d and inst.lesson(a.lesson).school == sid
                ]
                m.add_hint(v, int(bool(spans)))
                hinted[vs.index] = min((s for s, _ in spans), default=off)
                hinted[ve.index] = max((e for _, e in spans), default=off)
                m.add_hint(vs, hinted[vs.index])
                m.add_hint(ve, hinted[ve.index])
        for before, a1, a2 in order:
            m.add_hint(before, int(hinted[a1.index] <= hinted[a2.index]))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = max(1, int(threads))
    solver.parameters.random_seed = int(seed)
    log: list = []
    cb = _Progress(t0, on_progress, log)
    status = solver.solve(m, cb)
    name = solver.status_name(status)
    result = SolveResult(
        name,
        None,
        wall_seconds=time.monotonic() - t0,
        first_feasible_seconds=log[0][0] if log else None,
        progress=log,
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        rows = []
        for lesson in inst.lessons:
            s = solver.value(start[lesson.id])
            day = inst.days[s // DAY]
            teacher = next(
                t for (lid, t, d), v in x_vars.items() if lid == lesson.id and solver.value(v)
            )
            room = next(r for (lid, r), v in y_vars.items() if lid == lesson.id and solver.value(v))
            rows.append(Assignment(lesson.id, teacher, room, day, s % DAY))
        result.objective = solver.objective_value
        result.bound = solver.best_objective_bound
        result.solution = Solution(
            tuple(rows),
            {
                "solver": "cp-sat",
                "status": name,
                "objective": result.objective,
                "bound": result.bound,
                "wall_seconds": round(result.wall_seconds, 3),
                "first_feasible_seconds": result.first_feasible_seconds,
            },
        )
    elif status == cp_model.INFEASIBLE:
        result.explanation = [
            "No timetable satisfies all hard rules, and no single simple cause was found: "
            "the combination of teacher availability, travel, rooms and working-hour limits "
            "is too tight. Try freeing teachers, adding rooms or unlocking lessons."
        ]
    return result
