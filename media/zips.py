"""Files as one zip download (a post's photos): each file through the same access function and
rendition lookup as its single rendition URL, so a file the viewer may not see is never in it."""

import io
import zipfile
from collections.abc import Iterator

from django.http import HttpResponse

from media.access import access_renditions
from media.models import MediaFile, Rendition
from media.queries import largest_still
from media.storage import CHUNK, media_storage, rendition_bytes

# access_renditions asks for each rendition by name; a few hundred at a time keeps the query small.
BATCH = 200


def largest_stills_zip(viewer, media_files: list[MediaFile], *, filename: str) -> HttpResponse | None:
    """The largest still of each file (renditions prefetched) that the viewer may see, numbered in
    order; None when there is none."""

    def largest(media: MediaFile):
        return largest_still(media.renditions.all(), prefer=".jpg")

    renditions = [rendition for _media, rendition in shown_renditions(viewer, media_files, choose=largest)]
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


def download_rendition_of(media: MediaFile):
    """What a download of the file holds: a video's MP4, else its largest JPEG still (never the original)."""
    renditions = list(media.renditions.all())
    video = next((r for r in renditions if r.name == "video.mp4"), None)
    return video or largest_still(renditions, prefer=".jpg")


def downloads_for(viewer, media_files: list[MediaFile]) -> Iterator[tuple[MediaFile, Rendition]]:
    """Each file's download rendition that the viewer may see (renditions prefetched)."""
    return shown_renditions(viewer, media_files, choose=download_rendition_of)


def shown_renditions(
    viewer, media_files: list[MediaFile], *, choose
) -> Iterator[tuple[MediaFile, Rendition]]:
    """The rendition `choose` picks of each file, in order, through the same access function as a single
    rendition URL; files the viewer may not see, or with nothing to pick, are left out."""
    for start in range(0, len(media_files), BATCH):
        batch = media_files[start : start + BATCH]
        wanted, files = [], {}
        for media in batch:
            rendition = choose(media)
            if rendition is not None:
                wanted.append((media.public_id, media.version, rendition.name))
                files[media.public_id] = media
        for rendition in access_renditions(viewer, wanted):
            yield files[rendition.media.public_id], rendition


def copy_into(archive: zipfile.ZipFile, name: str, rendition: Rendition) -> None:
    """Stream one rendition's bytes into the archive (a video need not fit in memory), stored as they are:
    deflating JPEG and MP4 gains nothing and costs time."""
    entry = zipfile.ZipInfo(name, date_time=rendition.media.created_at.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_STORED
    with media_storage().open(rendition.storage_name, "rb") as source, archive.open(entry, "w") as target:
        while chunk := source.read(CHUNK):
            target.write(chunk)
