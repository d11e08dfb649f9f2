"""Files as one zip download (a post's photos): each file through the same access function and
rendition lookup as its single rendition URL, so a file the viewer may not see is never in it."""

import io
import zipfile

from django.http import HttpResponse

from media.access import access_renditions
from media.models import MediaFile
from media.queries import largest_still
from media.storage import rendition_bytes


def largest_stills_zip(viewer, media_files: list[MediaFile], *, filename: str) -> HttpResponse | None:
    """The largest still of each file (renditions prefetched) that the viewer may see, numbered in
    order; None when there is none."""
    wanted = []
    for media in media_files:
        largest = largest_still(media.renditions.all(), prefer=".jpg")
        if largest is not None:
            wanted.append((media.public_id, media.version, largest.name))
    renditions = access_renditions(viewer, wanted)
    if not renditions:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, rendition in enumerate(renditions, start=1):
            suffix = rendition.name.rsplit(".", 1)[-1]
            archive.writestr(f"{number:02d}.{suffix}", rendition_bytes(rendition))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
