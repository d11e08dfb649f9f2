from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.queries import get_home


@login_required
def home(request):
    return render(request, "core/home.html", {"home": get_home(request.user)})


def error_page(request, *, status: int, title: str, text: str, template: str = "core/error.html"):
    """An error in the user's language: a page for people, JSON for API clients."""
    if request.path.startswith("/api/"):
        from core.api_errors import CODES

        return JsonResponse({"detail": f"{title}. {text}", "code": CODES.get(status, "error")}, status=status)
    return render(request, template, {"title": title, "text": text}, status=status)


def csrf_failure(request, reason=""):
    """A CSRF failure is almost always an expired page: say so plainly and let them try again."""
    return error_page(
        request,
        status=403,
        title=_("This page has expired"),
        text=_(
            "Your form was open too long or your session changed. Go back, reload the page and try again."
        ),
    )


def bad_request(request, exception=None):
    return error_page(
        request,
        status=400,
        title=_("Something was wrong with that request"),
        text=_("Please go back and try again."),
    )


def permission_denied(request, exception=None):
    return error_page(request, status=403, title=_("Not allowed"), text=_("You are not allowed to do this."))


def not_found(request, exception=None):
    return error_page(
        request,
        status=404,
        title=_("Page not found"),
        text=_("This page does not exist, or it is not shared with you."),
    )


def server_error(request):
    # Standalone template: a 500 must render even when the base layout is what broke.
    return error_page(
        request,
        status=500,
        title=_("Something went wrong"),
        text=_("Sorry, please try again in a moment."),
        template="core/server_error.html",
    )
