"""RMS settings: one module, driven by environment variables (see README "Configuration").

Production differs from a laptop only by its environment. Defaults are the embedded ones: a SQLite
file and a filesystem Celery broker under var/, so a newcomer needs no services.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from core.roles import Role
from rms.env import (
    ConfigError,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_map,
    env_str,
    env_url,
    site_url_for_address,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RMS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """Read SECRET_KEY; for local DEBUG runs, generate one once into var/."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY is not set. It is required when DEBUG is off; "
            "set SECRET_KEY to a long random string (or DEBUG=1 for local development)."
        )
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# Emailed links point where `make run` serves (RMS_ADDRESS, scripts/devserver.py) unless SITE_URL says.
_SERVED_AT = site_url_for_address(env_str("RMS_ADDRESS", "127.0.0.1:8000"))
SITE_URL = env_url("SITE_URL", _SERVED_AT, {"http", "https"}).rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "core.apps.RMSAdminConfig",  # django.contrib.admin, open to administrators and managers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "core",
    "webhooks",
    "references",
    "requests_app",
    "workflows",
    "matching",
    "limits",
    "marketing",
    "insights",
    "customers",
    "notifications",  # after the apps whose demo data writes notifications (seed_demo's order)
    "integrations",
    "portals",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portals.middleware.StaffTimeZoneMiddleware",  # times in the signed-in user's zone
]

ROOT_URLCONF = "rms.urls"
WSGI_APPLICATION = "rms.wsgi.application"

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
                "portals.context_processors.portal",
            ],
            # `|day` and `|moment` on every page: the one way dates are written (no load needed).
            "builtins": ["core.templatetags.rms_dates"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'rms.sqlite3'}",
    {"sqlite", "postgres", "postgresql", "pgsql"},
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if not IS_POSTGRES:
    # SQLite: wait for a writer instead of failing at once when the worker and web write together.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    # The insights' covering indexes carry extra columns (INCLUDE) for PostgreSQL's index-only
    # reads; SQLite builds them without and says so on every command: nothing to act on.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # No JIT: compiling costs 20–250 ms on the ad-hoc aggregates of search and reports and never
    # pays back at this data size. Random reads priced for data in RAM or on SSD, so the planner
    # uses indexes for selective joins (both measured in bench/search.py). A silent database: fail.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5, minimum=1))
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker and cache -----------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, {"redis", "rediss"})
CACHE_SOCKET_TIMEOUT = env_float("CACHE_SOCKET_TIMEOUT", 0.3, minimum=0.01)  # per call; core.cache: a miss
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    if REDIS_URL.startswith("redis://"):  # workers outlive an outage (rediss:// keeps kombu's, TLS checks)
        CELERY_BROKER_TRANSPORT = "rms.redis_transport:Transport"
    # An unacknowledged message comes back after this many seconds: longer than the longest task
    # (600 s hard limit) and the longest retry countdown (600 s), so nothing runs twice early.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        "socket_connect_timeout": 3,
    }
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    _waits = {"socket_connect_timeout": CACHE_SOCKET_TIMEOUT, "socket_timeout": CACHE_SOCKET_TIMEOUT}
    CACHES = {"default": {**_cache, "OPTIONS": _waits}}  # OPTIONS go to redis-py's connection pool
else:
    # Embedded broker: kombu's filesystem transport; a real worker and beat run with no service.
    for sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Broadcast (remote control) exchanges; kombu's default is ./control in the working dir.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = env_str("TIME_ZONE", "UTC")
