"""Translation API: the same actions and access as the pages' control. A client asks again (the same
POST) while `state` is "pending"; the engine is never waited for."""

from typing import Literal

from ninja import Field, Router, Schema

from translation import actions
from translation.protect import is_rtl
from translation.queries import preference_of

router = Router(tags=["translation"])
LANGUAGE = "^[a-z]{2,3}(-[a-z0-9]{2,8})?$"  # as translation.actions.LANGUAGE_CODE


class TranslationIn(Schema):
    kind: Literal["post", "comment", "message", "notice"]
    id: str = Field(
        ..., max_length=32, description="The public id of the post, comment, message or notice (its event)"
    )
    language: str = Field(..., pattern=LANGUAGE, description="Target language (ISO code: ar, tr, pl, uk …)")


class TranslationOut(Schema):
    kind: str
    id: str
    language: str
    state: Literal["ready", "pending", "unavailable"]
    direction: Literal["ltr", "rtl"]
    machine_translated: bool = Field(True, description="Always true: label it as a machine translation")
    texts: list[str] = Field(
        ...,
        description="The translation (post: title, HTML body, then its details); empty unless ready",
    )
    originals: list[str] = Field(..., description="The texts as written (post: title, HTML body, details)")
    details: list[str] = Field(
        ...,
        description="What the last texts are: an event's 'place', each 'task' of a help request, in order",
    )
    engine: str
    detected_language: str


class PreferenceIO(Schema):
    language: str = Field("", pattern=f"^({LANGUAGE[1:-1]})?$", description="Reading language; empty: none")
    always: bool = False


@router.post("", response=TranslationOut)
def translate(request, payload: TranslationIn):
    """A text you can see, in `language`; 404 for a text you cannot see, 422 where the school does not
    translate. Ask again while `state` is "pending"."""
    outcome = actions.check_request_translation(
        viewer=request.auth, kind=payload.kind, public_id=payload.id, language=payload.language
    )
    return {
        "kind": outcome.kind,
        "id": outcome.object_id,
        "language": outcome.language,
        "state": outcome.state,
        "direction": "rtl" if is_rtl(outcome.language) else "ltr",
        "texts": outcome.texts,
        "originals": outcome.originals,
        "details": outcome.roles,
        "engine": outcome.engine,
        "detected_language": outcome.detected_language,
    }


@router.get("/preference", response=PreferenceIO)
def my_preference(request):
    preference = preference_of(request.auth)
    return {"language": preference.language, "always": preference.always}


@router.put("/preference", response=PreferenceIO)
def set_preference(request, payload: PreferenceIO):
    preference = actions.check_set_preference(
        acting_user=request.auth, language=payload.language, always=payload.always
    )
    return {"language": preference.language, "always": preference.always}
