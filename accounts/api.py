"""The account's JSON face: who am I, my details, my API tokens. Same actions as the web pages."""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from accounts import actions
from accounts.access import access_api_token
from accounts.api_auth import SessionAuth, api_auth_before_two_factor
from accounts.queries import roles_by_school, tokens_of
from core.viewer import is_two_factor_verified

router = Router(tags=["accounts"])


class SchoolRolesOut(Schema):
    school_id: str
    school_name: str
    roles: list[str] = Field(description="director, teacher, office, guardian, class_parent")


class MeOut(Schema):
    public_id: str
    email: str
    first_name: str
    last_name: str
    language: str
    roles: list[SchoolRolesOut]
    is_two_factor_verified: bool


class MePatch(Schema):
    # A name must hold more than spaces.
    first_name: str | None = Field(None, max_length=80, pattern=r"\S")
    last_name: str | None = Field(None, max_length=120, pattern=r"\S")
    language: Literal["nl", "en"] | None = None


class TokenOut(Schema):
    public_id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime = Field(description="After this the token no longer works; make a new one.")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=80)


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret; shown only in this response.")


def me_out(user) -> dict:
    return {
        "public_id": user.public_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "roles": roles_by_school(user),
        "is_two_factor_verified": is_two_factor_verified(user),
    }


@router.get("/me", response=MeOut, auth=api_auth_before_two_factor)
def get_me(request):
    """Who is signed in. Open to staff before two-factor, so an app can see it must ask for the code."""
    return me_out(request.auth)


@router.patch("/me", response=MeOut)
def update_me(request, payload: MePatch):
    user = request.auth
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    actions.do_update_profile(
        acting_user=user,
        first_name=changes.get("first_name", user.first_name).strip(),
        last_name=changes.get("last_name", user.last_name).strip(),
        language=changes.get("language", user.language),
    )
    return me_out(user)


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request):
    return list(tokens_of(request.auth))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    url_name="token_create",
    auth=SessionAuth(),
)
def create_token(request, payload: TokenIn):
    """Make a token; only from a signed-in session, so no token can make itself a younger one."""
    token, secret = actions.check_create_api_token(acting_user=request.auth, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: str):
    token = access_api_token(request.auth, token_id)
    actions.do_revoke_api_token(acting_user=request.auth, token=token)
    return HttpResponse(status=204)
