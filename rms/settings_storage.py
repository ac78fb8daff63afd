"""Where files live: uploads (content assets, permission agreements) and static files
(imported at the end of rms/settings.py).

Uploads go through Django's storage API: the local disk under MEDIA_ROOT by default, an
S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (django-storages).
"""

from pathlib import Path

from rms.env import env_bool, env_str

_BASE_DIR = Path(__file__).resolve().parent.parent
_DEBUG = env_bool("DEBUG", False)

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(Path(env_str("RMS_VAR_DIR", str(_BASE_DIR / "var"))) / "media")))
MEDIA_URL = "media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if _DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
