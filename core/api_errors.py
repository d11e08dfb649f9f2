"""The API's error answers: always JSON `{"detail": ...}` in the user's language."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


def ninja_message(exc: HttpError) -> str:
    """ninja's own error texts are English; say them in the user's language. Ours are translated already."""
    text = str(exc)
    if text.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    if text.startswith("CSRF check Failed"):
        return _("The CSRF token is missing or wrong. Reload the page, or use an API token.")
    return text


def install_error_handlers(api: NinjaAPI) -> None:
    def answer(request, status: int, detail, **extra):
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    api.add_exception_handler(Http404, lambda request, exc: answer(request, 404, _("Not found.")))
    api.add_exception_handler(
        AuthenticationError, lambda request, exc: answer(request, 401, _("Sign in or use an API token."))
    )
    api.add_exception_handler(
        HttpError, lambda request, exc: answer(request, exc.status_code, ninja_message(exc))
    )
    api.add_exception_handler(
        RequestDataTooBig, lambda request, exc: answer(request, 400, _("The request is too large."))
    )
    api.add_exception_handler(
        ValidationError,
        lambda request, exc: answer(request, 422, _("The request is not valid."), errors=exc.errors),
    )
