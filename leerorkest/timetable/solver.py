"""Solving the weekly timetable: `solve` runs the CP-SAT model (`cpsat`) in stages.

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
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .bounds import school_bound, simple_bounds, start_bound, stop_bound
from .cpsat import AUTO_LARGE, AUTO_LNS, Model, make_solver, model_objective, unit_of
from .explain import candidates, explain
from .instance import Instance, Solution
from .lns import solve_lns
from .running import Progress, Run

__all__ = [
    "SolveResult",
    "candidates",
    "explain",
    "model_objective",
    "school_bound",
    "simple_bounds",
    "solve",
]


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
    elif hint is not None and greedy_hint and len(hint.assignments) < len(inst.lessons):
        hint = complete_hint(inst, hint)
    unit = unit_of(inst, grid)
    run = Run(t0, on_progress, on_solution, solution_interval)
    params = {"cp_model_probing_level": 0} if large else {}
    params |= parameters or {}
    if lns:
        status, size = solve_lns(inst, run, hint, max_candidates, unit, limit, threads, seed,
                                  params, log_search)  # fmt: skip
    else:
        if max_candidates == "auto":
            max_candidates = None
        model = Model(inst, hint, max_candidates, unit)
        size = model.size
        done = threading.Event()
        thread = start_bound(inst, run, done, limit, threads)
        solver = make_solver(limit - run.elapsed(), threads, seed, params, log_search)
        exact = max_candidates is None  # a restricted model's bound is not reported
        code = solver.solve(model.m, Progress(run, model, exact=exact))
        stop_bound(thread, done)
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


def complete_hint(inst: Instance, hint: Solution) -> Solution:
    """Place the lessons a hint lacks (say, those of a teacher who left) greedily around the
    ones it has; the hint itself when that places nothing more."""
    from .greedy import solve_greedy

    locked = {a.lesson for a in inst.locked}
    keep = tuple(
        a
        for a in hint.assignments
        if a.lesson not in locked
        and inst.has("lesson", a.lesson)
        and inst.has("teacher", a.teacher)
        and inst.has("room", a.room)
    )
    filled = solve_greedy(dataclasses.replace(inst, locked=(*inst.locked, *keep)), passes=1)
    return filled if len(filled.assignments) > len(hint.assignments) else hint
