"""Settings for the Leerorkest platform.

One file, driven by environment variables. Every variable read here is listed in the README's
settings table; `leerorkest.config` holds the small typed readers.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from leerorkest.config import (
    DEV_SECRET_KEY,
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "leerorkest.admin_apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "leerorkest.accounts.apps.AccountsConfig",
    "leerorkest.schools.apps.SchoolsConfig",
    "leerorkest.programme.apps.ProgrammeConfig",
    "leerorkest.depot.apps.DepotConfig",
    "leerorkest.allocation.apps.AllocationConfig",
    "leerorkest.workshop.apps.WorkshopConfig",
    "leerorkest.donations.apps.DonationsConfig",
    "leerorkest.stock.apps.StockConfig",
    "leerorkest.timetable.apps.TimetableConfig",
    "leerorkest.curriculum.apps.CurriculumConfig",
    "leerorkest.repertoire.apps.RepertoireConfig",
    "leerorkest.knowledge.apps.KnowledgeConfig",
    "leerorkest.academie.apps.AcademieConfig",
    "leerorkest.reports.apps.ReportsConfig",
    "leerorkest.privacy.apps.PrivacyConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "leerorkest.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "leerorkest.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leerorkest.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "leerorkest.accounts.middleware.SessionLimitsMiddleware",
    "leerorkest.accounts.middleware.ActiveMembershipMiddleware",
    "leerorkest.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "leerorkest.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "leerorkest.urls"
WSGI_APPLICATION = "leerorkest.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "leerorkest" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leerorkest.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", ""), VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and login security (targets A4, A5).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
# The cookie lives as long as the idle limit and is renewed on every request; the absolute
# limit is enforced by SessionLimitsMiddleware.
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Second factor (TOTP) for every role that sees children's data; `leerorkest demo` turns it off.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form posts the e-mail address in the field named "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "leerorkest.accounts.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a proxy the client address comes from X-Forwarded-For (set AXES_IPWARE_PROXY_COUNT).
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Transport and browser security (target A6). Secure defaults whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Languages: Dutch first, English complete.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "leerorkest" / "locale"]
LANGUAGE_COOKIE_NAME = "leerorkest_language"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "leerorkest" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: console in development and the demo, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Leerorkest <noreply@leerorkest.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

# Privacy (target P3): pupils who left this many years ago are pseudonymised by `retention`.
RETENTION_YEARS = env_int("RETENTION_YEARS", 2)
# Depot: a repair whose parts and paid labour pass this share of the instrument's current value
# gets a warning (repair or retire?).
REPAIR_COST_WARNING_PERCENT = env_int("REPAIR_COST_WARNING_PERCENT", 50)
# CPU threads the timetable planner may use (CP-SAT workers).
TIMETABLE_THREADS = env_int("TIMETABLE_THREADS", 2)
# Depot: when loan reminders go out, in days relative to the due date (negative: before it).
REMINDER_DAYS = [int(day) for day in env_list("REMINDER_DAYS", ["-30", "-7", "1", "14", "30"])]
# How long the answer to an API write with an Idempotency-Key is kept for retries.
IDEMPOTENCY_HOURS = env_int("IDEMPOTENCY_HOURS", 48)
# Reports: the public page of headline figures (/figures/ and /figures.json); 404 while off.
PUBLIC_FIGURES = env_bool("PUBLIC_FIGURES", False)
if RETENTION_YEARS < 1:
    raise ConfigError(f"RETENTION_YEARS must be 1 or more, not {RETENTION_YEARS}")

# Background work: tasks are rows in the database, run by `leerorkest db_worker` processes on any
# number of machines. TASK_BACKEND=immediate runs them in the request instead (tests, tiny sites).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env_choice("TASK_BACKEND", "database", ["database", "immediate"])],
        "QUEUES": ["default"],
    }
}

GUNICORN_WORKERS = env_int("GUNICORN_WORKERS", 3)
GUNICORN_BIND = env_str("GUNICORN_BIND", "127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django.request logs would carry URLs with personal data in query strings: warnings only.
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
