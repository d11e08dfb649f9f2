"""Send a signed-in user who has not accepted the current conduct rules of their school(s) to the rules page.

The answer is remembered in the session for a few minutes (set at sign-in already), so ordinary pages pay
no query for it; a new version of the rules reaches everyone within RULES_RECHECK.
"""

import time
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

RULES_CHECKED_KEY = "moderation.rules_checked_at"
RULES_RECHECK_SECONDS = 10 * 60
# Pages open before the rules are accepted: signing in and out, the rules themselves, files behind
# pages (renditions) and the demo's login links.
OPEN_NAMESPACES = {"accounts", "demo"}
OPEN_VIEWS = {"moderation:rules", "media:rendition", "core:csrf_failure"}


# Whether the user belongs to a school (a guardian or staff there), remembered with the rules check: the
# footer offers "Tips for the school" only then, without a query on every page.
HAS_SCHOOL_KEY = "moderation_has_school"


def mark_rules_checked(session) -> None:
    session[RULES_CHECKED_KEY] = time.time()


def remember_state(session, user) -> bool:
    """Read the user's rules state, remember whether they have a school; True when rules wait for them."""
    from moderation.queries import rules_state

    member, pending = rules_state(user)
    session[HAS_SCHOOL_KEY] = member
    if not pending:
        mark_rules_checked(session)
    return pending


def rules_recently_checked(session) -> bool:
    checked = session.get(RULES_CHECKED_KEY)
    return checked is not None and time.time() - checked < RULES_RECHECK_SECONDS


class ConductRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        if match.namespace in OPEN_NAMESPACES or match.namespace == "api" or match.view_name in OPEN_VIEWS:
            return None
        session = request.session
        if rules_recently_checked(session):
            return None
        if remember_state(session, user):
            return redirect(f"{reverse('moderation:rules')}?{urlencode({'next': request.get_full_path()})}")
        return None
