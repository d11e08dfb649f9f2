import functools
from urllib.parse import unquote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf

from media.grants import GRANT_PARAMETER, grant_holder, is_granted
from media.models import MediaFile, Rendition
from media.queries import rendition_route_prefix
from media.serving import serve_rendition
from media.storage import media_storage


class RenditionGrantMiddleware:
    """Hold the browser session's cookie while a page is built (its rendition URLs get grants), and send a
    rendition whose grant is valid for this session before the session, the user and the visibility check
    are loaded: the page that carried the URL already asked the owner (see media.grants).

    Placed before the session middleware: a granted thumbnail costs no query once this process has read its
    rendition's row. Anything else, a wrong or expired grant included, goes on to the view, which checks
    everything.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        holder = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if "Authorization" in request.headers:
            holder = None  # a bearer token's viewer is not the session's
        grant = request.GET.get(GRANT_PARAMETER) if holder and request.method in ("GET", "HEAD") else None
        if grant:
            response = self.granted_response(request, holder, grant)
            if response is not None:
                return response
        token = grant_holder.set(holder)
        try:
            return self.get_response(request)
        finally:
            grant_holder.reset(token)

    @staticmethod
    def granted_response(request, holder: str, grant: str):
        prefix = rendition_route_prefix(get_urlconf(), get_script_prefix())
        if not request.path.startswith(prefix):
            return None
        public_id, _slash, rest = request.path.removeprefix(prefix).partition("/")
        version, _slash, name = rest.partition("/")
        if not version.isdigit() or not name or "/" in name:
            return None
        name = unquote(name)
        if not is_granted(grant, holder=holder, public_id=public_id, version=int(version), name=name):
            return None
        rendition = granted_rendition(public_id, int(version), name)
        if rendition is None or not _still_stored(rendition):
            return None  # gone since the page was built: the view answers (404)
        return serve_rendition(request, rendition)


@functools.lru_cache(maxsize=4096)
def granted_rendition(public_id: str, version: int, name: str) -> Rendition | None:
    """The rendition's row, kept by this process: the version is in the key and new bytes get a new version,
    so a kept row never describes other bytes. A file removed since is caught by `_still_stored`."""
    return (
        Rendition.objects.select_related("media")
        .filter(
            media__public_id=public_id,
            media__version=version,
            name=name,
            media__status=MediaFile.Status.READY,
        )
        .first()
    )


def _still_stored(rendition: Rendition) -> bool:
    # Only the app streams the bytes itself, and a missing file must answer 404 before the headers go out;
    # nginx and S3 answer 404 for a missing file on their own.
    return settings.MEDIA_SERVE_MODE != "app" or media_storage().exists(rendition.storage_name)
