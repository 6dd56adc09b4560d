"""F3: a class list of 5,000 rows is validated and committed in at most 5 seconds.

    uv run python benchmarks/class_import.py                  # SQLite, a fresh file database
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/leerorkest \\
        uv run python benchmarks/class_import.py              # PostgreSQL, a throwaway database

Each round makes a new programme with one school and a 5,000-row CSV as schools send it
(Windows-1252, semicolons, CRLF), then times:

- upload: read, check every row and plan against the database (the preview; writes no pupil);
- commit: check again inside the transaction and write 5,000 pupils, their classes and placements;
- the same list again a week later: all 5,000 pupils matched (upload + commit);
- upload + commit through the pages (multipart POST, redirect, preview page render).

The figure F3 names is upload + commit. Prints a Markdown table; the database is thrown away.
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
TARGET_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-import-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerorkest.settings")
    os.environ["VAR_DIR"] = scratch  # the default SQLite file goes here, not into var/
    (Path(scratch) / "static").mkdir()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # As in the tests: no second-factor prompt for the logged-in coordinator, and pages render
    # without `collectstatic`.
    settings.TWO_FACTOR_REQUIRED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(scratch) / "bench.sqlite3")  # a file, as in production
    else:
        test_settings["NAME"] = f"bench_class_import_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        results = run(args.rows, args.rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)
    report(connection.vendor, args.rows, args.rounds, results)
    return 0


def run(rows: int, rounds: int) -> dict[str, list[float]]:
    from django.test.utils import setup_test_environment

    from leerorkest.schools.tests.import_builders import class_list, many_rows
    from leerorkest.testing import make_school_year

    setup_test_environment()  # lets the test client talk to the site
    year = make_school_year(2026)
    content = class_list(*many_rows(rows), encoding="cp1252")
    timings: dict[str, list[float]] = {}
    for _round in range(rounds):
        for name, seconds in one_round(year, content, rows).items():
            timings.setdefault(name, []).append(seconds)
    return timings


def one_round(year, content: bytes, rows: int) -> dict[str, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from leerorkest.accounts.roles import OrgKind, Role
    from leerorkest.schools.import_actions import commit_class_list, upload_class_list
    from leerorkest.schools.models import ClassListImport, ImportStatus, Pupil
    from leerorkest.testing import make_member, make_organisation, make_school

    def fresh_school():
        programme = make_organisation(kind=OrgKind.PROGRAMME)
        return make_member(programme, Role.COORDINATOR), make_school(programme)

    def upload(school, by):
        return upload_class_list(
            school=school, school_year=year, filename="lijst.csv", content=content, by=by
        )

    seconds: dict[str, float] = {}
    coordinator, school = fresh_school()
    started = time.perf_counter()
    class_import = upload(school, coordinator)
    checked = time.perf_counter()
    committed = commit_class_list(class_import=class_import, by=coordinator)
    done = time.perf_counter()
    assert class_import.status == ImportStatus.PREVIEWED
    assert committed.status == ImportStatus.COMMITTED
    assert Pupil.objects.filter(organisation=school.organisation.parent).count() == rows
    seconds["upload (check and preview)"] = checked - started
    seconds["commit (check again and write)"] = done - checked
    seconds["F3: upload + commit"] = done - started

    # Baseline: the same pupils, classes and placements written with plain bulk_create, no
    # reading, checking or matching at all: the floor any import on this database stands on.
    _coordinator, bare = fresh_school()
    started = time.perf_counter()
    plain_bulk_create(bare, year, content)
    seconds["baseline: plain bulk_create of the same rows"] = time.perf_counter() - started

    started = time.perf_counter()
    again = upload(school, coordinator)
    commit_class_list(class_import=again, by=coordinator)
    seconds["same list again, all matched (upload + commit)"] = time.perf_counter() - started
    assert again.report["counts"]["unchanged"] == rows

    coordinator, school = fresh_school()
    client = Client()
    client.force_login(coordinator)
    started = time.perf_counter()
    response = client.post(
        reverse("schools:import_new"),
        {
            "school": school.pk,
            "school_year": year.starts_on.year,
            "file": SimpleUploadedFile("lijst.csv", content, content_type="text/csv"),
        },
        secure=True,
    )
    pk = ClassListImport.objects.get(school=school).pk
    assert response.headers["Location"] == reverse("schools:import_detail", args=[pk])
    assert client.get(response.headers["Location"], secure=True).status_code == 200
    response = client.post(reverse("schools:import_commit", args=[pk]), secure=True)
    seconds["upload, preview page and commit through the pages"] = time.perf_counter() - started
    assert response.status_code == 302
    assert ClassListImport.objects.get(pk=pk).status == ImportStatus.COMMITTED
    return seconds


def plain_bulk_create(school, year, content: bytes) -> None:
    from datetime import datetime

    from django.db import transaction

    from leerorkest.schools.models import ClassPlacement, Pupil, SchoolClass

    lines = content.decode("cp1252").splitlines()[1:]
    rows = [line.split(";") for line in lines if line]
    with transaction.atomic():
        names = sorted({row[4] for row in rows})
        classes = {
            c.name: c
            for c in SchoolClass.objects.bulk_create(
                SchoolClass(school=school, school_year=year, year_group=int(n[0]), name=n)
                for n in names
            )
        }
        pupils = Pupil.objects.bulk_create(
            Pupil(
                organisation_id=school.organisation.parent_id,
                given_name=row[0],
                surname_prefix=row[1],
                surname=row[2],
                date_of_birth=datetime.strptime(row[3], "%d-%m-%Y").date(),
            )
            for row in rows
        )
        ClassPlacement.objects.bulk_create(
            ClassPlacement(pupil=p, school_class=classes[row[4]], school_year=year)
            for p, row in zip(pupils, rows, strict=True)
        )


def report(vendor: str, rows: int, rounds: int, timings: dict[str, list[float]]) -> None:
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
    print(f"\n### F3 class-list import: {rows:,} rows, {engine}, {rounds} rounds\n")
    print("| phase | median (s) | worst (s) |")
    print("|---|---:|---:|")
    for name, values in timings.items():
        print(f"| {name} | {statistics.median(values):.2f} | {max(values):.2f} |")
    worst = max(timings["F3: upload + commit"])
    ratio = statistics.median(timings["F3: upload + commit"]) / statistics.median(
        timings["baseline: plain bulk_create of the same rows"]
    )
    print(f"\nThe import takes {ratio:.1f}× the plain bulk_create baseline (medians).")
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    print(f"\nTarget F3 (≤ {TARGET_SECONDS:.0f} s for upload + commit, worst round): {verdict}.")


if __name__ == "__main__":
    sys.exit(main())
