"""Palermo settings: everything comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

import base64
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from palermo.conf import env_bool, env_int, env_list, env_str, field_key_problem, secret_or_generated
from palermo.ops import addresses as ops_addresses
from palermo.ops import logs

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PALERMO_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")

PRODUCTION = env_bool("PALERMO_PRODUCTION", False)
DEBUG = env_bool("PALERMO_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PALERMO_DEBUG cannot be on when PALERMO_PRODUCTION is on")

SECRET_KEY = secret_or_generated(
    "PALERMO_SECRET_KEY", VAR_DIR / "secret_key", not PRODUCTION, lambda: secrets.token_urlsafe(64)
)
FIELD_ENCRYPTION_KEY = secret_or_generated(
    "PALERMO_FIELD_ENCRYPTION_KEY",
    VAR_DIR / "field_encryption_key",
    not PRODUCTION,
    lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
)
# The key of the audit log's hash chain and checkpoints (HMAC-SHA-256): outside the database, never in a backup.
AUDIT_KEY = secret_or_generated(
    "PALERMO_AUDIT_KEY", VAR_DIR / "audit_key", not PRODUCTION, lambda: secrets.token_urlsafe(32)
)
if len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured("PALERMO_AUDIT_KEY must be at least 32 characters (made as docs/deployment.md shows)")
AUDIT_CHECKPOINT_FILE = Path(env_str("PALERMO_AUDIT_CHECKPOINT_FILE") or VAR_DIR / "audit" / "checkpoints.jsonl")
# Previous field encryption keys (comma- or line-separated), used only to decrypt until `palermo cases rotate-key`
# has re-encrypted everything with the current key (docs/security.md, "Key rotation").
FIELD_ENCRYPTION_OLD_KEYS = [
    key.strip() for key in (env_str("PALERMO_FIELD_ENCRYPTION_OLD_KEYS") or "").replace("\n", ",").split(",")
    if key.strip()
]
if PRODUCTION:
    for _name, _key in [("PALERMO_FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY)] + [
        ("PALERMO_FIELD_ENCRYPTION_OLD_KEYS", old) for old in FIELD_ENCRYPTION_OLD_KEYS
    ]:
        if (_problem := field_key_problem(_key)) is not None:
            raise ImproperlyConfigured(
                f"{_name} {_problem}: it must be 32 random bytes in URL-safe base64, made as docs/deployment.md shows"
            )

ALLOWED_HOSTS = env_list("PALERMO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("PALERMO_ALLOWED_HOSTS is required in production")
if PRODUCTION and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("PALERMO_ALLOWED_HOSTS=* is refused in production: name the site's host names")
CSRF_TRUSTED_ORIGINS = env_list("PALERMO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_filters",
    "palermo.api",  # before DRF: its drf_create_token command replaces DRF's unaudited one
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "palermo.reference",
    "palermo.partners",
    "palermo.accounts",
    "palermo.audit",
    "palermo.web",
    "palermo.cases",
    "palermo.programme",
    "palermo.iati",
    "palermo.steering",
    "palermo.diagnostics",
    "palermo.jobs",
    "palermo.backup",
    "palermo.screening",
    "palermo.referral",
    "palermo.assistance",
    "palermo.protection",
    "palermo.capacity",
    "palermo.awareness",
    "palermo.ops",
    "palermo.linkage",
    "palermo.networks",
    "palermo.justice",
]

MIDDLEWARE = [
    "palermo.ops.middleware.OpsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "palermo.web.middleware.RefuseNulMiddleware",
    "palermo.web.middleware.SecurityHeadersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "palermo.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "palermo.urls"
WSGI_APPLICATION = "palermo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "palermo.web.context.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'palermo.sqlite3'}",
        conn_max_age=env_int("PALERMO_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own cache in memory (docs/configuration.md, "Cache"): what is cached (diagnostics figures
# and charts) is keyed by the snapshot's version and the scope, so a restart or another worker costs one computation
# per scope; nothing is shared between processes, written to disk, or kept across an upgrade.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "palermo",
        "OPTIONS": {"MAX_ENTRIES": env_int("PALERMO_CACHE_MAX_ENTRIES", 1000)},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env_int("PALERMO_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = env_int("PALERMO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PALERMO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failed try during the lock-out does not restart it: the lock ends AXES_COOLOFF_TIME after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Palermo"
# The admin never shows a person's TOTP secret or its QR code: whoever holds it passes their second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# Numbers and dates per language (``1 770``, ``05/03/2026`` in French; ``1,770``, ``2026-03-05`` in English).
FORMAT_MODULE_PATH = ["palermo.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not PRODUCTION

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "palermo.api.authentication.ClearTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "palermo.api.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "palermo.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "palermo.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Palermo API",
    "DESCRIPTION": "Programme against trafficking in human beings in South-East Europe",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # request bodies and answers described apart (a field written but not read, a blank string refused)
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InstrumentStatusEnum": "palermo.reference.models.InstrumentStatus.Status",
        "PartnershipStatusEnum": "palermo.partners.models.Partnership.Status",
        "ActivityStatusEnum": "palermo.programme.choices.ActivityStatus",
        "ThbFormEnum": "palermo.cases.choices.THB_FORM_CHOICES",
        "DecidedByEnum": "palermo.cases.choices.DECISION_MAKER_CHOICES",
        "ReferralReasonEnum": "palermo.cases.choices.REFERRAL_REASON_CHOICES",
        "SupportOutcomeEnum": "palermo.assistance.models.Outcome",
        "CourtOutcomeEnum": "palermo.justice.models.Outcome",
        "DefendantSexEnum": "palermo.justice.models.Sex",
        "ParticipantSexEnum": "palermo.capacity.choices.Sex",
        "TrainingStatusEnum": "palermo.capacity.choices.Status",
        "AttendanceImportOutcomeEnum": "palermo.capacity.models.AttendanceImport.Outcome",
        "DiagnosisStatusEnum": "palermo.networks.models.Diagnosis.Status",
    },
}

LOG_FORMAT = env_str("PALERMO_LOG_FORMAT", "text") or "text"
if LOG_FORMAT not in logs.FORMATS:
    raise ImproperlyConfigured(f"PALERMO_LOG_FORMAT={LOG_FORMAT!r} is not one of: {', '.join(logs.FORMATS)}")
LOGGING = logs.logging_config(LOG_FORMAT, os.environ.get("PALERMO_LOG_LEVEL", "WARNING"))

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PALERMO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("PALERMO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    STORAGES["staticfiles"] = {"BACKEND": "palermo.ops.staticfiles.StaticFilesStorage"}

# IATI 2.03 schema and codelists (docs/iati.md): the official files shipped in palermo/iati/data.
_IATI_DATA = Path(__file__).resolve().parent / "iati" / "data"
PALERMO_IATI_SCHEMA_DIR = env_str("PALERMO_IATI_SCHEMA_DIR") or str(_IATI_DATA / "schema")
PALERMO_IATI_CODELIST_DIR = env_str("PALERMO_IATI_CODELIST_DIR") or str(_IATI_DATA / "codelists")
# The programme's reporting organisation on IATI: France in the OECD DAC donor list (agency XM-DAC, code 4) until the
# identifier the MEAE publishes under is confirmed on the IATI Registry (docs/iati.md). Checked at start-up
# against the OrganisationRegistrationAgency codelist (check iati.W001).
PALERMO_IATI_REPORTING_ORG_REF = env_str("PALERMO_IATI_REPORTING_ORG_REF") or "XM-DAC-4"

# Capabilities (docs/configuration.md).
DIAGNOSTICS_SNAPSHOT = Path(env_str("PALERMO_DIAGNOSTICS_SNAPSHOT") or VAR_DIR / "diagnostics" / "cases.parquet")
DIAGNOSTICS_PRIVACY_RESOLUTION = env_int("PALERMO_PRIVACY_RESOLUTION", 10)
if DIAGNOSTICS_PRIVACY_RESOLUTION < 2:
    raise ImproperlyConfigured("PALERMO_PRIVACY_RESOLUTION must be at least 2")
PROGRAMME_DOCUMENT_MAX_BYTES = env_int("PALERMO_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Imported files (cases; docs/configuration.md): refused unread beyond these.
IMPORT_MAX_BYTES = env_int("PALERMO_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("PALERMO_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("PALERMO_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("PALERMO_IMPORT_MAX_COLUMNS", 500)
# Folder of pg_dump and pg_restore when the ones on the PATH are older than the server (docs/backup.md).
PG_BIN_DIR = env_str("PALERMO_PG_BIN_DIR") or ""

# Background jobs (docs/jobs.md): queued in the database (django-tasks), run by `palermo worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_HEARTBEAT_SECONDS = env_int("PALERMO_JOBS_HEARTBEAT_SECONDS", 5)
JOBS_HEARTBEAT_STALE_SECONDS = env_int("PALERMO_JOBS_HEARTBEAT_STALE_SECONDS", 60)
if JOBS_HEARTBEAT_SECONDS < 1 or JOBS_HEARTBEAT_STALE_SECONDS < 2 * JOBS_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "PALERMO_JOBS_HEARTBEAT_SECONDS must be at least 1 and PALERMO_JOBS_HEARTBEAT_STALE_SECONDS at least twice it"
    )

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "palermo.web.finders.PackageDataFinder",
]

# Production serving, health and metrics (docs/deployment.md).
SERVE_BIND = env_str("PALERMO_SERVE_BIND", "127.0.0.1:8000") or "127.0.0.1:8000"
SERVE_WORKERS = env_int("PALERMO_SERVE_WORKERS", 3)
SERVE_THREADS = env_int("PALERMO_SERVE_THREADS", 4)
SERVE_TIMEOUT = env_int("PALERMO_SERVE_TIMEOUT", 60)
STATIC_COMPRESSION_LEVEL = env_int("PALERMO_STATIC_COMPRESSION_LEVEL", 11)
if not 0 <= STATIC_COMPRESSION_LEVEL <= 11:
    raise ImproperlyConfigured("PALERMO_STATIC_COMPRESSION_LEVEL must be between 0 and 11")
# What a browser may load and run on Palermo's pages (docs/security.md): scripts only from the site's own static
# files, no inline script; styles may be inline (Plotly and the review documents write theirs).
CONTENT_SECURITY_POLICY = env_str("PALERMO_CONTENT_SECURITY_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
PERMISSIONS_POLICY = env_str("PALERMO_PERMISSIONS_POLICY") or (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), browsing-topics=()"
)
# Reverse proxies whose X-Forwarded-For names the client (addresses or networks); empty: the peer is the client.
TRUSTED_PROXIES = env_list("PALERMO_TRUSTED_PROXIES", [])
METRICS_ALLOWED_ADDRESSES = env_list("PALERMO_METRICS_ALLOWED", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("PALERMO_METRICS_TOKEN") or ""
METRICS_DIR = Path(env_str("PALERMO_METRICS_DIR") or VAR_DIR / "metrics")
READY_MIN_FREE_MB = env_int("PALERMO_READY_MIN_FREE_MB", 1024)
READY_SNAPSHOT_MAX_AGE_MINUTES = env_int("PALERMO_READY_SNAPSHOT_MAX_AGE_MINUTES", 60)
for _name, _networks in (("PALERMO_TRUSTED_PROXIES", TRUSTED_PROXIES), ("PALERMO_METRICS_ALLOWED",
                                                                       METRICS_ALLOWED_ADDRESSES)):
    try:
        ops_addresses.parse_networks(_networks, setting=_name)
    except ValueError as _error:
        raise ImproperlyConfigured(str(_error)) from _error
