"""Schoolplein settings: one file, driven by environment variables (see the README's table)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# Demo mode enables the one-click persona login links; never on in production.
DEMO_MODE = envbool("DEMO_MODE", False)
# The built-in key only works for development: `check --deploy` fails while it (or a weak key) is in use.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = envstr("SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DATA_DIR = Path(envstr("DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "core",
    "accounts",
    "schools",
    "media",
    "posts",
    "conversations",
    "absences",
    "notifications",
    "consent",
    "moderation",
    "roster",
    "privacy",
    "forms",
    "translation",
    "conferences",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.RefusalMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "media.middleware.RenditionGrantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "moderation.middleware.ConductRulesMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.SlidingSessionMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "schoolplein.urls"
WSGI_APPLICATION = "schoolplein.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "core.form_renderer.FormRenderer"

# SQLite (WAL) is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'schoolplein.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = None  # one connection per thread, kept: no PRAGMAs per request
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    # Django turns psycopg's prepared statements off (None), and its client-side cursors never prepare.
    # A number turns them on for the cursors that ask: core/compiled.py prepares the owners' long
    # membership queries, whose planning costs the database more than answering them. The number is
    # high so nothing else is prepared behind our back. Behind PgBouncer in transaction mode this needs
    # its max_prepared_statements (docs/capacity.md).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1_000_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # The database cache is shared by every worker process, which rate limits need.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}

# Background work: django.tasks with the database backend embedded, Redis + RQ at scale.
TASK_BACKEND = envstr("TASK_BACKEND", "rq" if REDIS_URL else "db")
if TASK_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
    INSTALLED_APPS += ["django_rq"]
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Machine translation (translation app). Each school's director picks one of the engines configured here;
# endpoints and keys live only in the environment. With none configured the translate control is absent.
TRANSLATION_LIBRETRANSLATE_URL = envstr("TRANSLATION_LIBRETRANSLATE_URL", "")
TRANSLATION_LIBRETRANSLATE_API_KEY = envstr("TRANSLATION_LIBRETRANSLATE_API_KEY", "")
TRANSLATION_DEEPL_URL = envstr("TRANSLATION_DEEPL_URL", "https://api-free.deepl.com")
TRANSLATION_DEEPL_API_KEY = envstr("TRANSLATION_DEEPL_API_KEY", "")
TRANSLATION_TIMEOUT = float(envstr("TRANSLATION_TIMEOUT", "5"))  # seconds per engine request
TRANSLATION_RETRIES = envint("TRANSLATION_RETRIES", 2)  # further tries of a failed request, in the task
TRANSLATION_BREAKER_FAILURES = envint("TRANSLATION_BREAKER_FAILURES", 3)  # failures in a row open it
TRANSLATION_BREAKER_SECONDS = envint("TRANSLATION_BREAKER_SECONDS", 60)  # how long it stays open
TRANSLATION_POLLS = envint("TRANSLATION_POLLS", 10)  # how often a page asks again (once a second)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_NAME = "schoolplein_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Parents stay signed in on their phone; staff sessions are short because they see pupil data.
PARENT_SESSION_AGE = timedelta(days=envint("PARENT_SESSION_DAYS", 90))
STAFF_SESSION_AGE = timedelta(hours=envint("STAFF_SESSION_HOURS", 12))
SESSION_COOKIE_AGE = int(PARENT_SESSION_AGE.total_seconds())

INVITATION_VALID_FOR = timedelta(days=14)
LOGIN_LINK_VALID_FOR = timedelta(minutes=envint("LOGIN_LINK_MINUTES", 20))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
OTP_TOTP_ISSUER = "Schoolplein"

# Rate limits: (attempts, window in seconds), counted per IP address and per account.
RATE_LIMITS = {
    "login": (envint("RATE_LOGIN", 10), 15 * 60),
    "login_link": (envint("RATE_LOGIN_LINK", 5), 15 * 60),
    "invitation": (envint("RATE_INVITATION", 10), 15 * 60),
    "password_reset": (envint("RATE_PASSWORD_RESET", 5), 15 * 60),
}
RATE_LIMITS_ENABLED = envbool("RATE_LIMITS_ENABLED", True)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app carries its own catalogue in <app>/locale
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "schoolplein_language"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or envbool("STATIC_PLAIN", False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = DATA_DIR / "media"

# Media: uploads wait in a private quarantine (never served) until processed; renditions go to the
# "media" storage, private files served only through the app's authorization check.
MEDIA_LIMITS = {
    "photo_bytes": envint("MEDIA_PHOTO_MB", 30) * 1024 * 1024,
    "photo_pixels": envint("MEDIA_PHOTO_MEGAPIXELS", 100) * 1_000_000,
    "video_bytes": envint("MEDIA_VIDEO_MB", 500) * 1024 * 1024,
    "video_seconds": envint("MEDIA_VIDEO_SECONDS", 600),
    "document_bytes": envint("MEDIA_DOCUMENT_MB", 25) * 1024 * 1024,
    "files_per_post": envint("MEDIA_FILES_PER_POST", 50),
}
MEDIA_QUARANTINE_DIR = Path(envstr("MEDIA_QUARANTINE_DIR", str(DATA_DIR / "quarantine")))
# An upload whose processing job has not taken it within this many seconds is queued again by the tick
# (the job may be lost: a Redis without persistence that restarted).
MEDIA_REQUEUE_SECONDS = envint("MEDIA_REQUEUE_SECONDS", 120)
# "app": the app streams the bytes (Range, ETag); "nginx": X-Accel-Redirect; "s3": presigned redirect.
MEDIA_SERVE_MODE = envstr("MEDIA_SERVE_MODE", "app")
MEDIA_NGINX_LOCATION = envstr("MEDIA_NGINX_LOCATION", "/_protected_media/")
MEDIA_CACHE_SECONDS = envint("MEDIA_CACHE_SECONDS", 300)
MEDIA_PRESIGNED_SECONDS = envint("MEDIA_PRESIGNED_SECONDS", 300)
# A page's rendition URLs carry a grant for the browser session this long (capped at MEDIA_CACHE_SECONDS).
MEDIA_GRANT_SECONDS = envint("MEDIA_GRANT_SECONDS", 300)
MEDIA_S3_BUCKET = envstr("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["media"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": envstr("MEDIA_S3_ENDPOINT_URL", "") or None,
            "region_name": envstr("MEDIA_S3_REGION", "") or None,
            "access_key": envstr("MEDIA_S3_ACCESS_KEY", "") or None,
            "secret_key": envstr("MEDIA_S3_SECRET_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["media"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }

# Mail goes out through SMTP; EMAIL_MODE=file writes each message under DATA_DIR/mail (demo mode).
EMAIL_MODE = envstr("EMAIL_MODE", "file" if DEMO_MODE else "smtp")
if EMAIL_MODE == "file":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": envstr("EMAIL_HOST", "127.0.0.1"),
                "port": envint("EMAIL_PORT", 25),
                "username": envstr("EMAIL_HOST_USER", ""),
                "password": envstr("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", False),
                "timeout": envint("EMAIL_TIMEOUT", 20),
            },
        }
    }
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Schoolplein <noreply@schoolplein.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Oversized requests are refused before they reach a view (files go through the media pipeline).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG and not DEMO_MODE and envbool("SECURE_COOKIES", True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
CSRF_FAILURE_VIEW = "core.views.csrf_failure"


# Content-Security-Policy on every response (Django's CSP middleware): the second wall behind the nh3
# sanitising of post bodies. No page has an inline script, event handler, style attribute or <style>
# block: behaviour lives in static JS bound through data- attributes, and htmx runs without eval
# (see base.html's htmx-config). A response that sets its own policy keeps it (media renditions send
# a sandbox). With private S3 media, photos and videos are redirects to the bucket, so its origin is
# allowed for images and media too.
def s3_media_origins(bucket: str, endpoint_url: str, region: str) -> list[str]:
    """The origins a presigned media URL points at: the bucket's own host on AWS, the endpoint elsewhere."""
    if not bucket:
        return []
    if endpoint_url:  # path-style or virtual-hosted, depending on the service
        scheme, _, host = endpoint_url.partition("://")
        host = host.split("/", 1)[0]
        return [f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]
    hosts = ["s3.amazonaws.com"] + ([f"s3.{region}.amazonaws.com"] if region else [])
    return [f"https://{bucket}.{host}" for host in hosts]


