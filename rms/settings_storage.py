"""Where files live: uploads (content assets, permission agreements) and static files
(imported at the end of rms/settings.py).

Uploads go through Django's storage API: the local disk under MEDIA_ROOT by default, an
S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (django-storages; AWS_S3_ENDPOINT_URL
for MinIO or another S3-compatible service, AWS_S3_REGION_NAME, and the keys
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's own role when they are unset).
Objects are private: links to them are signed and expire (AWS_QUERYSTRING_EXPIRE seconds).
"""

from pathlib import Path

from rms.env import env_bool, env_int, env_str

_BASE_DIR = Path(__file__).resolve().parent.parent
_DEBUG = env_bool("DEBUG", False)

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(Path(env_str("RMS_VAR_DIR", str(_BASE_DIR / "var"))) / "media")))
MEDIA_URL = "media/"

# The largest upload marketing/uploads.py takes (assets and permission agreements), in MB.
ASSET_UPLOAD_MAX_MB = env_int("ASSET_UPLOAD_MAX_MB", 50, minimum=1)
# Django keeps uploads up to this size in memory, larger ones in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME", "") or ""


def _s3_options() -> dict:
    options = {
        "bucket_name": _BUCKET,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300, minimum=1),
        "file_overwrite": False,  # a second upload of the same name gets its own object
    }
    return {key: value for key, value in options.items() if value is not None}


STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options()}
        if _BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if _DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