# Queues: deliveries on their own, so a long maintenance job never delays an email (Makefile `worker`).
CELERY_TASK_ROUTES = {
    "notifications.deliver": {"queue": "notifications"},
    "webhooks.deliver": {"queue": "notifications"},
    "webhooks.*": {"queue": "maintenance"},
    "notifications.*": {"queue": "maintenance"},
    "limits.*": {"queue": "maintenance"},
    "workflows.*": {"queue": "maintenance"},
    "core.*": {"queue": "maintenance"},
    "marketing.*": {"queue": "maintenance"},
    "customers.*": {"queue": "notifications"},  # magic-link emails: as prompt as any delivery
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a request tries the broker once, then pauses (notifications/publishing.py).
BROKER_PUBLISH_TIMEOUT = env_float("BROKER_PUBLISH_TIMEOUT", 0.3, minimum=0.01)
BROKER_PUBLISH_PAUSE = env_float("BROKER_PUBLISH_PAUSE", 10.0)

# The insights' revenue facts (insights/facts.py) are rebuilt by beat this often; pages say as of when.
INSIGHT_FACTS_SECONDS = env_int("INSIGHT_FACTS_SECONDS", 600, minimum=30)

# --- Notifications --------------------------------------------------------------------------
# /readyz names a web process still serving an older search index this long after a newer one.
SEARCH_INDEX_SWAP = "background"
SEARCH_INDEX_STALE_SECONDS = env_int("SEARCH_INDEX_STALE_SECONDS", 120, minimum=1)
# The sweeper (rms/celery.py) re-enqueues email whose message was lost once it is this many seconds
# overdue, and takes back a claim older than the timeout (longer than delivery's 90 s hard limit).
NOTIFICATION_SWEEP_GRACE = env_int("NOTIFICATION_SWEEP_GRACE", 120)
NOTIFICATION_CLAIM_TIMEOUT = env_int("NOTIFICATION_CLAIM_TIMEOUT", 300)
NOTIFICATION_DUE_SOON_HOURS = env_int("NOTIFICATION_DUE_SOON_HOURS", 24)

# --- Workflows ------------------------------------------------------------------------------
# Business calendar of staff without their own (workflows.StaffCalendar): public holidays of this
# ISO country code, business hours 9–17 in TIME_ZONE.
WORKFLOW_DEFAULT_COUNTRY = env_str("WORKFLOW_DEFAULT_COUNTRY", "US").upper()

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in and password-reset throttling (issue 12) ---------------------------------------
# django-axes counts failed password sign-ins in the database; core/signin.py decides with a limit
# per user and one per client address, and renders the 429 page. core/throttle.py limits
# password-reset mails and the customer portal's magic links on the cache.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, so the other middleware dress its 429 page
# Axes' gate first (a locked user or address is refused before any password is checked).
AUTHENTICATION_BACKENDS = [
    "core.signin.PasswordSignInGate",
    "core.signin.PasswordBackend",
]
# Joined to the signed-in user's row on every request (core.signin.session_user): the staff
# calendar, whose zone pages show times in (workflows.zones), costs no query of its own.
SESSION_USER_RELATED = ["work_calendar"]
SIGNIN_FAILURES_PER_USER = env_int("SIGNIN_FAILURES_PER_USER", 5, minimum=1)
SIGNIN_FAILURES_PER_ADDRESS = env_int("SIGNIN_FAILURES_PER_ADDRESS", 20, minimum=1)
SIGNIN_COOLOFF_MINUTES = env_int("SIGNIN_COOLOFF_MINUTES", 15, minimum=1)
# Proxies appending the client's address to X-Forwarded-For; 0 trusts REMOTE_ADDR (core.throttle).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_HANDLER = "core.signin.SignInAttempts"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCK_OUT_AT_FAILURE = False  # axes' single-limit decision; SignInAttempts decides with two limits
AXES_FAILURE_LIMIT = SIGNIN_FAILURES_PER_USER  # shown as "attempts remaining" in the admin
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_COOLOFF_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.signin.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_ip"
AXES_VERBOSE = False
# Axes logs every sign-in (who, from where, when); core.forget_old_sign_ins trims it nightly.
SIGNIN_LOG_DAYS = env_int("SIGNIN_LOG_DAYS", 90, minimum=1)
PASSWORD_RESET_MAILS_PER_ADDRESS = env_int("PASSWORD_RESET_MAILS_PER_ADDRESS", 3, minimum=1)  # per hour
PASSWORD_RESET_REQUESTS_PER_IP = env_int("PASSWORD_RESET_REQUESTS_PER_IP", 10, minimum=1)  # per hour

# --- Single sign-on -------------------------------------------------------------------------
# Staff sign in through an OpenID Connect provider (mozilla-django-oidc under core/sso/). Off while
# OIDC_ISSUER is unset: no button on the sign-in page and its URLs answer 404. Local passwords
# always work (the demo, break-glass admins); SSO never signs in a superuser.
OIDC_ISSUER = env_url("OIDC_ISSUER", None, {"https", "http"})
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ConfigError("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
# Endpoints from the issuer's discovery document (core/sso/provider.py); these override single ones.
_OIDC_SCHEMES = {"https", "http"}
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_AUTHORIZATION_ENDPOINT", None, _OIDC_SCHEMES)
OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_TOKEN_ENDPOINT", None, _OIDC_SCHEMES)
OIDC_OP_USER_ENDPOINT = env_url("OIDC_USERINFO_ENDPOINT", None, _OIDC_SCHEMES)
OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_JWKS_URI", None, _OIDC_SCHEMES)
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
# The claim naming the user's groups (a dotted path reaches into objects, e.g.
# realm_access.roles) and which of its values mean which RMS role; other values give no role.
OIDC_ROLES_CLAIM = env_str("OIDC_ROLES_CLAIM", "groups")
OIDC_ROLE_MAP = env_map("OIDC_ROLE_MAP", {role.value for role in Role})
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds for each call to the provider
# After the password backends: the SSO backend acts only on the callback's code, never on a password.
AUTHENTICATION_BACKENDS.append("core.sso.backend.SsoBackend")

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A hung mail server fails the attempt (retried) well inside the delivery task's time limit.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RMS <rms@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
# Staff pages stay English (no LocaleMiddleware); the customer portal and emails to contacts speak
# the contact's language. Catalogues in locale/ (`make install` compiles them; .mo not committed).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date format and one date-time format everywhere ("20 Dec 2026", "20 Dec 2026, 17:00").
FORMAT_MODULE_PATH = ["rms.formats"]

# --- Static ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start otherwise
# STORAGES (uploads and static files): rms/settings_storage.py

# --- API: rms/settings_api.py ------------------------------------------------------------

# --- Security -------------------------------------------------------------------------------
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals_without_traceback": {"()": "core.log_filters.RefusalsWithoutTraceback"},
        # A magic link's token never reaches a log line (Django names refused paths).
        "portal_tokens_redacted": {"()": "core.log_filters.PortalTokensRedacted"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["portal_tokens_redacted"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django gives `django` a console handler of its own (every record twice): the root's only.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["refusals_without_traceback"]},
    },
}
# The worker logs what a task prints (the console email backend) at INFO, not Celery's WARNING.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"

from rms.settings_api import *  # noqa: E402, F403  (the API, its keys, webhooks, imports)
from rms.settings_customers import *  # noqa: E402, F403  (the customer portal's settings)
from rms.settings_storage import *  # noqa: E402, F403  (uploads and static files)
