"""Every state change of media: upload into quarantine, process, attach to a carrier, delete."""

import logging
import os
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.cascade import among, delete_cascading
from core.outages import is_outage
from media.carriers import carrier_for_model, is_carrier
from media.failures import PROCESSING_ERROR, MediaRefused, files_per_post, too_many_files_message
from media.models import MediaFile, Rendition
from media.storage import (
    file_digest,
    media_storage,
    new_quarantine_name,
    new_storage_name,
    quarantine_dir,
    quarantine_path,
    remove_quarantined,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Other apps look at a processed file while its renditions are still on disk (consent finds faces):
# hook(media, processed) returns a callable that runs in the transaction that marks the file ready.
READY_HOOKS: list = []
# hook(media_files, carrier) runs in the transaction that attaches files (consent holds photos with faces).
ATTACH_HOOKS: list = []
RETRY_BASE_SECONDS = 30
# An unreachable dependency (the object store down, say) is no fault of the file: try again soon, without
# counting it against MAX_ATTEMPTS, until the store is back.
OUTAGE_RETRY_SECONDS = 15
# A worker holds a file it took this long: longer than a job may run (RQ's timeout, 600 s).
PROCESSING_CLAIM = timedelta(minutes=15)
NAME_MAX = 200


def clean_original_name(name: str) -> str:
    """The uploaded name for display only: no path, no control characters, bounded length."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if ch.isspace() else ch for ch in name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    if len(name) > NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        name = (
            f"{stem[: NAME_MAX - len(suffix) - 1]}.{suffix}" if dot and len(suffix) < 10 else name[:NAME_MAX]
        )
    return name or "file"


def _quarantine(upload: UploadedFile, path: Path, *, max_bytes: int) -> int:
    """Copy the upload to a private file, refusing it once it passes the largest limit."""
    written = 0
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for chunk in upload.chunks():
            written += len(chunk)
            if written > max_bytes:
                message = _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
                raise MediaRefused(message, code="too_large")
            out.write(chunk)
    return written


def check_upload(*, acting_user, school, upload: UploadedFile, carrier=None) -> MediaFile:
    """Quarantine and sniff an upload, then queue its processing; a refused file leaves nothing behind.

    With a carrier (one the caller has authorized the user to add to), the file is attached at once and
    shows there when ready.
    """
    from media.processing import Limits, Rejected, sniff

    limits = Limits.from_settings()
    largest = max(limits.photo_bytes, limits.video_bytes, limits.document_bytes)
    name = new_quarantine_name()
    path = quarantine_path(name)
    try:
        byte_size = _quarantine(upload, path, max_bytes=largest)
        sniffed = sniff(path, limits=limits)  # also checks the size limit of the sniffed kind
        with transaction.atomic():
            media = MediaFile.objects.create(
                next_try_at=timezone.now() + requeue_after(),
                school=school,
                uploaded_by=acting_user,
                kind=sniffed.kind,
                original_name=clean_original_name(upload.name),
                byte_size=byte_size,
                quarantine_name=name,
            )
            record(actor=acting_user, action="media.uploaded", target=media, school=school, kind=media.kind)
            if carrier is not None:
                do_attach_media(acting_user=acting_user, media_files=[media], carrier=carrier)
            # robust: the row is the ledger (next_try_at), so a queue that cannot be reached after the commit
            # costs a delay until the tick queues the file again, not an error for an upload that is saved.
            transaction.on_commit(lambda: enqueue_processing(media.id), robust=True)
    except Rejected as exc:
        remove_quarantined(name)
        raise MediaRefused(exc.message, code=exc.code) from exc
    except BaseException:
        remove_quarantined(name)
        raise
    return media


def requeue_after() -> timedelta:
    """How long a queued file may wait for its job before the tick queues it again (the job may be lost);
    a second job for the same file does nothing once the first has taken it."""
    return timedelta(seconds=settings.MEDIA_REQUEUE_SECONDS)


def enqueue_processing(media_id: int, *, delay: timedelta | None = None) -> None:
    from media.tasks import process_media

    task = process_media
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(media_id)


def _store_renditions(media: MediaFile, files) -> list[Rendition]:
    """Save each processed file under a random name; on any error remove what was saved."""
    storage = media_storage()
    stored: list[Rendition] = []
    try:
        for item in files:
            with item.path.open("rb") as handle:
                storage_name = storage.save(new_storage_name(item.name), File(handle))
            stored.append(
                Rendition(
                    media=media,
                    name=item.name,
                    storage_name=storage_name,
                    content_type=item.content_type,
                    width=item.width,
                    height=item.height,
                    byte_size=item.size,
                    etag=file_digest(item.path),
                )
            )
    except BaseException:
        _delete_stored([rendition.storage_name for rendition in stored])
        raise
    return stored


def _delete_stored(storage_names: list[str]) -> None:
    storage = media_storage()
    for storage_name in storage_names:
        try:
            storage.delete(storage_name)
        except Exception:
            logger.exception("could not delete media file %s", storage_name)


def _mark_failed(media: MediaFile, code: str) -> None:
    with transaction.atomic():
        MediaFile.objects.filter(id=media.id).update(
            status=MediaFile.Status.FAILED, failure_code=code, quarantine_name=""
        )
        _tell_carrier(media.id)
    remove_quarantined(media.quarantine_name)


def _tell_carrier(media_id: int) -> None:
    """After the commit, tell the file's carrier (read now: it may have been attached while the file was
    processed) that the file is ready or failed."""
    from media.carriers import carrier_for_type

    place = MediaFile.objects.filter(id=media_id).values_list("carrier_type_id", "carrier_id").first()
    if place is None or place[1] is None:
        return
    carrier = carrier_for_type(place[0])
    if carrier is not None and carrier.settled is not None:
        settled, carrier_id = carrier.settled, place[1]
        # robust: the file is ready whatever the carrier does with the news (a post's poll looks again).
        transaction.on_commit(lambda: settled(carrier_id), robust=True)


def do_process_media(*, media_id: int) -> None:
    """Process a quarantined upload into renditions; retry unexpected errors, refuse bad files at once."""
    from media.processing import Limits, Rejected, process

    # Take the file: one conditional UPDATE, so of two jobs for it (a retry and the tick's re-queue, say)
    # only one works on it.
    taken = MediaFile.objects.filter(id=media_id, status=MediaFile.Status.UPLOADED).update(
        status=MediaFile.Status.PROCESSING,
        attempts=F("attempts") + 1,
        next_try_at=timezone.now() + PROCESSING_CLAIM,
    )
    if not taken:
        return  # deleted, finished by an earlier delivery of this task, or another worker has it
    media = MediaFile.objects.get(id=media_id)
    outage = False
    with tempfile.TemporaryDirectory(prefix="out-", dir=quarantine_dir()) as out_dir:
        try:
            processed = process(
                quarantine_path(media.quarantine_name), Path(out_dir), limits=Limits.from_settings()
            )
            renditions = _store_renditions(media, processed.renditions)
            after_ready = [hook(media, processed) for hook in READY_HOOKS]
        except Rejected as exc:
            _mark_failed(media, exc.code)
            return
        except Exception as exc:
            outage = is_outage(exc)
            logger.exception("processing media %s failed (attempt %d)", media.public_id, media.attempts)
            renditions = None
    if renditions is None:
        _try_again_later(media, outage=outage)
        return
    with transaction.atomic():
        finished = MediaFile.objects.filter(id=media.id, status=MediaFile.Status.PROCESSING).update(
            status=MediaFile.Status.READY,
            ready_at=timezone.now(),
            kind=processed.kind,
            width=processed.width,
            height=processed.height,
            duration=processed.duration,
            quarantine_name="",
        )
        if finished:
            Rendition.objects.bulk_create(renditions)
            for apply in after_ready:
                apply()
            _tell_carrier(media.id)
    if not finished:  # deleted while we worked: keep nothing
        _delete_stored([rendition.storage_name for rendition in renditions])
    remove_quarantined(media.quarantine_name)


def _try_again_later(media: MediaFile, *, outage: bool) -> None:
    """Give the file back to the queue for a later attempt, or fail it after MAX_ATTEMPTS faults of its
    own; an outage is retried soon and not counted."""
    if not outage and media.attempts >= MAX_ATTEMPTS:
        _mark_failed(media, PROCESSING_ERROR)
        return
    seconds = OUTAGE_RETRY_SECONDS if outage else RETRY_BASE_SECONDS * 4 ** (media.attempts - 1)
    delay = timedelta(seconds=seconds)
    MediaFile.objects.filter(id=media.id, status=MediaFile.Status.PROCESSING).update(
        status=MediaFile.Status.UPLOADED,
        next_try_at=timezone.now() + delay,
        attempts=F("attempts") - 1 if outage else F("attempts"),
    )
    transaction.on_commit(lambda: enqueue_processing(media.id, delay=delay), robust=True)  # next_try_at


def do_requeue_stalled(*, limit: int = 500) -> int:
    """Queue again the files whose job is lost or whose retry is due (periodic; the ledger behind the
    task queue): taken by a worker that died, or uploaded and not taken by their next_try_at."""
    now = timezone.now()
    MediaFile.objects.filter(
        Q(next_try_at__lt=now) | Q(next_try_at__isnull=True), status=MediaFile.Status.PROCESSING
    ).update(status=MediaFile.Status.UPLOADED)
    due = MediaFile.objects.filter(status=MediaFile.Status.UPLOADED).filter(
        Q(next_try_at__lte=now) | Q(next_try_at__isnull=True)
    )
    ids = list(due.order_by("id").values_list("id", flat=True)[:limit])
    MediaFile.objects.filter(id__in=ids).update(next_try_at=now + requeue_after())
    for media_id in ids:
        enqueue_processing(media_id)
    return len(ids)


def check_attach_media(*, acting_user, media_files: list[MediaFile], carrier) -> list[MediaFile]:
    """Attach the acting user's uploads to a carrier (a group, later a post or message), in order."""
    if not is_carrier(carrier):
        raise TypeError(f"{type(carrier).__name__} is not a registered media carrier")
    if len(media_files) > files_per_post():
        raise MediaRefused(too_many_files_message(), code="too_many")
    carrier_school_id = getattr(carrier, "school_id", None)
    for media in media_files:
        if media.uploaded_by_id != acting_user.id or media.carrier_id is not None:
            raise MediaRefused(_("This file cannot be added here."), code="not_attachable")
        if carrier_school_id is not None and media.school_id != carrier_school_id:
            raise MediaRefused(_("This file cannot be added here."), code="not_attachable")
        if media.is_failed:
            raise MediaRefused(media.failure_message, code=media.failure_code)
    return do_attach_media(acting_user=acting_user, media_files=media_files, carrier=carrier)


