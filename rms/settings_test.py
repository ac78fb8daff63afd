"""Settings for the test suite: the real settings with a throwaway key and fast hashing.

Everything else (DATABASE_URL, REDIS_URL) comes from the environment as in production.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The API's throttles stay out of the way of the suite (the fuzz pass makes thousands of calls);
# tests/api/test_throttles.py sets small rates itself.
os.environ.setdefault("API_KEY_RATE", "1000000/hour")
os.environ.setdefault("API_USER_RATE", "1000000/hour")

from rms.settings import *  # noqa: F403

# A test writes the index and searches it in one transaction no other connection sees: the request
# that notices a new search snapshot loads it itself (tests of the background swap set it back).
SEARCH_INDEX_SWAP = "inline"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploads the tests make (assets, agreements) go to a folder of this run's own, not var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="rms-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
