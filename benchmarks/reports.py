"""Issue 7 item 8: at national scale every dashboard renders within 1 s and every funder pack is
built within 30 s on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres leerorkest_bench     # once
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/leerorkest_bench \\
        uv run python benchmarks/reports.py                      # national scale, the target
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/leerorkest_bench_ams \\
        uv run python benchmarks/reports.py --scale amsterdam    # a quicker look

Unlike benchmarks/national_pages.py, which builds a throwaway database on every run, this one
works on the database DATABASE_URL names and keeps it: an empty database is migrated and filled
by the demo builder (`leerorkest.demo.build.build`, as `leerorkest demo --scale … --no-serve`
does, which can also build it beforehand); a database that already holds the demo is used as
it is. The funder packs it builds are deleted afterwards.

It measures, as the demo's platform administrator (every programme) and as the Amsterdam
coordinator (one programme): the reach page (whole scope, and the district with most schools),
the continuity page, the public figures (counted with an empty cache, and as served from it),
a funder pack's tables (`packs.build_tables`) and a whole pack build (`packs.run_pack`, which
also stores the tables). Pages are requested in-process through Django's test client
(sessions, middleware, access rules, templates: everything but the network) after one warm-up;
the baseline is a trivial signed-in page (the profile page) in the same run. Prints a Markdown
table of min / median / max and the ratio of the median to the baseline's.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DASHBOARD_TARGET_S = 1.0
PACK_TARGET_S = 30.0
COORDINATOR = "coordinator@leerorkest.example"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["amsterdam", "national"], default="national")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each dashboard")
    parser.add_argument("--pack-repeats", type=int, default=3, help="timed runs of each pack")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-reports-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerorkest.settings")
    os.environ.setdefault("VAR_DIR", scratch)
    (Path(os.environ["VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TASK_BACKEND", "immediate")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.TWO_FACTOR_REQUIRED = False
    settings.DEBUG = False
    settings.PUBLIC_FIGURES = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from leerorkest.accounts.models import Organisation

    built = None
    if not Organisation.objects.exists():
        from leerorkest.demo.build import build

        print(f"Building the {args.scale} demo in {settings.DATABASES['default']['NAME']}…")
        started = time.perf_counter()
        build(scale=args.scale)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    from benchmarks.national_pages import volumes

    sizes = {**volumes(), **report_volumes()}
    timings = measure(args.repeats, args.pack_repeats)
    return report(connection.vendor, sizes, built, args, timings)


def report_volumes() -> dict[str, int]:
    from leerorkest.accounts.models import Organisation
    from leerorkest.accounts.roles import OrgKind
    from leerorkest.programme.models import EnsembleMember, LessonGroupMember
    from leerorkest.schools.models import School

    return {
        "programmes": Organisation.objects.filter(
            kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
        ).count(),
        "schools": School.objects.count(),
        "lesson group places": LessonGroupMember.objects.count(),
        "ensemble places": EnsembleMember.objects.count(),
    }


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    run()  # warm-up: the first run pays for connections, templates and translations
    values = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        values.append(time.perf_counter() - started)
    return values


def scopes():
    """(who, user, scope) for the platform administrator and the Amsterdam coordinator."""
    from leerorkest.accounts.models import Organisation, User
    from leerorkest.accounts.roles import OrgKind
    from leerorkest.reports.scope import Scope

    admin = User.objects.filter(is_platform_admin=True).order_by("pk").first()
    coordinator = User.objects.get(email=COORDINATOR)
    everything = Organisation.objects.filter(
        kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER], is_active=True
    ).order_by("name")
    own = coordinator.memberships.filter(role="coordinator").first().organisation
    return [
        ("platform admin", admin, Scope(tuple(everything))),
        ("Amsterdam coordinator", coordinator, Scope((own,))),
    ]


def busiest_district(scope) -> int:
    from django.db.models import Count

    return (
        scope.schools()
        .values("neighbourhood__district_id")
        .exclude(neighbourhood__district_id=None)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("neighbourhood__district_id", flat=True)
        .first()
    )


def measure(repeats: int, pack_repeats: int) -> dict[str, tuple[str, list[float]]]:
    """label -> (kind, seconds); kind is baseline, dashboard or pack."""
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from leerorkest.reports.public_views import count_figures
    from leerorkest.reports.scope import period_from

    setup_test_environment()
    period = period_from({}, timezone.localdate())
    results: dict[str, tuple[str, list[float]]] = {}
    anonymous = Client()

    def page(client, url):
        def run():
            response = client.get(url, secure=True)
            assert response.status_code == 200, f"{url}: {response.status_code}"

        return run

    for who, user, scope in scopes():
        client = Client()
        client.force_login(user)
        if "baseline: profile page (signed in)" not in results:
            results["baseline: profile page (signed in)"] = (
                "baseline",
                timed(page(client, reverse("accounts:profile")), repeats),
            )
        reach = reverse("reports:reach")
        district = busiest_district(scope)
        for label, url in (
            ("reach page, whole scope", reach),
            ("reach page, one district", f"{reach}?district={district}"),
            ("continuity page", reverse("reports:continuity")),
        ):
            results[f"{label} ({who})"] = ("dashboard", timed(page(client, url), repeats))
        results.update(measure_packs(who, user, scope, period, pack_repeats))

    results.update(scaled_counting(period, repeats))

    def uncached():
        cache.clear()
        count_figures()

    results["public figures, counted (empty cache)"] = ("dashboard", timed(uncached, repeats))

    def public_page_cold():
        cache.clear()
        page(anonymous, reverse("reports:public_figures"))()

    results["public figures page, empty cache"] = ("dashboard", timed(public_page_cold, repeats))
    results["public figures page, from the cache"] = (
        "dashboard",
        timed(page(anonymous, reverse("reports:public_figures")), repeats),
    )
    return results


def scaled_counting(period, repeats) -> dict[str, tuple[str, list[float]]]:
    """The demo's national scale adds partner programmes' schools and pupils but no lesson
    groups or ensembles for them, so the facts a report counts are Amsterdam's. This repeats
    the whole scope's facts (with other pupil ids) until there is about one fact per pupil of
    the dataset, and times what reach() does with them in memory: the breakdowns and the year
    by year count. The database part is not scaled: it reads the facts as tuples, in three
    queries, and grows with them."""
    import dataclasses
    import math

    from leerorkest.accounts.models import Organisation
    from leerorkest.accounts.roles import OrgKind
    from leerorkest.reports.facts import collect, school_places
    from leerorkest.reports.reach import _count, breakdowns
    from leerorkest.reports.scope import Scope
    from leerorkest.schools.models import Pupil, SchoolYear

    scope = Scope(tuple(Organisation.objects.filter(kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER])))
    years = list(SchoolYear.objects.filter(starts_on__lte=period.ends_on).order_by("-starts_on"))
    facts = collect(scope, [y.pk for y in years[:4]])
    in_year = {f.pupil for f in facts if f.year in set(period.year_ids)}
    factor = max(1, math.ceil(Pupil.objects.count() / max(1, len(in_year))))
    offset = 10 ** len(str(max((f.pupil for f in facts), default=1)))
    scaled = [
        dataclasses.replace(f, pupil=f.pupil + copy * offset)
        for copy in range(factor)
        for f in facts
    ]
    places = school_places(scope.programme_ids)
    wanted = set(period.year_ids)

    def count():
        in_period = [f for f in scaled if f.year in wanted]
        breakdowns(in_period, places)
        _count(scaled, lambda f: f.year)

    label = (
        f"reach counting in memory, {len(scaled):,} facts "
        f"({factor}× the demo's, {factor * len(in_year):,} children this year)"
    )
    return {label: ("dashboard", timed(count, repeats))}


def measure_packs(who, user, scope, period, repeats) -> dict[str, tuple[str, list[float]]]:
    from leerorkest.reports import packs
    from leerorkest.reports.models import FunderPack

    made = []

    def whole_pack():
        pack = FunderPack.objects.create(
            title="benchmark", params=packs.params_of(scope, period), requested_by=user
        )
        made.append(pack.pk)
        assert packs.run_pack(pack.pk) == FunderPack.Status.DONE

    try:
        return {
            f"pack tables, build_tables ({who})": (
                "pack",
                timed(lambda: packs.build_tables(scope, period, lambda _p: None), repeats),
            ),
            f"pack build, run_pack ({who})": ("pack", timed(whole_pack, repeats)),
        }
    finally:
        FunderPack.objects.filter(pk__in=made).delete()


def report(vendor, sizes, built, args, timings) -> int:
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
    counts = ", ".join(f"{n:,} {what}" for what, n in sizes.items())
    print(f"\n### Reports at {args.scale} scale, {engine}: {counts}")
    origin = f"Demo built in {built:.0f} s. " if built is not None else "Existing demo database. "
    print(
        f"\n{origin}{args.repeats} timed runs per dashboard, {args.pack_repeats} per pack, "
        "each after one warm-up.\n"
    )
    baseline = statistics.median(timings["baseline: profile page (signed in)"][1])
    print("| what | min (s) | median (s) | max (s) | median / trivial page | target |")
    print("|---|---:|---:|---:|---:|---|")
    missed = []
    for label, (kind, values) in timings.items():
        target = {"dashboard": DASHBOARD_TARGET_S, "pack": PACK_TARGET_S}.get(kind)
        met = ""
        if target is not None:
            met = f"≤ {target:.0f} s: " + ("met" if max(values) <= target else "NOT met")
            if max(values) > target:
                missed.append(label)
        print(
            f"| {label} | {min(values):.3f} | {statistics.median(values):.3f} | "
            f"{max(values):.3f} | {statistics.median(values) / baseline:.1f}× | {met} |"
        )
    print(
        "\nEvery dashboard within 1 s and every pack within 30 s (slowest run): "
        + ("met." if not missed else "NOT met: " + "; ".join(missed) + ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
