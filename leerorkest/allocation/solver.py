"""Allocate the depot's stock to all open requests at once (plain data in, plain data out).

Stock comes in as groups: instruments of one type, size, condition and stock location, with a
count. A request line asks for `quantity` instruments of one type and size and may allow one
size up and/or one size down. The CP-SAT model has an integer variable per (line, compatible
group); for the first four stages only the line's amount per *pool* (type and size) matters,
because within a pool every group fits every line.

The objective is lexicographic, solved stage by stage; each stage keeps the optimum of the
earlier ones as a constraint:

A. **Fair share.** For each programme, `achievable` is the most it could get if it had the
   whole stock to itself (a max-flow over its own lines). Maximise `t`, the smallest
   `filled / achievable` over all programmes (in per mille): every programme gets at least that
   share of what the stock can give it. A programme asking for something the depot does not
   have cannot pull everybody's share down.
B. **Most instruments.** Maximise the total number of instruments allocated.
C. **Balance.** Among those, spread the allocation: each programme's achievable amount is cut
   into ten equal tiers worth 10, 9, …, 1 points per instrument; maximise the points (a
   concave utility: the first tenth of a programme's need counts more than anybody's last).
D. **Exact size first.** Maximise the instruments of exactly the requested size; one size up or
   down is used only where the line allows it, and only to fill what exact stock cannot.
E. **Best condition, then nearest.** Each allocated instrument scores
   `10,000 × grade + (10,000 − km)`, with grade A = 3, B = 2, C = 1, D = 0 and km the distance
   from its stock location to the borrower (capped at 9,999): one grade better always
   outweighs distance for the same instrument. Maximise the sum.

Deterministic: one worker, a fixed seed, lines and groups put into the model in id order, and
a deterministic time limit next to the wall-clock one. The time limit is shared by the stages;
the result says whether every stage was proven optimal, and otherwise the relative gap of the
stage that stopped early.

The greedy baseline (`solve_greedy`) takes requests first come, first served: per line the
exact size, best condition and nearest first, then the allowed substitutes in the same order.
"""

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

SEED = 2026
WORKERS = 1
PER_MILLE = 1000
TIERS = 10
GRADE = {"A": 3, "B": 2, "C": 1, "D": 0}
GRADE_WEIGHT = 10_000
MAX_KM = 9_999


@dataclass(frozen=True)
class StockGroup:
    """`count` instruments of one type, size, condition and stock location."""

    id: int
    type_id: int
    size: int | None  # index in the type's size range (Size.sort_order); None: no sizes
    condition: str
    location_id: int | None
    count: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Line:
    """A request line: `quantity` instruments of a type and size, for one programme."""

    id: int
    programme_id: int
    type_id: int
    size: int | None
    quantity: int
    allow_up: bool = False
    allow_down: bool = False
    latitude: float = 52.37
    longitude: float = 4.90
    arrival: int = 0  # first come, first served (the greedy baseline's order)


@dataclass
class Instance:
    lines: list[Line]
    groups: list[StockGroup]


@dataclass(frozen=True)
class Pick:
    group_id: int
    count: int
    offset: int  # -1 one size down, 0 exact, +1 one size up


@dataclass
class LineResult:
    line_id: int
    requested: int
    picks: list[Pick] = field(default_factory=list)

    @property
    def exact(self) -> int:
        return sum(p.count for p in self.picks if p.offset == 0)

    @property
    def substituted(self) -> int:
        return sum(p.count for p in self.picks if p.offset != 0)

    @property
    def filled(self) -> int:
        return self.exact + self.substituted

    @property
    def short(self) -> int:
        return self.requested - self.filled


@dataclass
class Stage:
    name: str
    status: str
    value: int
    bound: int
    seconds: float

    @property
    def gap(self) -> float:
        if self.status == "OPTIMAL" or self.bound == 0:
            return 0.0
        return abs(self.bound - self.value) / abs(self.bound)