def do_attach_media(*, acting_user, media_files: list[MediaFile], carrier) -> list[MediaFile]:
    """Put files on a carrier after the ones already there; they show once ready."""
    content_type = ContentType.objects.get_for_model(carrier)
    school = getattr(carrier, "school", None)
    with transaction.atomic():
        last = MediaFile.objects.filter(carrier_type=content_type, carrier_id=carrier.pk).aggregate(
            last=Max("position")
        )["last"]
        start = 0 if last is None else last + 1
        for offset, media in enumerate(media_files):
            media.carrier_type, media.carrier_id, media.position = content_type, carrier.pk, start + offset
        MediaFile.objects.bulk_update(media_files, ["carrier_type", "carrier_id", "position"])
        for hook in ATTACH_HOOKS:
            hook(media_files, carrier)
        for media in media_files:
            record(
                actor=acting_user,
                action="media.attached",
                target=media,
                school=school,
                carrier=f"{content_type.model}:{getattr(carrier, 'public_id', carrier.pk)}",
            )
    return media_files


def do_replace_renditions(*, media: MediaFile, files, and_then: Callable[[], None] | None = None) -> None:
    """Put new bytes in place of a ready file's renditions of the same names (a blur), irreversibly.

    The file gets a new version, which is part of every rendition URL: no cache can serve the old bytes
    under the new URL, and the old URLs answer 404. The old bytes are deleted after the commit.
    `and_then` runs in the same transaction (the caller's own rows and audit).
    """
    by_name = {rendition.name: rendition for rendition in media.renditions.all()}
    new = _store_renditions(media, [item for item in files if item.name in by_name])
    old_names = [by_name[item.name].storage_name for item in new]
    try:
        with transaction.atomic():
            changed = []
            for item in new:
                row = by_name[item.name]
                row.storage_name, row.etag, row.byte_size = item.storage_name, item.etag, item.byte_size
                row.width, row.height = item.width, item.height
                changed.append(row)
            Rendition.objects.bulk_update(changed, ["storage_name", "etag", "byte_size", "width", "height"])
            MediaFile.objects.filter(id=media.id).update(version=F("version") + 1)
            if and_then is not None:
                and_then()
            transaction.on_commit(lambda: _delete_stored(old_names))
    except BaseException:
        _delete_stored([item.storage_name for item in new])
        raise
    media.refresh_from_db(fields=["version"])


