"""Fetch-and-authorize for a user's own sessions and API tokens: anyone else's answers 404."""

from django.http import Http404

from accounts.models import ApiToken, UserSession
from accounts.queries import sessions_of, tokens_of


def access_session(viewer, public_id: str) -> UserSession:
    session = sessions_of(viewer).filter(public_id=public_id).first()
    if session is None:
        raise Http404
    return session


def access_api_token(viewer, public_id: str) -> ApiToken:
    token = tokens_of(viewer).filter(public_id=public_id).first()
    if token is None:
        raise Http404
    return token
