"""Timetable planner on the command line: solve, check and generate planning instances."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leerorkest.timetable.fet import SLOT, export_fet, fet_available, run_fet
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
        p.add_argument(
            "--no-lns", action="store_true", help="only the full CP-SAT model, no neighbourhoods"
        )
        p.add_argument("--out", required=True)
        p = sub.add_parser("check", help="validate SOLUTION.json against INSTANCE.json")
        p.add_argument("instance")
        p.add_argument("solution")
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        p = sub.add_parser("fet-export", help="write INSTANCE.json as a FET input file")
        p.add_argument("instance")
        p.add_argument("--solution", help="take the teachers (and days) from this solution")
        p.add_argument("--slot", type=int, default=SLOT, help="minutes per FET hour")
        p.add_argument("--fix-days", action="store_true", help="also fix the days")
        p.add_argument("--out", required=True)
        p = sub.add_parser("fet-solve", help="solve INSTANCE.json with fet-cl (teachers fixed)")
        p.add_argument("instance")
        p.add_argument("--solution", help="take the teachers from this solution")
        p.add_argument("--slot", type=int, default=SLOT, help="minutes per FET hour")
        p.add_argument("--time-limit", type=int, default=60)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--out", required=True)
        p = sub.add_parser("export", help="write the instance of a programme's current data")
        p.add_argument("--programme", required=True, help="the programme's slug")
        p.add_argument("--year", type=int, help="start year of the school year (default: now)")
        p.add_argument("--out", required=True)
        p = sub.add_parser("generate", help="write a seeded benchmark instance")
        p.add_argument("--tier", choices=list(TIERS), default="S")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--out", required=True)

    def do_export(self, *, programme, year, out, **_):
        from leerorkest.accounts.models import Organisation
        from leerorkest.accounts.roles import OrgKind
        from leerorkest.schools.models import SchoolYear
        from leerorkest.timetable import actions
        from leerorkest.timetable.export import assignments_of, build_instance

        found = Organisation.objects.filter(
            slug=programme, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
        ).first()
        if found is None:
            raise CommandError(f"no programme with the slug {programme!r}")
        school_year = (
            SchoolYear.objects.filter(starts_on__year=year).first()
            if year
            else SchoolYear.objects.current()
        )
        if school_year is None:
            raise CommandError(f"no school year starting in {year}" if year else "no school year")
        current = actions.published_timetable(found, school_year)
        inst = build_instance(
            found, school_year, published=assignments_of(current) if current else []
        )
        Path(out).write_text(inst.dumps(), encoding="utf-8")
        self.stdout.write(
            f"{out}: {len(inst.schools)} schools, {len(inst.teachers)} teachers, "
            f"{len(inst.lessons)} lessons, {len(inst.published)} published"
        )

    def handle(self, *args, action, **opts):
        try:
            getattr(self, f"do_{action.replace('-', '_')}")(**opts)
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

    def do_solve(self, instance, time_limit, threads, seed, greedy, no_hint, no_lns, out, **_):
        inst = load_instance(instance)
        if greedy:
            sol = solve_greedy(inst)
            self._write(out, sol.to_json())
            self.stdout.write(f"greedy placed {len(sol.assignments)}/{len(inst.lessons)} lessons")
            return
        hint = None if no_hint else solve_greedy(inst)

        def progress(seconds, objective, bound):
            self.stdout.write(f"{seconds:8.2f}s  objective {objective:.0f}  bound {bound:.0f}")

        res = solve(
            inst,
            time_limit,
            threads,
            seed,
            on_progress=progress,
            hint=hint,
            greedy_hint=not no_hint,
            lns=False if no_lns else "auto",
        )
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

    def _teachers_from(self, inst, solution):
        """The solution to fix teachers from: the given file, else the greedy result."""
        return load_solution(solution) if solution else solve_greedy(inst)

    def do_fet_export(self, instance, solution, slot, fix_days, out, **_):
        inst = load_instance(instance)
        export = export_fet(inst, self._teachers_from(inst, solution), slot, fix_days=fix_days)
        try:
            Path(out).write_text(export.xml, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{out}: cannot write ({exc.strerror})") from None
        self.stdout.write(f"{out}: {len(export.lessons)} activities, {slot}-minute grid")
        for note in export.notes:
            self.stdout.write(f"  - {note}")

    def do_fet_solve(self, instance, solution, slot, time_limit, seed, out, **_):
        if not fet_available():
            raise CommandError("fet-cl is not installed (Debian package fet)")
        inst = load_instance(instance)
        res = run_fet(inst, time_limit, self._teachers_from(inst, solution), seed, slot=slot)
        if res.solution is None:
            raise CommandError(f"FET gave no timetable ({res.status}): {res.message[-300:]}")
        self._write(out, res.solution.to_json())
        rep = check(inst, res.solution)
        self.stdout.write(
            f"FET {res.status}: {res.placed}/{len(inst.lessons)} lessons in {res.seconds:.1f}s, "
            f"hard violations {rep.hard_total}, soft score {rep.soft_total}"
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
