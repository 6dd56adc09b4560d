"""One solve call's progress: the best timetable so far, its objective and lower bound."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from .cpsat import Model, model_objective
from .instance import Solution


class Run:
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


class Progress(cp_model.CpSolverSolutionCallback):
    """Offers each solution of a full model to the run.

    ``exact``: report the model's objective as it is (single producer); otherwise recompute
    it without slack so it compares with the neighbourhood search.
    """

    def __init__(self, run: Run, model: Model, exact: bool, stop_after_first: bool = False):
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