CSP_MEDIA_ORIGINS = s3_media_origins(
    MEDIA_S3_BUCKET, envstr("MEDIA_S3_ENDPOINT_URL", ""), envstr("MEDIA_S3_REGION", "")
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *CSP_MEDIA_ORIGINS],
    "media-src": [CSP.SELF, *CSP_MEDIA_ORIGINS],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "core.api_schema.Pagination"  # bounded limit and offset

# Roster imports: the largest export accepted (a whole school is well under 1 MB; a board a few MB).
ROSTER_MAX_MB = envint("ROSTER_MAX_MB", 20)

# --- Authentication hardening: proxies, token lifetimes, two-factor limits, the secret key check --------
# Only these proxies (addresses or CIDR networks, comma-separated) are believed about X-Forwarded-For: the
# client is the right-most forwarded address that is not one of them. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
# Attempts over an address's limit are answered this many seconds later per attempt over it, at most
# RATE_LIMIT_MAX_DELAY: a shared address (a school's network) is slowed down, never locked out.
RATE_LIMIT_DELAY = float(envstr("RATE_LIMIT_DELAY", "0.5"))
RATE_LIMIT_MAX_DELAY = float(envstr("RATE_LIMIT_MAX_DELAY", "5"))
# The two-factor code step: attempts per account in 15 minutes, and wrong codes before a session is ended.
RATE_LIMITS["two_factor"] = (envint("RATE_TWO_FACTOR", 10), 15 * 60)
TWO_FACTOR_MAX_FAILURES = envint("TWO_FACTOR_MAX_FAILURES", 5)
# Personal API tokens: a staff token carries its two-factor proof only this long; parents' tokens last longer.
API_TOKEN_STAFF_AGE = timedelta(days=envint("API_TOKEN_STAFF_DAYS", 30))
API_TOKEN_PARENT_AGE = timedelta(days=envint("API_TOKEN_PARENT_DAYS", 365))
# Web push and the delivery ledger (read here, so no app reads the environment itself).
VAPID_PRIVATE_KEY = envstr("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = envstr("VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = envstr("VAPID_SUBJECT", "")
NOTIFICATION_CLAIM_SECONDS = envint("NOTIFICATION_CLAIM_SECONDS", 120)