@dataclass
class Result:
    method: str
    status: str
    seconds: float
    lines: dict[int, LineResult]
    stages: list[Stage] = field(default_factory=list)

    @property
    def gap(self) -> float:
        return max((s.gap for s in self.stages), default=0.0)

    def figures(self, instance: Instance) -> dict:
        """Totals, fairness and per-programme fill, the same for every method."""
        achievable = achievable_per_programme(instance)
        demand: dict[int, int] = defaultdict(int)
        filled: dict[int, int] = defaultdict(int)
        for line in instance.lines:
            demand[line.programme_id] += line.quantity
            result = self.lines.get(line.id)
            filled[line.programme_id] += result.filled if result else 0
        requested = sum(demand.values())
        exact = sum(r.exact for r in self.lines.values())
        substituted = sum(r.substituted for r in self.lines.values())
        grades = distance = 0
        groups = {g.id: g for g in instance.groups}
        lines = {line.id: line for line in instance.lines}
        for result in self.lines.values():
            for pick in result.picks:
                group = groups[pick.group_id]
                grades += GRADE.get(group.condition, 0) * pick.count
                distance += km(lines[result.line_id], group) * pick.count
        allocated = exact + substituted
        ratios = {p: filled[p] / demand[p] for p in demand if demand[p]}
        fair = {p: filled[p] / achievable[p] for p in demand if achievable.get(p)}
        return {
            "method": self.method,
            "status": self.status,
            "gap": round(self.gap, 6),
            "seconds": round(self.seconds, 3),
            "requested": requested,
            "filled": allocated,
            "exact": exact,
            "substituted": substituted,
            "short": requested - allocated,
            "min_fill": round(min(ratios.values(), default=1.0), 4),
            "min_fair_share": round(min(fair.values(), default=1.0), 4),
            "mean_grade": round(grades / allocated, 3) if allocated else 0.0,
            "mean_km": round(distance / allocated, 1) if allocated else 0.0,
            "programmes": {
                p: {"requested": demand[p], "filled": filled[p], "achievable": achievable.get(p, 0)}
                for p in sorted(demand)
            },
        }


def offset(line: Line, group: StockGroup) -> int | None:
    """-1/0/+1 when the group fits the line, None when it does not."""
    if group.type_id != line.type_id:
        return None
    if line.size is None or group.size is None:
        return 0 if line.size is None and group.size is None else None
    step = group.size - line.size
    if step == 0 or (step == 1 and line.allow_up) or (step == -1 and line.allow_down):
        return step
    return None


