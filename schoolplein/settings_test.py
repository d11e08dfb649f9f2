"""Test settings: the real settings with cheap password hashing and work done in-process."""

from schoolplein.settings import *  # noqa: F403
from schoolplein.settings import STORAGES

# Argon2 is deliberately slow; tests need a real hash, not a costly one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# Media: test uploads and renditions go to a throwaway directory, never into DATA_DIR.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

_MEDIA_TMP = Path(tempfile.mkdtemp(prefix="schoolplein-media-"))
atexit.register(shutil.rmtree, _MEDIA_TMP, True)
MEDIA_QUARANTINE_DIR = _MEDIA_TMP / "quarantine"
STORAGES["media"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(_MEDIA_TMP / "media")},
}

# whitenoise looks for collected files at start-up; tests serve static files from the apps instead.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The live server for browser tests shares the in-memory SQLite database across threads; a kept-open
# connection per thread there trips "used from another thread". Production keeps its connections.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
