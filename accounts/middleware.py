"""Per-user language and sliding session lifetimes."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from accounts.sessions import SESSION_IP_KEY

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
            session[SESSION_IP_KEY] = request.META.get("REMOTE_ADDR")
            session.set_expiry(int(settings.PARENT_SESSION_AGE.total_seconds()))
        return response
