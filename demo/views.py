from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect

from demo.actions import do_demo_login
from demo.personas import access_persona


def login(request, persona: str):
    """One-click persona login from the link `make demo` prints; exists only in demo mode."""
    if not settings.DEMO_MODE:
        raise Http404
    user = access_persona(persona)
    do_demo_login(request, user=user, persona=persona)
    return redirect("core:home")
