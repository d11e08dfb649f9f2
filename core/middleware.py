from django.utils.translation import gettext as _

from core.audit import current_ip
from core.client_address import client_ip


class RequestContextMiddleware:
    """Expose the client IP (behind trusted proxies: the forwarded one) to audit rows written anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
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
