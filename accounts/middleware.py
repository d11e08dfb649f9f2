"""Per-user language and sliding session lifetimes."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone, translation

from accounts.sessions import SESSION_IP_KEY
from core.client_address import client_ip

# Refresh a sliding session at most once a day, so most requests do not write the session row.
SESSION_REFRESH_AFTER = timedelta(days=1)
SESSION_REFRESHED_KEY = "_refreshed_at"


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def session_age_for(user) -> timedelta:
    """Parents stay signed in for months; anyone with a staff role gets a working day."""
    from schools.queries import has_any_staff_role

    return settings.STAFF_SESSION_AGE if has_any_staff_role(user) else settings.PARENT_SESSION_AGE


class SlidingSessionMiddleware:
    """Keep a parent signed in while they keep using the app (sliding 90 days); staff sessions never slide."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated or session.is_empty():
            return response
        from schools.queries import has_any_staff_role

        if has_any_staff_role(user):
            return response
        now = timezone.now()
        refreshed = session.get(SESSION_REFRESHED_KEY)
        if refreshed is None or now.timestamp() - refreshed > SESSION_REFRESH_AFTER.total_seconds():
            session[SESSION_REFRESHED_KEY] = now.timestamp()
            session[SESSION_IP_KEY] = client_ip(request)
            session.set_expiry(int(settings.PARENT_SESSION_AGE.total_seconds()))
        return response


class TwoFactorRequiredMiddleware:
    """Send staff whose session has not passed two-factor to setup or verify, before any other page.

    Open are the sign-in, two-factor, logout and language pages, static files and the API (whose
    authentication asks the same question and answers 403 itself: accounts/api_auth.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from accounts.twofactor import needs_two_factor, two_factor_url
        from accounts.urls import OPEN_BEFORE_TWO_FACTOR

        match = request.resolver_match
        if match is None or match.namespace == "api" or request.path.startswith(("/api/", "/static/")):
            return None
        if match.namespace == "accounts" and match.url_name in OPEN_BEFORE_TWO_FACTOR:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not needs_two_factor(user):
            return None
        return redirect(two_factor_url(user, request.get_full_path()))
