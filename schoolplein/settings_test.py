"""Test settings: the real settings with cheap password hashing and work done in-process."""

import os

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

# An in-memory SQLite test database is one connection shared by the live server's threads, so a page
# loading several images at once collides with itself. A file database (WAL) gives each thread its own
# connection, kept open as in production. The file is named after the process, so xdist workers and two
# test runs in one checkout never share one (Django removes it when the run ends).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