def do_drop_renditions(*, media: MediaFile, keep: Callable[[str], bool]) -> None:
    """Delete the renditions of a file whose name `keep` refuses (a carrier that needs only a small size);
    their bytes go after the commit."""
    dropped = [r for r in media.renditions.all() if not keep(r.name)]
    Rendition.objects.filter(id__in=[r.id for r in dropped]).delete()
    names = [r.storage_name for r in dropped]
    transaction.on_commit(lambda: _delete_stored(names))


def do_delete_media(*, acting_user, media: MediaFile) -> None:
    """Remove a file at once (every later request is 404); its bytes go after the commit."""
    storage_names = list(media.renditions.values_list("storage_name", flat=True))
    quarantined = media.quarantine_name
    with transaction.atomic():
        record(actor=acting_user, action="media.deleted", target=media, school=media.school)
        media.delete()

        def remove_bytes():
            _delete_stored(storage_names)
            remove_quarantined(quarantined)

        transaction.on_commit(remove_bytes)


def do_purge_files(files: QuerySet) -> int:
    """Delete many files at once (retention, erasure) in set-based queries; their bytes go after the commit.

    No audit row per file: the caller logs what it deleted as a count (the deletion log).
    """
    # By their keys from here on: every statement below then finds its rows through an index.
    found = list(files.order_by().values_list("id", "quarantine_name"))
    ids = [file_id for file_id, _quarantine in found]
    quarantined = [name for _file_id, name in found if name]
    renditions = among(Rendition.objects.all(), "media_id", ids)
    storage_names = list(renditions.values_list("storage_name", flat=True))
    with transaction.atomic():
        deleted = delete_cascading(among(MediaFile.objects.all(), "id", ids)).get(MediaFile._meta.label, 0)

        def remove_bytes():
            _delete_stored(storage_names)
            for name in quarantined:
                remove_quarantined(name)

        transaction.on_commit(remove_bytes)
    return deleted


