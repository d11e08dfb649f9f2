import contextlib

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

from core.audit import current_ip
from core.client_address import client_ip
from core.viewer import request_memo

# A request that changes nothing may keep the viewer's membership for its duration (core.viewer).
READING_METHODS = frozenset({"GET", "HEAD"})


class RequestContextMiddleware:
    """Expose the client IP (behind trusted proxies: the forwarded one) to audit rows written anywhere; a
    reading request gets its memo of the viewer's membership (core.viewer.request_memo)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            if request.method in READING_METHODS:
                with request_memo():
                    return self.get_response(request)
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class RefusalMiddleware:
    """The pages' one translation of a refusal (`core.refusals`) that a view did not turn into a form error:
    the error page with the refusal's message and the same status the API answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from core.refusals import NotAllowed, NotFound, Refused
        from core.views import error_page, not_found

        if not isinstance(exception, Refused):
            return None  # Django's own Http404 and PermissionDenied go to its handlers (core.views)
        if isinstance(exception, NotFound):
            return not_found(request, exception)  # the same page as does-not-exist, whatever the message
        title = _("Not allowed") if isinstance(exception, NotAllowed) else _("This could not be done")
        return error_page(request, status=exception.status, title=title, text=exception.detail)


class NulCharacterMiddleware:
    """Take NUL characters out of text (query parameters, form fields, a JSON body) before any view reads it.

    No person types one and it carries no meaning, but PostgreSQL cannot store one in text (a value with
    one ended in a 500) and SQLite keeps a value that ends early for some readers. Removing it loses
    nothing a person wrote; refusing it would refuse text the API's schema admits. Uploaded files are bytes
    and may contain NUL: multipart bodies are not touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            request.GET = without_nul_querydict(request.GET)
        # Too large a body: the view reads it again and refuses it in its own words ("too large").
        with contextlib.suppress(RequestDataTooBig):
            self.clean_body(request)
        return self.get_response(request)

    @staticmethod
    def clean_body(request) -> None:
        # Multipart bodies are left alone: parsing them here would take the parse (and its errors) from the
        # view, and their text fields are few and short (an upload's school id).
        content_type = request.content_type or ""
        if content_type == "application/json" and (b"\x00" in request.body or b"\\u0000" in request.body):
            request._body = without_nul_json(request.body)
        elif content_type == "application/x-www-form-urlencoded" and any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists()
        ):
            request.POST = without_nul_querydict(request.POST)


def without_nul(value):
    """The value with every NUL character removed, through lists and dicts (keys too)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def without_nul_querydict(query):
    from django.http import QueryDict

    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(without_nul(key), without_nul(values))
    cleaned._mutable = False
    return cleaned


def without_nul_json(body: bytes) -> bytes:
    """The JSON body without NUL characters; a body that is not JSON is left for the API to refuse."""
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return body
    return json.dumps(without_nul(data)).encode()
