"""Send an authorized rendition: streamed by the app (Range, ETag), or handed to nginx or S3.

The caller has already authorized the request; nothing here decides who may see what.

MEDIA_SERVE_MODE="nginx" needs an internal location that maps to the media storage's directory, e.g.

    location /_protected_media/ { internal; alias /srv/schoolplein/data/media/; }

MEDIA_SERVE_MODE="s3" needs MEDIA_S3_BUCKET (a private bucket); the redirect lives MEDIA_PRESIGNED_SECONDS.
"""

import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

from media.models import MediaFile, Rendition
from media.storage import CHUNK, media_storage

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
SANDBOX = "sandbox; default-src 'none'"


class Unsatisfiable(Exception):
    pass


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) bytes asked for; None for the whole file (absent, malformed or several ranges)."""
    match = RANGE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise Unsatisfiable
    return start, end


def etag_matches(header: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def download_name(rendition: Rendition) -> str:
    """The shown name with the rendition's own extension: what is sent is not the uploaded file."""
    stem = rendition.media.original_name.rsplit(".", 1)[0] or "file"
    suffix = rendition.name.rsplit(".", 1)[-1]
    return f"{stem}.{suffix}"


def _protect(response: HttpResponse, rendition: Rendition, *, cache: bool = True) -> HttpResponse:
    is_document = rendition.media.kind == MediaFile.Kind.DOCUMENT
    response["Content-Disposition"] = content_disposition_header(is_document, download_name(rendition))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = f"private, max-age={settings.MEDIA_CACHE_SECONDS}" if cache else "no-store"
    response["Vary"] = "Cookie, Authorization"
    return response


class Chunks:
    """Bytes start..start+length of a stored file, read as the response is sent, closed with it.

    The file is opened here, before the response starts: a storage that cannot be reached (S3 down) fails
    the request (503, core.outages) instead of a 200 whose body breaks off.
    """

    def __init__(self, storage_name: str, start: int, length: int):
        self.handle = media_storage().open(storage_name, "rb")
        self.start, self.length = start, length

    def __iter__(self):
        self.handle.seek(self.start)
        left = self.length
        while left > 0:
            chunk = self.handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()


def serve_rendition(request, rendition: Rendition) -> HttpResponse:
    mode = settings.MEDIA_SERVE_MODE
    if mode == "s3":
        return _protect(HttpResponseRedirect(presigned_url(rendition)), rendition, cache=False)
    etag = f'"{rendition.etag}"'
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    elif mode == "nginx":
        # nginx serves the bytes (and the Range) from an internal location; the headers come from here.
        response = HttpResponse(content_type=rendition.content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_NGINX_LOCATION + rendition.storage_name
    else:
        response = _app_response(request, rendition, etag)
    response["ETag"] = etag
    return _protect(response, rendition)


def _app_response(request, rendition: Rendition, etag: str) -> HttpResponse:
    size = rendition.byte_size
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        wanted = ""  # the client's partial copy is stale: send everything
    try:
        span = byte_range(wanted, size) if wanted else None
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = span or (0, size - 1)
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(
        Chunks(rendition.storage_name, start, length),
        status=206 if span else 200,
        content_type=rendition.content_type,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if span:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def presigned_url(rendition: Rendition) -> str:
    """A short-lived signed URL in the private bucket (django-storages' S3 storage signs it)."""
    is_document = rendition.media.kind == MediaFile.Kind.DOCUMENT
    return media_storage().url(
        rendition.storage_name,
        parameters={
            "ResponseContentType": rendition.content_type,
            "ResponseContentDisposition": content_disposition_header(is_document, download_name(rendition)),
            "ResponseCacheControl": f"private, max-age={settings.MEDIA_PRESIGNED_SECONDS}",
        },
        expire=settings.MEDIA_PRESIGNED_SECONDS,
    )
