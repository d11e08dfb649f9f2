"""The API's error answers: always JSON `{"detail": ..., "code": ...}` in the user's language.

This is the API's one translation of a refusal (`core.refusals`) into a response; the pages have theirs in
`core.middleware.RefusalMiddleware`, with the same status for the same refusal. Every operation documents
these answers with the one `Error` schema (`document_errors`).
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from core.refusals import Refused, refusal_from

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "not_allowed",
    404: "not_found",
    422: "invalid",
    429: "too_many_attempts",
}


class Error(Schema):
    """Every refusal the API answers: a translated `detail`, a stable `code`, and where useful the details."""

    detail: str
    code: str
    problems: list[dict] | None = None  # a refusal's structured problems (e.g. each photo, child, purpose)
    errors: list[dict] | None = None  # which fields of the request did not match the schema


def ninja_message(exc: HttpError) -> str:
    """ninja's own error texts are English; say them in the user's language. Ours are translated already."""
    text = str(exc)
    if text.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    if text.startswith("CSRF check Failed"):
        return _("The CSRF token is missing or wrong. Reload the page, or use an API token.")
    return text


def install_error_handlers(api: NinjaAPI) -> None:
    def answer(request, status: int, detail, *, code: str = "", **extra):
        body = {"detail": str(detail), "code": code or CODES.get(status, "refused")}
        body |= {key: value for key, value in extra.items() if value is not None}
        return api.create_response(request, body, status=status)

    def refused(request, exc):
        refusal = refusal_from(exc)
        return answer(
            request, refusal.status, refusal.detail, code=refusal.code, problems=refusal.problems_out()
        )

    for family in (Refused, Http404, PermissionDenied, ValidationError):
        api.add_exception_handler(family, refused)
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
        SchemaError,
        lambda request, exc: answer(request, 422, _("The request is not valid."), errors=exc.errors),
    )


ERROR_STATUSES = {
    "400": "The request body is not JSON, or too large.",
    "401": "Not signed in: no valid API token or session.",
    "403": "Not allowed, or the CSRF token is missing.",
    "404": "Does not exist, or is not yours.",
    "422": "The request is not valid, or refused for what it says.",
}


class DocumentedAPI(NinjaAPI):
    """The API whose OpenAPI document declares the error answers of every operation with one `Error`."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Error", Error.model_json_schema(ref_template="#/components/schemas/{model}"))
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                for status, description in ERROR_STATUSES.items():
                    if status == "401" and not operation.get("security"):
                        continue
                    # An operation's own declaration of a status wins.
                    operation["responses"].setdefault(status, {"description": description, **error})
        return schema
