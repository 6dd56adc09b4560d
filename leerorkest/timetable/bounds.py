"""Lower bounds of the timetable objective per school, computed beside the search."""

from __future__ import annotations

import math
import threading
from collections import defaultdict

from ortools.sat.python import cp_model

from .explain import candidates, intersect
from .instance import Instance
from .validator import SOFT_WEIGHTS

BOUND_SCHOOL_SECONDS = 1.0  # time limit of the lower bound model of one school


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
        free = sum(b - a for a, b in intersect([(w0, w1)], list(t.availability.get(d, ()))))
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


def start_bound(inst, run, done, deadline, threads) -> threading.Thread | None:
    """The school lower bounds in a thread beside the search (with two threads or more)."""
    run.raise_bound(sum(simple_bounds(inst).values()))
    if int(threads) < 2:
        return None
    thread = threading.Thread(
        target=_bound_worker, args=(inst, run, done, deadline), name="timetable-bound", daemon=True
    )
    thread.start()
    return thread


def stop_bound(thread, done) -> None:
    done.set()
    if thread is not None:
        thread.join()
