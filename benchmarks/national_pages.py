"""F2: at national scale the key list and search pages answer with p95 ≤ 150 ms server time, and
within 3× of a trivial page on the same server.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/leerorkest \\
        uv run python benchmarks/national_pages.py             # the figure F2 names
    uv run python benchmarks/national_pages.py --scale amsterdam --requests 20   # quick look

Builds the demo at the chosen scale (national: 100,000 instruments, ~1,000,000 history rows,
~50,000 pupils) in a throwaway database, then requests each page in-process through Django's
test client as the demo's depot staff or coordinator would (sessions, middleware, access rules,
templates: everything but the network), after a few warm-up requests. "Server time" is the time
from request to complete response.

The baseline is measured in the same run: a trivial signed-in page (the profile page: session,
user, navigation and the base template, one small query) and /healthz. Prints a Markdown table;
the database is thrown away.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TARGET_MS = 150.0
TARGET_RATIO = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["amsterdam", "national"], default="national")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-pages-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerorkest.settings")
    os.environ["VAR_DIR"] = scratch
    (Path(scratch) / "static").mkdir()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.TWO_FACTOR_REQUIRED = False
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(scratch) / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"bench_pages_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        from leerorkest.demo.build import build

        build(scale=args.scale)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        sizes = volumes()
        results = measure(args.requests)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)
    return report(connection.vendor, args.scale, built, sizes, args.requests, results)


def volumes() -> dict[str, int]:
    from leerorkest.depot.models import Instrument, InstrumentEvent, Loan
    from leerorkest.schools.models import Pupil

    return {
        "instruments": Instrument.objects.count(),
        "history events": InstrumentEvent.objects.count(),
        "loans": Loan.objects.count(),
        "pupils": Pupil.objects.count(),
    }


def pages():
    """(label, login, url name, args, query); `None` args are filled from the data."""
    from django.db.models import Count

    from leerorkest.depot.models import Instrument
    from leerorkest.programme.models import InstrumentType
    from leerorkest.schools.models import Pupil

    busiest = (
        Instrument.objects.annotate(n=Count("events")).order_by("-n", "pk").values("pk").first()
    )
    violin = InstrumentType.objects.get(code="violin").pk
    some_tag = Instrument.objects.order_by("pk").values_list("asset_tag", flat=True)[
        Instrument.objects.count() // 2
    ]
    surname = Pupil.objects.order_by("pk").values_list("surname", flat=True).first()
    middle_page = max(1, Instrument.objects.count() // 50 // 2)
    from leerorkest.workshop.models import WorkOrder

    workshop = (
        WorkOrder.objects.values("workshop_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("workshop_id", flat=True)
        .first()
    )
    depot, coordinator = "depot@leerorkest.example", "coordinator@leerorkest.example"
    return [
        ("baseline: /healthz", None, "healthz", [], ""),
        ("baseline: profile page (signed in)", depot, "accounts:profile", [], ""),
        ("stock list, first page", depot, "depot:instrument_list", [], ""),
        ("stock list, search by tag", depot, "depot:instrument_list", [], f"q={some_tag}"),
        ("stock list, search by make", depot, "depot:instrument_list", [], "q=gliga"),
        (
            "stock list, violins available, by location",
            depot,
            "depot:instrument_list",
            [],
            f"type={violin}&status=available&sort=location",
        ),
        (
            "stock list, a page in the middle",
            depot,
            "depot:instrument_list",
            [],
            f"page={middle_page}",
        ),
        ("instrument page, longest history", depot, "depot:instrument_detail", [busiest["pk"]], ""),
        ("home page with figures, depot staff", depot, "home", [], ""),
        ("requests overview (demand against stock)", depot, "allocation:depot_overview", [], ""),
        ("work order queue, busiest workshop", depot, "workshop:queue", [workshop], ""),
        ("donations list", depot, "donations:list", [], ""),
        ("portal: the programme's own loans", coordinator, "depot:portal", [], ""),
        ("pupil list, first page", coordinator, "schools:pupil_list", [], ""),
        ("pupil list, search by surname", coordinator, "schools:pupil_list", [], f"q={surname}"),
    ]


def measure(requests: int) -> dict[str, list[float]]:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from leerorkest.accounts.models import User

    setup_test_environment()
    clients: dict[str | None, Client] = {None: Client()}
    timings: dict[str, list[float]] = {}
    for label, login, name, args, query in pages():
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        if query:
            url += "?" + query
        if login not in clients:
            clients[login] = Client()
            clients[login].force_login(User.objects.get(email=login))
        client = clients[login]
        for _ in range(3):
            status = client.get(url, secure=True).status_code
        assert status == 200, f"{url}: {status}"
        values = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, secure=True)
            values.append((time.perf_counter() - started) * 1000)
        timings[label] = values
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(vendor, scale, built, sizes, requests, timings) -> int:
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
    counts = ", ".join(f"{n:,} {what}" for what, n in sizes.items())
    print(f"\n### F2 key pages at {scale} scale, {engine}: {counts}")
    print(f"\nDemo built in {built:.0f} s. {requests} timed requests per page after 3 warm-ups.\n")
    baseline = p95(timings["baseline: profile page (signed in)"])
    print("| page | median (ms) | p95 (ms) | p95 / trivial page |")
    print("|---|---:|---:|---:|")
    worst, worst_ratio = 0.0, 0.0
    for label, values in timings.items():
        ratio = p95(values) / baseline
        print(f"| {label} | {statistics.median(values):.1f} | {p95(values):.1f} | {ratio:.1f}× |")
        if not label.startswith("baseline"):
            worst, worst_ratio = max(worst, p95(values)), max(worst_ratio, ratio)
    met = worst <= TARGET_MS and worst_ratio <= TARGET_RATIO
    print(
        f"\nSlowest key page p95 {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms), "
        f"{worst_ratio:.1f}× the trivial page (target ≤ {TARGET_RATIO:.0f}×): "
        f"{'met' if met else 'NOT met'}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
