"""API authentication: the browser session (with CSRF on unsafe methods) or a personal bearer token."""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken, hash_token


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; ninja enforces CSRF for unsafe methods on cookie auth."""

    param_name = "schoolplein_session"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        # Touch at most once a minute: the morning rush should not write on every read.
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        user = api_token.user
        # A token can only be created from a two-factor-verified session, so it carries that proof.
        user.is_verified = lambda: True
        request.user = user
        return user


api_auth = [TokenAuth(), SessionAuth()]