def do_purge_media(*, school, ids: list[int]) -> int:
    """Delete these files of one school; their bytes go after the commit."""
    return do_purge_files(MediaFile.objects.filter(school=school, id__in=ids))


def do_purge_media_of(carrier_type, carrier_ids) -> int:
    """Delete every file carried by these carriers (posts, messages being deleted), bytes after the commit."""
    return do_purge_files(MediaFile.objects.filter(carrier_type=carrier_type, carrier_id__in=carrier_ids))


def do_purge_media_carried_by(rows: QuerySet) -> int:
    """Delete every file carried by these rows, if their model carries files at all (a cascade's `before`)."""
    if carrier_for_model(rows.model) is None:
        return 0
    carrier_ids = list(rows.order_by().values_list("id", flat=True))
    return do_purge_media_of(ContentType.objects.get_for_model(rows.model), carrier_ids)


# An upload on no carrier waits this long to be put on a post or group (a post left at its check step, an
# API upload never used); then it is deleted.
ABANDONED_AFTER = timedelta(days=2)


def do_delete_abandoned_uploads(*, limit: int = 500) -> int:
    """Delete uploads that were never put on anything within ABANDONED_AFTER (periodic; idempotent)."""
    cutoff = timezone.now() - ABANDONED_AFTER
    stale = MediaFile.objects.filter(
        carrier_type__isnull=True, carrier_id__isnull=True, created_at__lt=cutoff
    )
    deleted = 0
    for media in stale.select_related("school")[:limit]:
        do_delete_media(acting_user=None, media=media)
        deleted += 1
    return deleted
