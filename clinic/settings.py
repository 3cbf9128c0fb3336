"""
Glide's settings: one module, configured by environment variables.

Without any environment the app runs locally on a SQLite file with DEBUG on.
With ``DEBUG=false`` it runs in production mode: a ``SECRET_KEY`` is required,
cookies are secure, HSTS and a Content-Security-Policy are sent, and
``manage.py check --deploy`` is clean.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG=false) needs a long random "
            "SECRET_KEY in the environment, for example from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "local-development-only-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "clinic.apps.GlideAdminConfig",  # django.contrib.admin, for Glide's operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before WhiteNoise: its runserver command extends WhiteNoise's (see
    # clinic/management/commands/runserver.py).
    "clinic",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    "assessments",
    "portal",
    "outcomes",
    "interop",
]

MIDDLEWARE = [
    "interop.http.FHIRErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and authentication middleware, so that what they raise
    # (a database that is down) is answered in the route's format; bad input is
    # refused before the session is loaded (clinic/errors.py, clinic/boundary.py).
    "clinic.errors.ErrorFormatMiddleware",
    "clinic.boundary.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "clinic.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.session_limit",
            ],
        },
    },
]

WSGI_APPLICATION = "clinic.wsgi.application"

# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL
# through psycopg 3. Connections are kept between requests: opening one per request
# costs most of the throughput.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for concurrent use: readers never wait for the writer (WAL), every
    # transaction takes the write lock when it begins (IMMEDIATE), so two never
    # deadlock upgrading a read to a write, and a writer waits up to
    # SQLITE_BUSY_TIMEOUT seconds for its turn instead of failing "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env_int("SQLITE_BUSY_TIMEOUT", 20),
        init_command="PRAGMA journal_mode=WAL;",
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", False):
    # psycopg's own pool replaces persistent connections when asked for.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
    }

# Django's default cache holds any attempt counter, and with Redis the API's throttle
# counts (without it they live in the table glide_throttle; clinic/throttling.py),
# so it must be one that every process and server shares: Redis when
# REDIS_URL is set, otherwise a table in the database (created by clinic's
# migrations, so `migrate` is all a new database needs). Never a per-process cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_CACHE_TABLE = "glide_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "glide",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "clinic.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# What patients read (the handout, and the portal's pages) is translated; the
# clinician's pages stay in English. Adding a language: see the README.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
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

# Idle timeout: every request pushes the expiry forward, so a session ends after
# this many minutes without activity.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 15)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "clinic.api.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "clinic.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("THROTTLE_LOGIN", "10/minute"),
        "user": os.environ.get("THROTTLE_USER", "1200/minute"),
    },
}

DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "NESTED_FIELD_SEPARATOR": ".",
    # Glide's domain errors (dotted-key validation, signed records, stale versions)
    # answer in the same shape.
    "EXCEPTION_HANDLER_CLASS": "clinic.exceptions.GlideExceptionHandler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Glide API",
    "DESCRIPTION": (
        "Neurodynamic assessments, mobilization plans and home-exercise handouts. "
        "Authenticate with `Authorization: Token <key>` from `/api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
        # The REST API's own enumerations whose field names repeat across records.
        "SideEnum": "assessments.models.Side",
        "PlanItemSideEnum": "assessments.models.PlanItem.Side",
        "InterpretationEnum": "assessments.models.TestResult.Interpretation",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "clinic.api.document_list_indexes_in_error_attrs",
        "clinic.schema.document_boundary_errors",
    ],
}

# Glide's own settings.
GLIDE_FHIR_BASE_URL = os.environ.get("GLIDE_FHIR_BASE_URL", "https://glide.example.org/fhir")
# The parts of a patient's record in FHIR exports, in order (see interop/records.py);
# an app adds its own provider here.
GLIDE_FHIR_RECORD_PROVIDERS = ["interop.records.NeurodynamicRecord", "outcomes.fhir.MeasureRecord"]
GLIDE_MAX_FINDINGS_PER_ASSESSMENT = env_int("GLIDE_MAX_FINDINGS_PER_ASSESSMENT", 400)

# The patient's private link (the portal app). GLIDE_SITE_URL is the address a
# printed link points at (the request's own host when empty).
GLIDE_SITE_URL = os.environ.get("GLIDE_SITE_URL", "")
GLIDE_PORTAL_DAYS_AFTER_REVIEW = env_int("GLIDE_PORTAL_DAYS_AFTER_REVIEW", 14)
GLIDE_PORTAL_PAIN_ALERT_AT = env_int("GLIDE_PORTAL_PAIN_ALERT_AT", 7)
GLIDE_PORTAL_QUIET_DAYS = env_int("GLIDE_PORTAL_QUIET_DAYS", 3)
GLIDE_PORTAL_FAILURE_WINDOW = env_int("GLIDE_PORTAL_FAILURE_WINDOW", 15 * 60)
GLIDE_PORTAL_LINK_FAILURE_LIMIT = env_int("GLIDE_PORTAL_LINK_FAILURE_LIMIT", 5)
GLIDE_PORTAL_ADDRESS_FAILURE_LIMIT = env_int("GLIDE_PORTAL_ADDRESS_FAILURE_LIMIT", 20)
# What the handout's first page adds, by dotted path: a function (plan, request) ->
# HTML, or "" (the portal's QR code of the plan's open link).
GLIDE_HANDOUT_EXTRAS = os.environ.get("GLIDE_HANDOUT_EXTRAS", "portal.handout.link_block")
# What one plan, and so one handout, may hold (assessments/limits.py).
GLIDE_MAX_PLAN_ITEMS = env_int("GLIDE_MAX_PLAN_ITEMS", 12)
GLIDE_HANDOUT_MAX_CHARACTERS = env_int("GLIDE_HANDOUT_MAX_CHARACTERS", 30000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# A JSON body nested deeper than this is refused with a 400 (clinic/boundary.py).
GLIDE_MAX_JSON_DEPTH = env_int("GLIDE_MAX_JSON_DEPTH", 32)
# Errors answered outside a view take the format of the address's prefix; every
# other address gets a page (clinic/errors.py).
GLIDE_ERROR_FORMATS = {
    "/api/": "clinic.errors.api_error",
    "/api/v1/fhir/": "interop.http.fhir_error",
    "/fhir/": "interop.http.fhir_error",
}

# Production mode: everything `manage.py check --deploy` asks for.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "fontTools": {"level": "ERROR"},
        "weasyprint": {"level": "ERROR"},
    },
}

# --- Trust: sign-in lockout, tokens, throttling, faults, Content-Security-Policy ---
# Kept in one block so that it reads as a whole; it only adds to the settings above.
INSTALLED_APPS += ["axes", "csp"]
# axes watches every sign-in that passes a request to authenticate() (the login
# page, the admin, the API's token view) and refuses a locked-out username before
# the password is checked. It must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["csp.middleware.CSPMiddleware", "axes.middleware.AxesMiddleware"]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
# The database handler writes its attempts in their own transaction. Glide does not
# use ATOMIC_REQUESTS, so a refused sign-in's attempt is never rolled back with it.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Lock the account, whatever the address: a clinic's staff often share one public IP
# behind the practice's router, so locking by IP would lock out the whole clinic.
# axes warns (W006) when the IP is not a lockout parameter: this lock does not stop
# one address trying one password on many accounts; the API's token view is
# throttled per address (the `login` rate) for that.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True

# API tokens end TOKEN_TTL_HOURS after they were issued; a revoked token is deleted.
TOKEN_TTL_HOURS = env_int("TOKEN_TTL_HOURS", 12)
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "clinic.authentication.ExpiringTokenAuthentication" if name.endswith(".TokenAuthentication") else name
    for name in REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
]
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["clinic.throttling.UserRateThrottle"]

# The client's address comes from the socket unless the request came through a
# trusted proxy; only then from X-Forwarded-For (clinic/proxies.py). The audit trail,
# the API's throttles and django-axes all ask clinic.proxies.client_ip. Any DRF
# throttle that does not (NUM_PROXIES is DRF's own reading) still ignores the header
# unless proxies are counted.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "clinic.proxies.client_ip"
# A database outage answers 503 with Retry-After instead of a 500: handled by
# clinic.exceptions.GlideExceptionHandler, set as DRF_STANDARDIZED_ERRORS'
# EXCEPTION_HANDLER_CLASS (DRF's own EXCEPTION_HANDLER stays drf-standardized-errors'
# function, which its schema generator checks for to describe the error responses).
DATABASE_RETRY_AFTER_SECONDS = env_int("DATABASE_RETRY_AFTER_SECONDS", 30)

# Only the app's own files run in the browser: no inline script, no third-party
# origin. The API docs use drf-spectacular's Swagger UI from the sidecar package
# (served from here), with its initialiser as a separate script. Styles may be
# inline because Swagger UI and the admin set some from JavaScript. In DEBUG the
# same policy is only reported, so a violation shows in the browser console.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# --- Background work: Celery with Redis as the broker --------------------------------
# Without REDIS_URL, tasks run eagerly in the web process (``make run`` needs nothing
# more). With it, they go to Redis and run on `celery -A clinic worker`. Job state is
# in the database (interop.ExportJob), never in a result backend, so any web server
# answers a job's status. (REDIS_URL is read with the caches, above.)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL) or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL.startswith("redis"))
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it ends, not when it starts: a worker killed halfway
# leaves its message to be delivered again (the task picks the job up where the
# database says it is). Each worker process takes one message at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Unacknowledged messages (their worker died) go back to the queue after this many
# seconds. Longer than any export; a job's own heartbeat catches a stall sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# Exports run on their own queue, so a long one never holds up reminders or sweeps.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"interop.tasks.run_export_job": {"queue": "exports"}}
CELERY_BEAT_SCHEDULE = {
    "remove-expired-exports": {
        "task": "interop.tasks.remove_expired_exports",
        "schedule": datetime.timedelta(minutes=15),
    },
    "requeue-stalled-exports": {
        "task": "interop.tasks.requeue_stalled_exports",
        "schedule": datetime.timedelta(minutes=1),
    },
    # Each morning; a plan is reminded at most once a day, so running it again is safe.
    "send-exercise-reminders": {
        "task": "assessments.tasks.send_exercise_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Ending the patient links whose time is up, and "no log for N days" alerts.
    "sweep-patient-links": {
        "task": "portal.tasks.sweep",
        "schedule": datetime.timedelta(hours=1),
    },
}
# Where exports and batch prints are written until they expire. Web servers and
# workers must see the same storage (a shared volume, or an object store through
# django-storages).
EXPORT_ROOT = Path(os.environ.get("EXPORT_ROOT", BASE_DIR / "exports"))
STORAGES["exports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": EXPORT_ROOT, "directory_permissions_mode": 0o700, "file_permissions_mode": 0o600},
}
GLIDE_EXPORT_TTL_HOURS = env_int("GLIDE_EXPORT_TTL_HOURS", 24)
# A running job whose worker has not reported for this long is taken up again (or,
# after GLIDE_JOB_MAX_ATTEMPTS tries, marked failed): no job stays "running".
GLIDE_JOB_STALE_SECONDS = env_int("GLIDE_JOB_STALE_SECONDS", 300)
GLIDE_JOB_MAX_ATTEMPTS = env_int("GLIDE_JOB_MAX_ATTEMPTS", 3)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Glide <no-reply@glide.example.org>")
# Patients (or rows) read per database round by an export; progress is reported
# after each.
GLIDE_EXPORT_CHUNK_SIZE = env_int("GLIDE_EXPORT_CHUNK_SIZE", 500)
