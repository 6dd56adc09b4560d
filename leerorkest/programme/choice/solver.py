"""Assign instruments to children from their preferences (plain data in, plain data out).

The CP-SAT model gives every child at most one instrument of the menu, never more children per
instrument than its capacity, and maximises first choices, then second, then third, then places
children whose preferences are full (or who gave none) on a leftover instrument. The weights
make this order strict: one more first choice outweighs any number of second choices.

Same input, same output: one worker, a fixed seed, a deterministic time limit and children and
instruments put into the model in id order.
"""

import time
from dataclasses import dataclass, field

RANKS = ("first", "second", "third")
SEED = 2026


@dataclass(frozen=True)
class Child:
    id: int
    preferences: tuple[int, ...] = ()  # instrument ids, best first
    # A coordinator's choice: kept exactly as it is (`assigned` may be None: no instrument).
    fixed: bool = False
    assigned: int | None = None


@dataclass
class Instance:
    children: list[Child]
    capacity: dict[int, int]  # instrument id -> places; the keys are the menu


@dataclass
class Result:
    assignment: dict[int, int | None]  # child id -> instrument id or None
    status: str
    objective: int = 0
    bound: int = 0
    wall_time: float = 0.0
    method: str = "cp-sat"
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            **self.counts,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "wall_time": round(self.wall_time, 4),
            "method": self.method,
        }


def rank_of(child: Child, instrument: int | None) -> int | None:
    """1, 2 or 3 for a preference, 0 for another instrument, None for no instrument."""
    if instrument is None:
        return None
    for rank, preferred in enumerate(child.preferences[:3], start=1):
        if preferred == instrument:
            return rank
    return 0


def count(instance: Instance, assignment: dict[int, int | None]) -> dict[str, int]:
    """How many children got their 1st, 2nd, 3rd choice or none of them.

    `none` counts every child who got none of their preferences; `other` of those got a
    leftover instrument and `unplaced` got no instrument at all.
    """
    counts = {"children": len(instance.children), "first": 0, "second": 0, "third": 0}
    counts.update({"none": 0, "other": 0, "unplaced": 0, "fixed": 0})
    for child in instance.children:
        rank = rank_of(child, assignment.get(child.id))
        if child.fixed:
            counts["fixed"] += 1
        if rank in (1, 2, 3):
            counts[RANKS[rank - 1]] += 1
        else:
            counts["none"] += 1
            counts["other" if rank == 0 else "unplaced"] += 1
    return counts


def score(counts: dict[str, int]) -> tuple[int, int, int, int]:
    """Compare two results: more first choices wins, then second, third, then placed children."""
    placed = counts["children"] - counts["unplaced"]
    return counts["first"], counts["second"], counts["third"], placed


def _free_capacity(instance: Instance) -> dict[int, int]:
    free = dict(instance.capacity)
    for child in instance.children:
        if child.fixed and child.assigned in free:
            free[child.assigned] -= 1
    return {instrument: max(0, places) for instrument, places in free.items()}


def _options(child: Child, menu: dict[int, int]) -> dict[int, int]:
    """Instrument -> rank (1-3, 0 leftover) for every menu instrument the child could get."""
    options = {instrument: 0 for instrument in sorted(menu) if menu[instrument] > 0}
    for rank, instrument in enumerate(child.preferences[:3], start=1):
        if instrument in options and options[instrument] == 0:
            options[instrument] = rank
    return options


def weights(free_children: int) -> dict[int, int]:
    """Objective weight per rank, so that each rank outweighs all lower ranks together."""
    base = free_children + 1
    return {0: 1, 3: base, 2: base**2, 1: base**3}


def prepare() -> None:
    """Load OR-Tools (a few seconds, once per process), e.g. before opening a transaction."""
    from ortools.sat.python import cp_model  # noqa: F401


def solve(instance: Instance, *, time_limit: float = 5.0) -> Result:
    """The best assignment CP-SAT finds within the time limit (fixed children stay as they are).

    Falls back to the greedy result in the unlikely case the solver finds no solution in time.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    free = _free_capacity(instance)
    children = sorted((c for c in instance.children if not c.fixed), key=lambda c: c.id)
    weight = weights(len(children))
    model = cp_model.CpModel()
    chosen: dict[tuple[int, int], object] = {}
    objective = []
    by_instrument: dict[int, list] = {instrument: [] for instrument in sorted(free)}
    for child in children:
        options = _options(child, free)
        literals = []
        for instrument, rank in options.items():
            literal = model.new_bool_var(f"x_{child.id}_{instrument}")
            chosen[child.id, instrument] = literal
            literals.append(literal)
            by_instrument[instrument].append(literal)
            objective.append(weight[rank] * literal)
        if len(literals) > 1:
            model.add_at_most_one(literals)
    for instrument, literals in by_instrument.items():
        if len(literals) > free[instrument]:
            model.add(sum(literals) <= free[instrument])
    model.maximize(sum(objective))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.max_deterministic_time = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result = solve_greedy(instance)
        result.status = solver.status_name(status)
        result.method = "greedy (fallback)"
        result.wall_time = time.perf_counter() - started
        return result

    assignment: dict[int, int | None] = {c.id: c.assigned for c in instance.children if c.fixed}
    for child in children:
        assignment[child.id] = None
        for instrument in _options(child, free):
            if solver.boolean_value(chosen[child.id, instrument]):
                assignment[child.id] = instrument
    return Result(
        assignment=assignment,
        status=solver.status_name(status),
        objective=round(solver.objective_value),
        bound=round(solver.best_objective_bound),
        wall_time=time.perf_counter() - started,
        counts=count(instance, assignment),
    )


def solve_greedy(instance: Instance) -> Result:
    """The baseline: first choices while places last, then second, then third, then leftovers.

    Children are taken in id order in every round; leftovers go to the instrument with the most
    free places.
    """
    started = time.perf_counter()
    free = _free_capacity(instance)
    assignment: dict[int, int | None] = {c.id: c.assigned for c in instance.children if c.fixed}
    waiting = sorted((c for c in instance.children if not c.fixed), key=lambda c: c.id)
    for rank in range(3):
        still = []
        for child in waiting:
            wanted = child.preferences[rank] if len(child.preferences) > rank else None
            if wanted is not None and free.get(wanted, 0) > 0:
                free[wanted] -= 1
                assignment[child.id] = wanted
            else:
                still.append(child)
        waiting = still
    for child in waiting:
        best = max(sorted(free), key=lambda i: free[i], default=None)
        if best is not None and free[best] > 0:
            free[best] -= 1
            assignment[child.id] = best
        else:
            assignment[child.id] = None
    weight = weights(len([c for c in instance.children if not c.fixed]))
    value = sum(
        weight[rank]
        for c in instance.children
        if not c.fixed and (rank := rank_of(c, assignment[c.id])) is not None
    )
    return Result(
        assignment=assignment,
        status="GREEDY",
        objective=value,
        bound=value,
        wall_time=time.perf_counter() - started,
        method="greedy",
        counts=count(instance, assignment),
    )
