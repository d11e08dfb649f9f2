"""At sign-in, remember in the session whether the user has accepted every school's conduct rules, and
whether they belong to a school at all (the footer's "Tips for the school")."""

from django.contrib.auth.signals import user_logged_in


def remember_rules_state(sender, request, user, **kwargs):
    from moderation.middleware import remember_state

    session = getattr(request, "session", None)
    if session is not None:
        remember_state(session, user)


def connect_signals() -> None:
    user_logged_in.connect(remember_rules_state, dispatch_uid="moderation.remember_rules_state")