def km(line: Line, group: StockGroup) -> int:
    """Great-circle distance in whole kilometres, capped at MAX_KM."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (line.latitude, line.longitude, group.latitude, group.longitude)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return min(MAX_KM, round(2 * 6371 * math.asin(min(1.0, math.sqrt(h)))))


def score(line: Line, group: StockGroup) -> int:
    return GRADE_WEIGHT * GRADE.get(group.condition, 0) + (GRADE_WEIGHT - km(line, group))


# --- pools: type and size ------------------------------------------------------------------------


def _pools(instance: Instance) -> dict[tuple, int]:
    stock: dict[tuple, int] = defaultdict(int)
    for group in instance.groups:
        if group.count > 0:
            stock[group.type_id, group.size] += group.count
    return dict(sorted(stock.items(), key=lambda item: (item[0][0], _size_key(item[0][1]))))


def _size_key(size: int | None) -> int:
    return -1 if size is None else size


def _line_pools(line: Line, stock: dict[tuple, int]) -> dict[tuple, int]:
    """Pool -> size offset, for the pools with stock that fit the line."""
    found = {}
    if line.size is None:
        if (line.type_id, None) in stock:
            found[line.type_id, None] = 0
        return found
    for step, allowed in ((0, True), (1, line.allow_up), (-1, line.allow_down)):
        pool = (line.type_id, line.size + step)
        if allowed and pool in stock:
            found[pool] = step
    return found


def achievable_per_programme(instance: Instance) -> dict[int, int]:
    """The most each programme could get if the whole stock were for it alone (max-flow)."""
    from ortools.graph.python import max_flow

    stock = _pools(instance)
    by_programme: dict[int, list[Line]] = defaultdict(list)
    for line in sorted(instance.lines, key=lambda item: item.id):
        by_programme[line.programme_id].append(line)
    result = {}
    for programme, lines in sorted(by_programme.items()):
        flow = max_flow.SimpleMaxFlow()
        source, sink = 0, 1
        pool_node: dict[tuple, int] = {}
        for index, line in enumerate(lines):
            node = 2 + index
            flow.add_arc_with_capacity(source, node, line.quantity)
            for pool in _line_pools(line, stock):
                if pool not in pool_node:
                    pool_node[pool] = 2 + len(lines) + len(pool_node)
                    flow.add_arc_with_capacity(pool_node[pool], sink, stock[pool])
                flow.add_arc_with_capacity(node, pool_node[pool], line.quantity)
        result[programme] = flow.optimal_flow() if flow.solve(source, sink) == flow.OPTIMAL else 0
    return result


def _tiers(total: int) -> list[int]:
    """`total` cut into TIERS near-equal parts (the first ones one larger)."""
    base, extra = divmod(total, TIERS)
    return [base + (1 if k < extra else 0) for k in range(TIERS) if base or k < extra]


# --- the CP-SAT model ---------------------------------------------------------------------------


class _Core:
    """Amount per (line, pool) and the expressions the stages optimise."""

    def __init__(self, model, instance: Instance, stock: dict, achievable: dict[int, int]):
        self.model = model
        self.amount: dict[tuple, object] = {}
        self.offset: dict[tuple, int] = {}
        by_pool: dict[tuple, list] = defaultdict(list)
        upper: dict[int, int] = {}
        filled_by_programme: dict[int, list] = defaultdict(list)
        for line in sorted(instance.lines, key=lambda item: item.id):
            owned = []
            for pool, step in _line_pools(line, stock).items():
                most = min(line.quantity, stock[pool])
                var = model.new_int_var(0, most, f"y{line.id}_{pool}")
                upper[var.index] = most
                self.amount[line.id, pool] = var
                self.offset[line.id, pool] = step
                by_pool[pool].append(var)
                filled_by_programme[line.programme_id].append(var)
                owned.append(var)
            if len(owned) > 1:
                model.add(sum(owned) <= line.quantity)
        for pool, variables in by_pool.items():
            if sum(upper[v.index] for v in variables) > stock[pool]:
                model.add(sum(variables) <= stock[pool])
        self.total = sum(self.amount.values())
        self.exact = sum(v for key, v in self.amount.items() if self.offset[key] == 0)
        self.filled = {p: sum(vs) for p, vs in sorted(filled_by_programme.items())}
        self.share = model.new_int_var(0, PER_MILLE, "share")
        for programme, filled in self.filled.items():
            if achievable.get(programme):
                model.add(PER_MILLE * filled >= achievable[programme] * self.share)
        balance = []
        for programme, filled in self.filled.items():
            caps = _tiers(achievable.get(programme, 0))
            if not caps:
                continue
            parts = [
                model.new_int_var(0, cap, f"tier{programme}_{k}") for k, cap in enumerate(caps)
            ]
            model.add(sum(parts) == filled)
            balance += [(TIERS - k) * part for k, part in enumerate(parts)]
        self.balance = sum(balance)


def _solver(time_limit: float):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WORKERS
    solver.parameters.random_seed = SEED
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.max_deterministic_time = max(0.05, time_limit)
    return solver


def _run_stage(name, model, objective, time_limit, hint_from=None):
    """Maximise `objective`; returns (solver, Stage) or (None, Stage) without a solution."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    model.maximize(objective)
    solver = _solver(time_limit)
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, Stage(name, solver.status_name(status), 0, 0, seconds)
    return solver, Stage(
        name,
        solver.status_name(status),
        round(solver.objective_value),
        round(solver.best_objective_bound),
        seconds,
    )


def _hint(model, solver, variables) -> None:
    model.clear_hints()
    for var in variables:
        model.add_hint(var, solver.value(var))


def prepare() -> None:
    """Load OR-Tools (a few seconds, once per process), e.g. before opening a transaction."""
    from ortools.sat.python import cp_model  # noqa: F401


