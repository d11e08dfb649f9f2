"""The school's privacy page: what the platform processes and why, the retention table, the sub-processors
and where the data is stored, read from the running configuration, never written down by hand.

Whatever this module says about services is derived from settings (the mail host, the media storage, the
database, the cache, a translation engine) or from data (the push services parents' browsers registered);
a service that is not configured is not named. Credentials are never read out.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from consent.models import PrivacyStatement
from core.hosts import host_of
from translation.engines import processor_name
from translation.queries import engine_of


@dataclass(frozen=True)
class Processing:
    data: str
    purpose: str


# What the platform processes, per app, and for what. A new app that stores personal data adds its row.
PROCESSING = (
    Processing(
        _("Parents' and staff's name, email address, phone number and language"),
        _("Signing in, and reaching you about your child"),
    ),
    Processing(
        _("Children's name, date of birth, class and parents (from the pupil administration)"),
        _("Showing each parent and teacher the right class"),
    ),
    Processing(
        _("Posts, photos, videos, files and comments in a class or the school"),
        _("Telling parents about school life; photos only with consent"),
    ),
    Processing(_("Messages between a parent and the school"), _("Contact about one child")),
    Processing(_("Absence reports and leave requests"), _("Registering absence, as the law requires")),
    Processing(
        _("Consent answers per child, with their history"), _("Respecting and proving what parents agreed")
    ),
    Processing(
        _("Notifications and the browsers registered for push messages"), _("Telling you something is new")
    ),
    Processing(
        _("A log of who changed what (audit), and reports of unwanted content"),
        _("Accountability and a safe platform"),
    ),
)


@dataclass(frozen=True)
class Service:
    key: str  # email, push, storage, database, cache, translation
    role: str  # what it does, for the reader
    where: str  # host, or where on this server
    detail: str = ""


@dataclass
class Statement:
    school: object
    own: PrivacyStatement
    processing: tuple = PROCESSING
    services: list = field(default_factory=list)
    retention: list | None = None  # None: no retention table is available on this platform


def email_service() -> Service:
    mailer = getattr(settings, "MAILERS", {}).get("default", {})
    backend = mailer.get("BACKEND") or getattr(settings, "EMAIL_BACKEND", None) or ""
    options = mailer.get("OPTIONS", {})
    if backend.endswith("smtp.EmailBackend"):
        host = options.get("host", getattr(settings, "EMAIL_HOST", ""))
        port = options.get("port", getattr(settings, "EMAIL_PORT", 25))
        tls = options.get("use_tls") or options.get("use_ssl")
        detail = _("encrypted connection") if tls else _("connection not encrypted by the platform")
        return Service("email", str(_("Sends email")), f"{host}:{port}", str(detail))
    if backend.endswith("filebased.EmailBackend"):
        return Service("email", str(_("Sends email")), str(_("written to files on this server (demo)")))
    return Service("email", str(_("Sends email")), str(_("not sent (kept in the application)")))


def push_services(school) -> list[Service]:
    """The push services browsers of this school's parents and staff registered: each browser maker runs
    its own, and it carries the (encrypted) notification to the device."""
    from notifications.models import PushSubscription
    from schools.models import StaffRole
    from schools.queries import guardian_ids_of_school

    endpoints = PushSubscription.objects.filter(user_id__in=guardian_ids_of_school(school)).union(
        PushSubscription.objects.filter(user_id__in=StaffRole.objects.filter(school=school).values("user_id"))
    )
    hosts = sorted({host_of(endpoint) for endpoint in endpoints.values_list("endpoint", flat=True)})
    return [
        Service("push", str(_("Delivers push notifications (content encrypted end to end)")), host)
        for host in hosts
    ]


def storage_service() -> Service:
    media = settings.STORAGES.get("media", {})
    role = str(_("Stores photos, videos and files"))
    if media.get("BACKEND", "").endswith("S3Storage"):
        options = media.get("OPTIONS", {})
        endpoint = options.get("endpoint_url")
        region = options.get("region_name")
        # Without an endpoint it is Amazon itself; its region only when configured (else the library picks).
        amazon = f"Amazon S3 ({region})" if region else "Amazon S3"
        where = host_of(endpoint) if endpoint else amazon
        detail = _("bucket %(bucket)s") % {"bucket": options.get("bucket_name", "")}
        if settings.MEDIA_SERVE_MODE == "s3":
            detail = _("%(detail)s; browsers fetch files there directly, with links valid for minutes") % {
                "detail": detail
            }
        return Service("storage", role, where, str(detail))
    return Service("storage", role, str(_("on this server's disk")))


def database_service() -> Service:
    database = settings.DATABASES["default"]
    role = str(_("Stores everything else: accounts, children, posts, messages, answers"))
    if "sqlite" in database["ENGINE"]:
        return Service("database", role, str(_("a database file on this server")))
    host = database.get("HOST") or ""
    if not host or host.startswith("/") or host in ("localhost", "127.0.0.1", "::1"):
        return Service("database", role, str(_("a database on this server")))
    port = database.get("PORT")
    return Service("database", role, f"{host}:{port}" if port else host)


def cache_service() -> Service | None:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    return Service("cache", str(_("Keeps short-lived data and the work queue")), host_of(url))


def translation_services(school) -> list[Service]:
    """The translation engine this school uses, as the translation app decides it; none when it is off or
    the server has none (another school's engine is no sub-processor of this one)."""
    name = processor_name(engine_of(school.id))
    if not name:
        return []
    return [Service("translation", str(_("Translates texts on request (the text is sent to it)")), name)]


def services_of(school) -> list[Service]:
    services = [email_service(), *push_services(school), storage_service(), database_service()]
    cache = cache_service()
    return services + ([cache] if cache else []) + translation_services(school)


def retention_of(school):
    """The retention table, if the privacy app that owns it is installed; None otherwise.

    The guarded import keeps this page working on a platform without that app: the section is left out
    rather than filled with periods nobody enforces.
    """
    try:
        from privacy.retention import categories_for
    except ImportError:
        return None
    return list(categories_for(school))


def statement_of(school) -> Statement:
    own = PrivacyStatement.objects.filter(school=school).first() or PrivacyStatement(school=school)
    return Statement(school, own, services=services_of(school), retention=retention_of(school))
