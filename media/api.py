"""The media API: upload, follow processing, list and attach a group's files, delete.

The same actions and access functions as the pages; rendition URLs are authorized per request too
(a session or the same bearer token).
"""

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from media import actions
from media.access import access_media, access_own_uploads, access_upload_school
from media.models import MediaFile
from media.queries import group_files as group_files_of
from media.queries import urls_of
from schools.access import access_group

router = Router(tags=["media"])


class MediaOut(Schema):
    id: str
    kind: str
    status: str
    name: str
    byte_size: int
    width: int | None
    height: int | None
    duration: float | None
    failure_message: str
    renditions: dict[str, str]
    # Each rendition's real width in pixels (for a srcset): a still's name is the long edge it was made
    # for, not its width. None for a rendition without one (a document).
    rendition_widths: dict[str, int | None]


class AttachIn(Schema):
    media_ids: list[str]


def media_out(media: MediaFile) -> dict:
    renditions = list(media.renditions.all()) if media.is_ready else []
    return {
        "id": media.public_id,
        "kind": media.kind,
        "status": media.status,
        "name": media.original_name,
        "byte_size": media.byte_size,
        "width": media.width,
        "height": media.height,
        "duration": media.duration,
        "failure_message": media.failure_message,
        "renditions": urls_of(media.public_id, media.version, [rendition.name for rendition in renditions]),
        "rendition_widths": {rendition.name: rendition.width for rendition in renditions},
    }


@router.post("/uploads", response={201: MediaOut}, url_name="media_upload")
def upload(request, file: File[UploadedFile], school_id: Form[str] = ""):
    """Upload one file; it is checked at once and then processed in the background (poll its status)."""
    school = access_upload_school(request.auth, school_id or None)
    media = actions.check_upload(acting_user=request.auth, school=school, upload=file)
    return Status(201, media_out(media))


@router.get("/groups/{group_id}/files", response=list[MediaOut], url_name="media_group_files")
def group_files(request, group_id: str):
    files, _can_manage = group_files_of(request.auth, access_group(request.auth, group_id))
    return [media_out(media) for media in files]


@router.post("/groups/{group_id}/files", response={200: list[MediaOut]}, url_name="media_group_attach")
def group_attach(request, group_id: str, payload: AttachIn):
    """Add your uploads (processing or ready) to a group's files; they show to its members once ready."""
    group = access_group(request.auth, group_id, write=True)
    media_files = access_own_uploads(request.auth, payload.media_ids)
    attached = actions.check_attach_media(acting_user=request.auth, media_files=media_files, carrier=group)
    return Status(200, [media_out(media) for media in attached])


@router.get("/{media_id}", response=MediaOut, url_name="media_detail")
def detail(request, media_id: str):
    """A file's status (uploaded, processing, ready, failed), its failure reason, and when ready its URLs."""
    return media_out(access_media(request.auth, media_id))


@router.delete("/{media_id}", response={204: None}, url_name="media_delete")
def delete(request, media_id: str):
    """Remove a file (its uploader, or staff of the group that carries it)."""
    media = access_media(request.auth, media_id, write=True)
    actions.do_delete_media(acting_user=request.auth, media=media)
    return Status(204, None)
