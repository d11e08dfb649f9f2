from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.queries import get_home


@login_required
def home(request):
    return render(request, "core/home.html", {"home": get_home(request.user)})


def csrf_failure(request, reason=""):
    """A CSRF failure is almost always an expired page: say so plainly and let them try again."""
    return render(
        request,
        "core/error.html",
        {
            "title": _("This page has expired"),
            "text": _(
                "Your form was open too long or your session changed. Go back, reload the page and try again."
            ),
        },
        status=403,
    )


def bad_request(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": _("Something was wrong with that request"), "text": _("Please go back and try again.")},
        status=400,
    )


def permission_denied(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": _("Not allowed"), "text": _("You are not allowed to do this.")},
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Page not found"),
            "text": _("This page does not exist, or it is not shared with you."),
        },
        status=404,
    )


def server_error(request):
    # Standalone template: a 500 must render even when the base layout is what broke.
    return render(
        request,
        "core/server_error.html",
        {"title": _("Something went wrong"), "text": _("Sorry, please try again in a moment.")},
        status=500,
    )
