"""The `leerorkest` command: `demo`, `serve`, and every Django management command.

Errors a person can fix (port taken, unwritable var/, bad DATABASE_URL, database down) end in one
clear line and exit status 1, never a traceback.
"""

import argparse
import os
import socket
import sys
from pathlib import Path

SETTINGS = "leerorkest.settings"


class CliError(Exception):
    """Ends the command with one line on stderr."""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from leerorkest.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as error:
        raise CliError(str(error)) from None


def _check_var_dir() -> None:
    from django.conf import settings

    var_dir = Path(settings.VAR_DIR)
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
        probe = var_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise CliError(
            f"Cannot write to {var_dir} ({error.strerror}); set VAR_DIR to a writable folder."
        ) from None


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            raise CliError(
                f"Port {port} on {host} is already in use; choose another with --port."
            ) from None


def _check_database() -> None:
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        raise CliError(f"Cannot reach the database: {first_line}") from None


def _wipe_database() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.close()
        path = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)


def demo(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="leerorkest demo", description="Build the demo database (once) and serve the site."
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--fresh", action="store_true", help="throw away the demo data and rebuild")
    parser.add_argument("--scale", choices=["amsterdam", "national"], default="amsterdam")
    parser.add_argument("--no-serve", action="store_true", help="build and print logins only")
    args = parser.parse_args(argv)

    # The demo runs as a development site: readable errors, e-mail printed to the console, and
    # background tasks (such as invitation e-mail) run at once, without a separate worker.
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("TASK_BACKEND", "immediate")
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
    _setup()
    _check_var_dir()
    if not args.no_serve:
        _check_port(args.host, args.port)
    _check_database()

    import time

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import translation

    from leerorkest.accounts.models import Organisation
    from leerorkest.accounts.roles import role_label
    from leerorkest.demo.build import DEMO_PASSWORD, build, demo_logins

    if args.fresh:
        _wipe_database()
    call_command("migrate", verbosity=0)
    if Organisation.objects.exists():
        print("Using the existing demo database (rebuild it with --fresh).")
        logins = demo_logins()
    else:
        started = time.monotonic()
        print(f"Building the {args.scale} demo data…", flush=True)
        logins = build(scale=args.scale)
        print(f"Demo data built in {time.monotonic() - started:.1f} s.")

    url = f"http://{args.host}:{args.port}"
    print(f"\nLeerorkest platform: {url}\nPassword for every account: {DEMO_PASSWORD}\n")
    with translation.override("en"):
        width = max(len(role_label(role)) for role, _email in logins)
        for role, email in logins:
            print(f"  {role_label(role):<{width}}  {email}")
    if not settings.TWO_FACTOR_REQUIRED:
        print("\nTwo-step login (TOTP) is off in the demo; turn it on: TWO_FACTOR_REQUIRED=true")
    print()
    if args.no_serve:
        return
    sys.stdout.flush()
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, skip_checks=True)


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="leerorkest serve", description="Run the production web server (gunicorn)."
    )
    parser.add_argument("--bind", default=None, help="address:port (default GUNICORN_BIND)")
    parser.add_argument("--workers", type=int, default=None, help="default GUNICORN_WORKERS")
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args(argv)

    _setup()
    from django.conf import settings

    from leerorkest.config import DEV_SECRET_KEY

    if settings.DEBUG:
        raise CliError("Refusing to serve with DEBUG on; unset DEBUG for production.")
    if settings.SECRET_KEY == DEV_SECRET_KEY or len(settings.SECRET_KEY) < 40:
        raise CliError(
            "Refusing to serve without a secret: set SECRET_KEY (50+ random characters)."
        )
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        raise CliError(
            f"No static files in {settings.STATIC_ROOT}: run `leerorkest collectstatic`."
        )
    _check_database()

    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "leerorkest.wsgi:application",
        "--bind",
        args.bind or settings.GUNICORN_BIND,
        "--workers",
        str(args.workers or settings.GUNICORN_WORKERS),
        "--timeout",
        str(args.timeout),
        "--access-logfile",
        "-",
        # No query strings in the access log: they may carry names.
        "--access-logformat",
        '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
    ]
    run()


def passthrough(argv: list[str]) -> None:
    """Any Django management command, with the same one-line errors for the usual faults."""
    _setup()
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError, connection

    if connection.vendor == "sqlite":
        _check_var_dir()
    try:
        execute_from_command_line(["leerorkest", *argv])
    except DatabaseError as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise CliError(f"Database error: {first_line}") from None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    try:
        if command == "demo":
            demo(argv[1:])
        elif command == "serve":
            serve(argv[1:])
        else:
            passthrough(argv)
    except CliError as error:
        print(f"leerorkest: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
