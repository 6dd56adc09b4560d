"""The `leerorkest` command: clear one-line errors, the demo, and the production checks."""

import os
import secrets
import socket
import subprocess
import sys

import pytest

ALL_ROLES = [
    "Platform administrator",
    "Programme coordinator",
    "Teacher",
    "School contact",
    "Depot staff",
    "Workshop lead",
    "Workshop volunteer",
    "Partner programme coordinator",
]


def run(args, tmp_path, timeout=120, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    base["VAR_DIR"] = str(tmp_path / "var")
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "leerorkest.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=base,
        check=False,
    )


def assert_one_line_error(result, fragment):
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


def test_port_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["demo", "--port", str(port)], tmp_path)
    assert_one_line_error(result, "already in use")


def test_unwritable_var_dir(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(["demo", "--no-serve"], tmp_path, VAR_DIR=str(blocker / "var"))
    assert_one_line_error(result, "Cannot write to")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@localhost/x", "DATABASE_URL must start with"),
        ("postgresql://127.0.0.1:5432", "needs a database name"),
        ("postgresql://nobody@127.0.0.1:9/none", "Cannot reach the database"),
    ],
)
def test_bad_database_url(tmp_path, url, fragment):
    result = run(["demo", "--no-serve"], tmp_path, DATABASE_URL=url)
    assert_one_line_error(result, fragment)


def test_bad_boolean_setting(tmp_path):
    assert_one_line_error(run(["check"], tmp_path, DEBUG="maybe"), "DEBUG must be true or false")


def test_serve_refuses_debug_and_default_secret(tmp_path):
    assert_one_line_error(run(["serve"], tmp_path, DEBUG="true"), "DEBUG")
    assert_one_line_error(run(["serve"], tmp_path, DEBUG="false"), "SECRET_KEY")


def production_env(tmp_path):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "platform.leerorkest.example",
        "SITE_URL": "https://platform.leerorkest.example",
    }


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_them(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, DEBUG="true")
    assert result.returncode != 0


def test_demo_builds_once_and_prints_a_login_per_role(tmp_path):
    # The build's speed is a benchmark (F6), not this test's business: a shared CI machine may
    # take several times the usual ~40 s, so the limit only catches a hang.
    first = run(["demo", "--no-serve"], tmp_path, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "Demo data built" in first.stdout
    for role in ALL_ROLES:
        assert role in first.stdout, role
    assert "coordinator@leerorkest.example" in first.stdout
    assert (tmp_path / "var" / "leerorkest.sqlite3").exists()
    again = run(["demo", "--no-serve"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Using the existing demo database" in again.stdout
    assert all(role in again.stdout for role in ALL_ROLES)
    fresh = run(["demo", "--no-serve", "--fresh"], tmp_path, timeout=600)
    assert "Demo data built" in fresh.stdout


def test_management_commands_pass_through(tmp_path):
    result = run(["showmigrations", "accounts"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0002_auditevent_append_only" in result.stdout
    down = run(["migrate"], tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    assert_one_line_error(down, "Database error")


HEALTH_PROBE = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "leerorkest.settings"
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(response.status_code, response.content.decode())
"""


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none"
    env["ALLOWED_HOSTS"] = "testserver"
    result = subprocess.run(
        [sys.executable, "-c", HEALTH_PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith("503"), result.stdout + result.stderr
    assert '"database": "unreachable"' in result.stdout


def test_healthz_is_200_with_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
