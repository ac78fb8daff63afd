"""The API (DRF, drf-spectacular), machine keys, webhooks and spreadsheet imports."""

from rms.env import env_bool, env_int, env_rate

# Throttles (api/throttles.py), counted in the default cache (Redis when REDIS_URL is set): calls
# per API key, and per user whatever they call with (keys and session together).
API_KEY_RATE = env_rate("API_KEY_RATE", "2000/hour")
API_USER_RATE = env_rate("API_USER_RATE", "5000/hour")

REST_FRAMEWORK = {
    # A machine signs in with an API key (`Authorization: Api-Key <key>`), a browser with its
    # session. The key's class comes first: an anonymous call is a 401 naming the scheme.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedIn"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One error body for every failure: {"error": {"code", "message", "fields"}} (api/errors.py).
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # A cursor the client made up is a 404 "Invalid cursor", not a database error.
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CheckedCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.KeyRateThrottle", "api.throttles.UserRateThrottle"],
    # `Accept: application/json; version=1`; no version is 1, an unknown one a 406.
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.AcceptHeaderVersioning",
    "DEFAULT_VERSION": "1",
    "ALLOWED_VERSIONS": ["1"],
    # JSON nested deeper than api.parsers.MAX_DEPTH is a 400 (json parses recursively).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RMS API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.SignedIn"],
    # Swagger UI at /api/docs/ from drf-spectacular-sidecar's files (no CDN); its split view
    # serves the UI's start script as a file, so the CSP needs no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The schema documents the error answers of every operation too (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_refusals",
    ],
    # Several models have a `status`: each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "ReferenceStatusEnum": "references.statuses.ReferenceStatus",
        "RequestStatusEnum": "requests_app.statuses.RequestStatus",
    },
}

# API keys: `Authorization: Api-Key <key>` (djangorestframework-api-key's header).
API_KEY_CUSTOM_HEADER = None
API_KEY_DEFAULT_DAYS = env_int("API_KEY_DEFAULT_DAYS", 365)

# Webhooks: private, loopback and link-local addresses are refused unless this allows them
# (a test receiver on 127.0.0.1; never in production).
WEBHOOKS_ALLOW_PRIVATE_URLS = env_bool("WEBHOOKS_ALLOW_PRIVATE_URLS", False)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
# The sweep publishes due deliveries (retries, lost messages) every this many seconds, leaving
# alone those queued within the grace (webhooks/delivery.py).
WEBHOOKS_SWEEP_SECONDS = env_int("WEBHOOKS_SWEEP_SECONDS", 30)
WEBHOOKS_SWEEP_GRACE = env_int("WEBHOOKS_SWEEP_GRACE", 60)

# Spreadsheet imports: files above this many rows run as a Celery task with a progress bar.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 500)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_UPLOAD_MAX_MB = env_int("IMPORT_UPLOAD_MAX_MB", 20)
# An uploaded spreadsheet (personal data) and its import job are deleted this many days after the
# upload (integrations/spreadsheets/retention.py, daily).
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 7, minimum=1)
