"""The checkout race against a real database in its own process (targets L1, L2, L4).

Eight clients lend the same instrument at the same moment, 200 times: exactly one succeeds each
time, seven get "already on loan", nobody gets an error, and no instrument is ever on two open
loans. The sabotaged run (no row lock, no constraint) must find double loans, or this test
proves nothing. On PostgreSQL both run; on SQLite (file database, IMMEDIATE transactions) the
normal run checks that no client ever sees "database is locked".
"""

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

TRIALS, THREADS = 200, 8


def race(database_url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "leerorkest.depot.racecheck", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database on the engine the suite runs on."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/race.sqlite3"  # an absolute path: sqlite:////tmp/…
        return
    import psycopg

    parts = urlsplit(url)
    name = f"race_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_exactly_one_checkout_wins_every_time(fresh_database):
    totals = race(fresh_database, "--trials", str(TRIALS), "--threads", str(THREADS))
    assert totals["errors"] == 0, totals["error_samples"]
    assert totals["locked_errors"] == 0
    assert totals["double_loans"] == 0
    assert totals["succeeded"] == TRIALS
    assert totals["refused"] == TRIALS * (THREADS - 1)
    assert totals["loans_written"] == TRIALS


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's IMMEDIATE transactions serialise writers even without the row lock",
)
def test_the_race_test_finds_double_loans_when_the_guards_are_off(fresh_database):
    totals = race(fresh_database, "--trials", "30", "--threads", str(THREADS), "--sabotage")
    assert totals["double_loans"] > 0
