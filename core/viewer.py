"""Facts about the signed-in viewer that every access layer needs, memoised per request."""

from django.contrib.auth.models import AnonymousUser


def is_signed_in(viewer) -> bool:
    return viewer is not None and not isinstance(viewer, AnonymousUser) and viewer.is_authenticated


def is_two_factor_verified(viewer) -> bool:
    """Staff powers count only in a session that passed TOTP (API tokens count as verified)."""
    check = getattr(viewer, "is_verified", None)
    return bool(check and check())


def verified(user):
    """The user acting with the proof of a two-factor-verified session: for work done outside a session
    (demo seeding, a token that was made in one, tests), where staff powers would otherwise not count."""
    if user is not None:
        user.is_verified = lambda: True
    return user
