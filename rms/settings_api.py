"""The API (DRF, drf-spectacular), machine keys, webhooks and spreadsheet imports."""

from rms.env import env_bool, env_int

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

# Spreadsheet imports: files above this many rows run as a Celery task with a progress bar.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 500)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_UPLOAD_MAX_MB = env_int("IMPORT_UPLOAD_MAX_MB", 20)
