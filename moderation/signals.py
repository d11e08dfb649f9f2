"""At sign-in, remember in the session whether the user has accepted every school's conduct rules."""

from django.contrib.auth.signals import user_logged_in


def remember_rules_state(sender, request, user, **kwargs):
    from moderation.middleware import mark_rules_checked
    from moderation.queries import schools_with_pending_rules

    session = getattr(request, "session", None)
    if session is not None and not schools_with_pending_rules(user).exists():
        mark_rules_checked(session)


def connect_signals() -> None:
    user_logged_in.connect(remember_rules_state, dispatch_uid="moderation.remember_rules_state")
