"""Weekly timetable planner at scale (target F5): CP-SAT against FET and the greedy baseline.

    uv run python -m benchmarks.timetable [--tiers S,M,L,XL] [--budgets 10,60,300]
        [--threads 2] [--seed 1] [--quick] [--no-fet]

For each tier the seeded instance ``generate(tier, seed)`` is solved three ways, all scored by
the independent validator (hard violations, soft score; lower is better):

* **greedy**: ``greedy.solve_greedy`` (its time, hard violations, soft score);
* **CP-SAT**: ``solver.solve`` once with the largest budget as time limit; ``on_solution``
  receives every better timetable, so the best one at each budget checkpoint is scored from
  the same run. Shown per budget: hard / soft, and the optimality gap of the solver's
  objective against its best lower bound at that time. "first" is the time to the first
  timetable (``solve`` starts from the greedy result when it is valid);
* **FET**: ``fet.run_fet`` once with the largest budget (``fet-cl`` time limit) on the FET
  variant of the instance (teachers fixed from the greedy result, 5-minute grid; see
  ``leerorkest/timetable/fet.py``). FET stops at its first timetable that keeps the hard
  rules, so its result is shown under every budget it finished within.

``--quick`` is a smoke run (tiers S and M, budgets 5 and 10 seconds). Needs no database.
Prints one Markdown table, tiers × methods, plus notes.
"""

import argparse
import sys
import time

from leerorkest.timetable.fet import fet_available, run_fet
from leerorkest.timetable.generate import TIERS, generate
from leerorkest.timetable.greedy import solve_greedy
from leerorkest.timetable.solver import solve
from leerorkest.timetable.validator import check


def _score(inst, solution) -> str:
    rep = check(inst, solution)
    return f"{rep.hard_total} / {rep.soft_total:,}"


def _gap(objective, bound) -> str:
    if objective is None or bound is None:
        return "–"
    if objective <= 0:
        return "0%" if bound >= objective else "–"
    return f"{max(0.0, (objective - bound) / objective) * 100:.0f}%"


def run_tier(tier: str, seed: int, budgets: list[float], threads: int, use_fet: bool) -> dict:
    inst = generate(tier, seed)
    out = {
        "tier": tier,
        "size": f"{len(inst.schools)} / {len(inst.teachers)} / {len(inst.lessons)}",
    }
    started = time.perf_counter()
    greedy = solve_greedy(inst)
    out["greedy_seconds"] = time.perf_counter() - started
    out["greedy"] = _score(inst, greedy)

    found: list[tuple[float, object]] = []  # (seconds into solve when found, timetable)
    res = solve(
        inst,
        time_limit=max(budgets),
        threads=threads,
        seed=seed,
        on_solution=lambda sol: found.append((sol.stats["seconds"], sol)),
        solution_interval=0.0,
    )
    out["cp_status"] = res.status
    out["cp_first"] = res.first_feasible_seconds
    out["cp_improved"] = res.progress[1][0] if len(res.progress) > 1 else None
    out["cp_model"] = res.model
    cells = []
    for budget in budgets:
        best = [sol for at, sol in found if at <= budget]
        rows = [row for row in res.progress if row[0] <= budget]
        bounds = [b for at, b in res.bounds if at <= budget]
        if not best or not rows:
            cells.append("none yet")
            continue
        gap = _gap(rows[-1][1], max(bounds) if bounds else None)
        cells.append(f"{_score(inst, best[-1])} ({gap})")
    out["cp"] = cells

    if use_fet:
        fet = run_fet(inst, int(max(budgets)), greedy, seed=seed)
        out["fet_status"] = fet.status
        out["fet_seconds"] = fet.seconds
        out["fet"] = _score(inst, fet.solution) if fet.solution is not None else "no timetable"
        out["fet_placed"] = f"{fet.placed}/{len(inst.lessons)}"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiers", default="S,M,L,XL")
    parser.add_argument("--budgets", default="10,60,300", help="seconds, comma-separated")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="tiers S,M and budgets 5,10")
    parser.add_argument("--no-fet", action="store_true", help="leave FET out")
    args = parser.parse_args()
    if args.quick:
        args.tiers, args.budgets = "S,M", "5,10"
    tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    for t in tiers:
        if t not in TIERS:
            parser.error(f"unknown tier {t!r}; choose from {', '.join(TIERS)}")
    budgets = sorted(float(b) for b in args.budgets.split(","))
    use_fet = not args.no_fet and fet_available()

    results = []
    for tier in tiers:
        results.append(run_tier(tier, args.seed, budgets, args.threads, use_fet))
        print(f"tier {tier} done", file=sys.stderr, flush=True)

    heads = " | ".join(f"{b:g} s: hard / soft (gap)" for b in budgets)
    print(
        f"Timetable planner, seed {args.seed}, {args.threads} threads, "
        f"budgets {', '.join(f'{b:g}' for b in budgets)} s"
    )
    print()
    print(f"| tier (schools / teachers / lessons) | method | first timetable | {heads} |")
    print("|---|---|---:|" + "---|" * len(budgets))
    for r in results:
        label = f"{r['tier']} ({r['size']})"
        g = r["greedy_seconds"]
        greedy_cells = [r["greedy"] if g <= b else "–" for b in budgets]
        first = r["cp_first"]
        first_text = "none" if first is None else f"{first:.1f} s"
        if r["cp_improved"] is not None:
            first_text += f" (improved {r['cp_improved']:.1f} s)"
        print(f"| {label} | CP-SAT | {first_text} | " + " | ".join(r["cp"]) + " |")
        if use_fet:
            fs = r["fet_seconds"]
            done = r["fet_status"] == "complete"
            fet_cells = [r["fet"] if done and fs <= b else "–" for b in budgets]
            if not done:
                fet_cells[-1] = f"{r['fet']} ({r['fet_status']}, {r['fet_placed']})"
            print(f"| {label} | FET | {fs:.1f} s | " + " | ".join(fet_cells) + " |")
        print(f"| {label} | greedy | {g:.2f} s | " + " | ".join(greedy_cells) + " |")
    print()
    print(
        "Hard = hard violations by the validator (0 = valid); soft = validator soft score "
        "(lower is better). Gap = CP-SAT objective vs its best lower bound at that time "
        "(the objective is related to, not equal to, the soft score). CP-SAT's first "
        "timetable is the greedy start inside `solve`; 'improved' is its first better one."
    )
    for r in results:
        model = {k: v for k, v in r["cp_model"].items() if k != "lns"}
        print(
            f"- {r['tier']}: CP-SAT {r['cp_status']}, model {model}, search {r['cp_model']['lns']}"
        )
    if use_fet:
        print(
            "- FET: teachers fixed from the greedy result, 5-minute grid, travel as min gaps "
            "between ordered pairs of school tags; one run with the largest budget."
        )
    else:
        print("- FET left out (--no-fet or fet-cl not installed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
