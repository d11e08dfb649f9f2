"""One way to refuse: the exceptions access functions and actions raise when they say no.

    NotFound    404  does not exist, or is not yours (the same answer, so nobody learns which)
    NotAllowed  403  yours to see, not yours to do
    Invalid     422  the request is understood and refused: say why, and optionally which `problems`
    TooManyAttempts 429  too many tries in a window (sign-in, codes): wait, then try again

Each carries a translated `message` that is safe to show, a stable `code` for programs and optionally
structured `problems`. They are translated to a response in one place per face: for pages by
`core.middleware.RefusalMiddleware` (the error page, or the form error where a view catches `Invalid`),
for the API by `core.api_errors.install_error_handlers` (`{"detail", "code", "problems"}`), with the same
status in both. `NotFound` is an `Http404`, `NotAllowed` a `PermissionDenied` and `Invalid` a
`ValidationError`, so code that catches Django's exceptions (forms, views) keeps working.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Refused(Exception):
    """A refusal; subclasses fix the status. `message` is translated and safe to show."""

    status = 422
    default_code = "refused"

    def __init__(self, message=None, *, code: str = "", problems=None):
        message = message if message is not None else self.default_message()
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.problems = problems

    def default_message(self):
        return _("This could not be done.")

    @property
    def detail(self) -> str:
        """The message as one string, in the active language."""
        return str(self.message)

    def problems_out(self) -> list | None:
        """The problems as plain JSON data; subclasses with richer problems override this."""
        return self.problems


class NotFound(Refused, Http404):
    """Does not exist, or is not the viewer's: both answer 404 alike."""

    status = 404
    default_code = "not_found"

    def default_message(self):
        return _("Not found.")


class NotAllowed(Refused, PermissionDenied):
    """The viewer may see it but may not do this."""

    status = 403
    default_code = "not_allowed"

    def default_message(self):
        return _("You are not allowed to do this.")


class Invalid(Refused, ValidationError):
    """The request is refused for what it says: a translated reason, and optionally which problems."""

    status = 422
    default_code = "invalid"

    def __init__(self, message=None, *, code: str = "", problems=None):
        message = message if message is not None else self.default_message()
        ValidationError.__init__(self, message, code=code or self.default_code)
        self.code = code or self.default_code
        self.problems = problems
        if not hasattr(self, "message"):  # a list of messages: ValidationError keeps them in error_list
            self.message = " ".join(str(text) for text in self.messages)

    def __str__(self) -> str:
        return self.detail

    @property
    def detail(self) -> str:
        return " ".join(str(text) for text in self.messages)


class TooManyAttempts(Refused):
    """Too many tries from this account or address in a window; the answer says to wait."""

    status = 429
    default_code = "too_many_attempts"

    def default_message(self):
        return _("Too many attempts. Please wait a quarter of an hour and try again.")


def refusal_from(exc: Exception) -> Refused | None:
    """Django's own refusals as ours, for code that still raises them; None for anything else."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, ValidationError):
        return Invalid(" ".join(str(text) for text in exc.messages) or None)
    if isinstance(exc, PermissionDenied):
        return NotAllowed(str(exc) or None)
    if isinstance(exc, Http404):
        return NotFound()
    return None
