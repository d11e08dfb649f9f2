"""API authentication: the browser session (with CSRF on unsafe methods) or a personal bearer token.

Both paths demand the proof the pages demand (`accounts.twofactor.needs_two_factor`): staff whose session
has not passed two-factor, or whose token was not made in a session that had, get 403 from every operation
but the few that are open before two-factor, as the sign-in pages are (`api_auth_before_two_factor`).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken, hash_token
from accounts.twofactor import needs_two_factor


def two_factor_required_message() -> str:
    return _(
        "Confirm your sign-in with two-step verification first: open Schoolplein in your browser and "
        "enter the code from your authenticator app (an API token must be made after that)."
    )


def admit(user, *, before_two_factor: bool = False):
    """The user, unless staff powers would be used without two-factor proof (then 403)."""
    if not before_two_factor and needs_two_factor(user):
        raise AuthorizationError(403, two_factor_required_message())
    return user


def user_for_token(secret: str):
    """The user a working token acts as (not revoked, not expired, account active), or None.

    The user carries the token's two-factor proof: a token made in a verified session has it until it
    expires; one made before (a parent who later became staff) never has it.
    """
    now = timezone.now()
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(secret), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .first()
    )
    if api_token is None:
        return None
    # Touch at most once a minute: the morning rush should not write on every read.
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    user = api_token.user
    proof = api_token.two_factor
    user.is_verified = lambda: proof
    return user


def viewer_for_token(secret: str):
    """For a page that also takes a bearer token (a photo): the token's user if admitted, else None."""
    user = user_for_token(secret)
    return None if user is None or needs_two_factor(user) else user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; ninja enforces CSRF for unsafe methods on cookie auth."""

    param_name = "schoolplein_session"

    def __init__(self, *, before_two_factor: bool = False):
        self.before_two_factor = before_two_factor
        super().__init__()

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return admit(user, before_two_factor=self.before_two_factor)
        return None


class TokenAuth(HttpBearer):
    def __init__(self, *, before_two_factor: bool = False):
        self.before_two_factor = before_two_factor
        super().__init__()

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return admit(user, before_two_factor=self.before_two_factor)


api_auth = [TokenAuth(), SessionAuth()]
# Only for what a staff member may do before two-factor, as on the pages: see who they are signed in as.
api_auth_before_two_factor = [TokenAuth(before_two_factor=True), SessionAuth(before_two_factor=True)]
