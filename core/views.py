import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.outages import RETRY_AFTER_SECONDS, is_outage
from core.queries import get_home, my_children, school_names


@login_required
@require_GET
def home(request):
    """The news of all my groups, with what waits for me on top (each app adds its own cards)."""
    context = {"home": {"children": my_children(request.user)}, "school_names": school_names(request.user)}
    return render(request, "core/home.html", context)


@login_required
@require_GET
def more(request):
    """The phone's "More" tab: every destination the tab bar has no room for."""
    context = {"home": get_home(request.user), "school_names": school_names(request.user)}
    return render(request, "core/more.html", context)


@require_GET
def offline(request):
    """What the installed app shows without a network; the service worker keeps a copy, so it names nobody."""
    return render(request, "core/offline.html")


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
    # Called inside the `except` that caught the exception: an unreachable dependency is a 503, not a bug.
    if is_outage(sys.exception()):
        return unavailable(request)
    # Standalone template: a 500 must render even when the base layout is what broke.
    return error_page(
        request,
        status=500,
        title=_("Something went wrong"),
        text=_("Sorry, please try again in a moment."),
        template="core/server_error.html",
    )


def unavailable(request):
    """Answer 503 with a retry hint: a dependency is down."""
    title = _("Temporarily unavailable")
    text = _("Part of Schoolplein cannot be reached right now. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": f"{title}. {text}", "code": "unavailable"}, status=503)
    else:
        # Without the request's context processors: they may need the very database that is down.
        page = render_to_string("core/server_error.html", {"title": title, "text": text})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
