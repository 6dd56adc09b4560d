"""Typed readers for environment variables, used by settings.py and the command line."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# Only ever used when SECRET_KEY is unset; `leerorkest serve` and `check --deploy` refuse it.
DEV_SECRET_KEY = "django-insecure-leerorkest-development-only"  # noqa: S105

SQLITE_TIMEOUT_SECONDS = 25


class ConfigError(ValueError):
    """A setting has a value the platform cannot use; the message names the variable."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "leerorkest.db.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # Writers take the lock when the transaction starts, so two writers queue instead of
            # failing with "database is locked" half-way (target L4).
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_TIMEOUT_SECONDS,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        # Tests run on an in-memory copy (one per pytest-xdist worker).
        "TEST": {"NAME": ":memory:"},
    }


def parse_database_url(url: str, var_dir: Path) -> dict:
    """Turn DATABASE_URL into a Django database dict; empty means SQLite under var/."""
    if not url:
        return sqlite_database(var_dir / "leerorkest.sqlite3")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        raw = unquote(parts.path)
        if not raw or raw == "/":
            raise ConfigError(
                "DATABASE_URL: a sqlite URL needs a file, e.g. sqlite:///var/db.sqlite3"
            )
        path = Path(raw[1:])  # "/rel/path" -> "rel/path"; "//abs/path" -> "/abs/path"
        return sqlite_database(path.resolve())
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError("DATABASE_URL: a postgresql URL needs a database name")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        try:
            port = parts.port
        except ValueError:
            raise ConfigError("DATABASE_URL: the port is not a number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(
        f"DATABASE_URL must start with postgresql:// or sqlite:///, not {scheme or url!r}"
    )