def solve(instance: Instance, *, time_limit: float = 10.0) -> Result:
    """The lexicographic optimum (see the module docstring) within `time_limit` seconds in all.

    Falls back to the greedy result if CP-SAT finds no solution in time.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    stock = _pools(instance)
    achievable = achievable_per_programme(instance)
    lines = {line.id: line for line in instance.lines}

    def left() -> float:
        return time_limit - (time.perf_counter() - started)

    # Stages A-D on the amounts per (line, pool).
    model = cp_model.CpModel()
    core = _Core(model, instance, stock, achievable)
    stages: list[Stage] = []
    values = {}
    variables = list(core.amount.values())
    solver = None
    for name, expression in (
        ("fair share", core.share),
        ("instruments", core.total),
        ("balance", core.balance),
        ("exact size", core.exact),
    ):
        found, stage = _run_stage(name, model, expression, left())
        stages.append(stage)
        if found is None:
            return _fallback(instance, stages, started)
        solver = found
        values[name] = stage.value
        model.add(expression >= stage.value)
        _hint(model, solver, variables)
    amounts = {key: solver.value(var) for key, var in core.amount.items()}

    # Stage E on (line, group), keeping the optima of A-D.
    full = cp_model.CpModel()
    core_e = _Core(full, instance, stock, achievable)
    full.add(core_e.share >= values["fair share"])
    full.add(core_e.total >= values["instruments"])
    full.add(core_e.balance >= values["balance"])
    full.add(core_e.exact >= values["exact size"])
    groups_by_pool: dict[tuple, list[StockGroup]] = defaultdict(list)
    for group in sorted(instance.groups, key=lambda g: g.id):
        if group.count > 0:
            groups_by_pool[group.type_id, group.size].append(group)
    take: dict[tuple[int, int], object] = {}
    upper: dict[int, int] = {}
    by_group: dict[int, list] = defaultdict(list)
    terms = []
    for (line_id, pool), amount in core_e.amount.items():
        line = lines[line_id]
        parts = []
        for group in groups_by_pool[pool]:
            most = min(line.quantity, group.count)
            var = full.new_int_var(0, most, f"x{line_id}_{group.id}")
            upper[var.index] = most
            take[line_id, group.id] = var
            parts.append(var)
            by_group[group.id].append(var)
            terms.append(score(line, group) * var)
        full.add(sum(parts) == amount)
    counts = {g.id: g.count for g in instance.groups}
    for group_id, parts in by_group.items():
        if sum(upper[v.index] for v in parts) > counts[group_id]:
            full.add(sum(parts) <= counts[group_id])
    _hint_groups(full, core_e, take, amounts, groups_by_pool, lines)
    found, stage = _run_stage("condition and distance", full, sum(terms), left())
    stages.append(stage)
    if found is None:
        return _fallback(instance, stages, started)
    results = {line.id: LineResult(line.id, line.quantity) for line in instance.lines}
    steps = core_e.offset
    group_pool = {g.id: (g.type_id, g.size) for g in instance.groups}
    for (line_id, group_id), var in sorted(take.items()):
        value = found.value(var)
        if value:
            step = steps[line_id, group_pool[group_id]]
            results[line_id].picks.append(Pick(group_id, value, step))
    status = "OPTIMAL" if all(s.status == "OPTIMAL" for s in stages) else "FEASIBLE"
    return Result("cp-sat", status, time.perf_counter() - started, results, stages)


def _hint_groups(model, core, take, amounts, groups_by_pool, lines) -> None:
    """Start stage E from the stage D amounts, spread over each pool's best groups."""
    left = {g.id: g.count for groups in groups_by_pool.values() for g in groups}
    for (line_id, pool), var in core.amount.items():
        amount = amounts[line_id, pool]
        model.add_hint(var, amount)
        line = lines[line_id]
        ranked = sorted(groups_by_pool[pool], key=lambda g: (-score(line, g), g.id))
        for group in ranked:
            give = min(amount, left[group.id])
            left[group.id] -= give
            amount -= give
            model.add_hint(take[line_id, group.id], give)


def _fallback(instance: Instance, stages: list[Stage], started: float) -> Result:
    result = solve_greedy(instance)
    result.method = "greedy (fallback)"
    result.status = stages[-1].status
    result.stages = stages
    result.seconds = time.perf_counter() - started
    return result


# --- the greedy baseline ------------------------------------------------------------------------


def solve_greedy(instance: Instance) -> Result:
    """First come, first served: per line the exact size (best condition, nearest) first, then
    the allowed substitutes in the same order."""
    started = time.perf_counter()
    left = {g.id: g.count for g in instance.groups}
    by_type: dict[int, list[StockGroup]] = defaultdict(list)
    for group in sorted(instance.groups, key=lambda g: g.id):
        by_type[group.type_id].append(group)
    results = {}
    for line in sorted(instance.lines, key=lambda item: (item.arrival, item.id)):
        result = LineResult(line.id, line.quantity)
        need = line.quantity
        fitting = [(offset(line, g), g) for g in by_type[line.type_id]]
        fitting = [(step, g) for step, g in fitting if step is not None]
        fitting.sort(key=lambda item: (item[0] != 0, -score(line, item[1]), item[1].id))
        for step, group in fitting:
            if need == 0:
                break
            give = min(need, left[group.id])
            if give:
                left[group.id] -= give
                need -= give
                result.picks.append(Pick(group.id, give, step))
        results[line.id] = result
    return Result("greedy", "HEURISTIC", time.perf_counter() - started, results)
