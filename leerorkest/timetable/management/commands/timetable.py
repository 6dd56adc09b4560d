"""Timetable planner on the command line: solve, check and generate planning instances."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leerorkest.timetable.generate import TIERS, generate
from leerorkest.timetable.greedy import solve_greedy
from leerorkest.timetable.instance import InstanceError, load_instance, load_solution
from leerorkest.timetable.solver import solve
from leerorkest.timetable.validator import check, format_report


class Command(BaseCommand):
    help = "Weekly timetable planner: solve, check or generate a planning instance (JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("solve", help="solve INSTANCE.json with CP-SAT (or greedy)")
        p.add_argument("instance")
        p.add_argument("--time-limit", type=float, default=60.0)
        p.add_argument("--threads", type=int, default=8)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--greedy", action="store_true", help="use the greedy baseline")
        p.add_argument("--no-hint", action="store_true", help="do not start from greedy")
        p.add_argument("--out", required=True)
        p = sub.add_parser("check", help="validate SOLUTION.json against INSTANCE.json")
        p.add_argument("instance")
        p.add_argument("solution")
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        p = sub.add_parser("generate", help="write a seeded benchmark instance")
        p.add_argument("--tier", choices=list(TIERS), default="S")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--out", required=True)

    def handle(self, *args, action, **opts):
        try:
            getattr(self, f"do_{action}")(**opts)
        except InstanceError as exc:
            raise CommandError(str(exc)) from None

    def _write(self, path, data):
        try:
            Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{path}: cannot write ({exc.strerror})") from None

    def do_generate(self, tier, seed, out, **_):
        inst = generate(tier, seed)
        self._write(out, inst.to_json())
        self.stdout.write(
            f"{out}: tier {tier}, {len(inst.schools)} schools, {len(inst.teachers)} teachers, "
            f"{len(inst.lessons)} lessons"
        )

    def do_solve(self, instance, time_limit, threads, seed, greedy, no_hint, out, **_):
        inst = load_instance(instance)
        if greedy:
            sol = solve_greedy(inst)
            self._write(out, sol.to_json())
            self.stdout.write(f"greedy placed {len(sol.assignments)}/{len(inst.lessons)} lessons")
            return
        hint = None if no_hint else solve_greedy(inst)

        def progress(seconds, objective, bound):
            self.stdout.write(f"{seconds:8.2f}s  objective {objective:.0f}  bound {bound:.0f}")

        res = solve(inst, time_limit, threads, seed, on_progress=progress, hint=hint)
        if res.solution is None:
            self.stderr.write(f"status {res.status}: no timetable found")
            for line in res.explanation:
                self.stderr.write(f"  - {line}")
            raise CommandError(f"no timetable ({res.status})")
        self._write(out, res.solution.to_json())
        self.stdout.write(
            f"status {res.status}, objective {res.objective:.0f}, bound {res.bound:.0f}, "
            f"first feasible {res.first_feasible_seconds:.2f}s, total {res.wall_seconds:.1f}s"
        )

    def do_check(self, instance, solution, json=False, **_):
        inst = load_instance(instance)
        sol = load_solution(solution)
        rep = check(inst, sol)
        if json:
            import json as _json

            self.stdout.write(_json.dumps(rep.to_dict(), indent=1))
        else:
            self.stdout.write(format_report(rep))
        if rep.hard_total:
            raise SystemExit(1)
