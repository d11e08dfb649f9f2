"""A child's photo for the face picker under /api/v1/privacy/ (consent.avatars), and the school's consent
settings: the same access functions and actions as the pages."""

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from consent import actions, avatars
from consent.access import access_consent_school, access_own_child
from consent.queries import settings_of
from core.refusals import Invalid
from media.api import MediaOut, media_out

router = Router(tags=["consent"])


class AvatarOut(Schema):
    allowed: bool  # the school lets parents add one, and no parent said no to class photos
    photo: MediaOut | None


def avatar_out(viewer, pupil) -> dict:
    allowed = avatars.avatars_allowed(pupil.school) and not avatars.is_photo_refused(pupil)
    media = avatars.avatar_of(viewer, pupil)
    return {"allowed": allowed, "photo": media_out(media) if media else None}


@router.get("/children/{pupil_id}/photo", response=AvatarOut, url_name="consent_avatar")
def avatar(request, pupil_id: str):
    """The child's photo for the face picker, as its parent sees it (a processing one included)."""
    return avatar_out(request.auth, access_own_child(request.auth, pupil_id))


@router.post("/children/{pupil_id}/photo", response={201: AvatarOut}, url_name="consent_avatar_set")
def avatar_set(request, pupil_id: str, photo: File[UploadedFile] = None):
    """Upload the child's photo (multipart field `photo`) in place of the previous one; it is processed in
    the background."""
    pupil = access_own_child(request.auth, pupil_id)
    if photo is None:
        raise Invalid(_("Choose a photo first."), code="photo_required")
    avatars.check_set_avatar(acting_user=request.auth, pupil=pupil, upload=photo)
    return Status(201, avatar_out(request.auth, pupil))


@router.delete("/children/{pupil_id}/photo", response={204: None}, url_name="consent_avatar_remove")
def avatar_remove(request, pupil_id: str):
    avatars.do_remove_avatar(acting_user=request.auth, pupil=access_own_child(request.auth, pupil_id))
    return Status(204, None)


class SettingsOut(Schema):
    blur_untagged_faces: bool
    child_avatars: bool


class SettingsIn(Schema):
    blur_untagged_faces: bool | None = None
    child_avatars: bool | None = None


def settings_out(school) -> dict:
    settings = settings_of(school)
    return {"blur_untagged_faces": settings.blur_untagged_faces, "child_avatars": settings.child_avatars}


@router.get("/schools/{school_id}/settings", response=SettingsOut, url_name="consent_settings")
def school_settings(request, school_id: str):
    return settings_out(access_consent_school(request.auth, school_id))


@router.patch("/schools/{school_id}/settings", response=SettingsOut, url_name="consent_settings_change")
def school_settings_change(request, school_id: str, payload: SettingsIn):
    """Change the school's consent settings (director or office); fields left out stay as they are."""
    school = access_consent_school(request.auth, school_id)
    if payload.blur_untagged_faces is not None:
        enabled = payload.blur_untagged_faces
        actions.do_set_blur_untagged(acting_user=request.auth, school=school, enabled=enabled)
    if payload.child_avatars is not None:
        avatars.do_set_child_avatars(acting_user=request.auth, school=school, enabled=payload.child_avatars)
    return settings_out(school)
