"""Large neighbourhood search: improve a valid timetable one day of a few nearby schools or
teachers at a time (see `solver`)."""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .bounds import start_bound, stop_bound
from .cpsat import AUTO_CANDIDATES, AUTO_LARGE, IDLE_DAY_SCORE, Model, make_solver, model_objective
from .instance import Instance, Solution
from .running import Progress, Run

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


def solve_lns(inst, run, hint, max_candidates, unit, limit, threads, seed, params, log_search):
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
        model = Model(inst, hint, cap if hint is not None else None, unit)
        size = model.size
        solver = make_solver(limit - run.elapsed(), threads, seed, params, log_search)
        status = solver.solve(model.m, Progress(run, model, exact=False, stop_after_first=True))
        if status == cp_model.INFEASIBLE and model.size["max_candidates"] is not None:
            model = Model(inst, hint, None, unit)
            size = model.size
            solver = make_solver(limit - run.elapsed(), threads, seed, params, log_search)
            status = solver.solve(model.m, Progress(run, model, False, stop_after_first=True))
        if run.best is None:
            return solver.status_name(status), size
    else:
        rows = {a.lesson: a for a in start.assignments}
        run.offer(model_objective(inst, rows, unit), Solution(start.assignments))
    if limit - run.elapsed() < 0.5:
        return "FEASIBLE", size
    done = threading.Event()
    thread = start_bound(inst, run, done, limit, threads)
    _improve(inst, run, unit, limit, max(1, min(LNS_LANES, int(threads))), seed, done)
    stop_bound(thread, done)
    size = size or {"lessons": len(inst.lessons), "unit_minutes": unit, "hint": "complete"}
    if run.bound is not None and run.objective <= run.bound:
        return "OPTIMAL", size
    return "FEASIBLE", size


def _improve(inst, run: Run, unit: int, deadline: float, lanes: int, seed: int, done):
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

    def __init__(self, inst, run: Run, unit: int, deadline: float):
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
                model = Model(sub, hint, None, self.unit)
                left = self.deadline - self.run.elapsed()
                seed_ = rng.randrange(1 << 30)
                solver = make_solver(min(LNS_STEP_SECONDS, left), 1, seed_, LNS_PARAMS)
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
