"""Access exports (AVG art. 15 and 20): asked for once, built in the background, kept for a week.

The zip holds `data.json` (machine-readable), `index.html` (the same, readable, in the requester's
language) and `photos/` (the download rendition of each photo and video in which the child is tagged and
that the subject may see: never an original). It is written to a temporary file, copied into storage
under the export's own name, and only then marked ready in one UPDATE: a worker killed half-way leaves an
export that is not ready, which `do_recover_stale_exports` queues again. An export that ends failed has its
stored zip deleted: it holds personal data that nobody will download.

A director's export of a guardian holds only what the director's school holds (see `privacy.sections`);
the guardian's own export holds what every school holds about them.
"""

import datetime
import json
import os
import re
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import audit
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from core.viewer import verified
from media.storage import media_storage
from media.zips import copy_into, downloads_for
from privacy import sections
from privacy.models import DataExport
from schools.models import Pupil

EXPORT_KEPT_FOR = datetime.timedelta(days=7)
# A building export whose heartbeat is older than this was left by a worker that died.
STALE_AFTER = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 3


def check_request_export(*, acting_user, subject_user=None, subject_pupil=None, school=None) -> DataExport:
    """Ask for an export; asking again while one is on its way returns that one (it runs once)."""
    if (subject_user is None) == (subject_pupil is None):
        raise Invalid(_("Choose a parent or a pupil to export."), code="subject")
    if subject_user is not None and subject_user != acting_user and school is None:
        # Without a school the export would hold every school's data about this parent.
        raise ValueError("an export made for someone else names the school it is made for")
    on_its_way = DataExport.objects.filter(
        requested_by=acting_user,
        subject_user=subject_user,
        subject_pupil=subject_pupil,
        status__in=DataExport.ACTIVE,
    )
    active = on_its_way.first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            export = DataExport.objects.create(
                requested_by=acting_user,
                subject_user=subject_user,
                subject_pupil=subject_pupil,
                school=school,
            )
            audit.record(
                actor=acting_user,
                action="privacy.export_requested",
                target=export,
                school=school,
                subject=(subject_user or subject_pupil).public_id,
            )
    except IntegrityError:  # the same request at the same moment: the other one won
        return on_its_way.get()
    transaction.on_commit(lambda: enqueue_build(export.id))
    return export


def enqueue_build(export_id: int) -> None:
    from privacy.tasks import build_export

    build_export.enqueue(export_id)


def _claim(export: DataExport) -> bool:
    """Take a queued export for building (one worker only)."""
    return bool(
        DataExport.objects.filter(id=export.id, status=DataExport.Status.QUEUED).update(
            status=DataExport.Status.BUILDING, heartbeat_at=timezone.now(), attempts=export.attempts + 1
        )
    )


def _progress(export: DataExport, done: int, total: int) -> None:
    DataExport.objects.filter(id=export.id, status=DataExport.Status.BUILDING).update(
        progress_done=done, progress_total=total, heartbeat_at=timezone.now()
    )


def _folder_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "kind"


def _contents(export: DataExport):
    """The sections and the files for this export, as its subject sees them."""
    if export.subject_user_id:
        # school: the director's school for an export made on request; None for the guardian's own.
        user, school = export.subject_user, export.school
        return (
            sections.guardian_sections(user, school=school),
            sections.tagged_media_of_guardian(user, school=school),
            user,
        )
    pupil = export.subject_pupil
    # Only a director in a two-factor-verified session can ask for a pupil's export; the worker acts with
    # that proof, as a staff token made in such a session does.
    viewer = verified(export.requested_by)
    return (
        sections.pupil_sections(pupil, viewer=viewer),
        sections.tagged_media_of_pupil(pupil, viewer=viewer),
        viewer,
    )


def avatar_of(media) -> str:
    """The first name of the child whose photo for the face picker this is ("" for any other file)."""
    carrier = media.carrier
    return carrier.first_name if isinstance(carrier, Pupil) else ""


def _write_zip(export: DataExport, path: str) -> int:
    language = export.requested_by.language or settings.LANGUAGE_CODE
    with translation.override(language):
        parts, media_files, viewer = _contents(export)
        total = len(parts) + len(media_files)
        _progress(export, len(parts), total)
        photos = []
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for number, (media, rendition) in enumerate(downloads_for(viewer, media_files), start=1):
                child = media.export_child or avatar_of(media)
                suffix = rendition.name.rsplit(".", 1)[-1]
                name = f"photos/{_folder_name(child)}/{number:04d}.{suffix}"
                copy_into(archive, name, rendition)
                photos.append(
                    {
                        "file": name,
                        "kind": media.get_kind_display(),
                        "taken_or_posted": sections.when(media.created_at),
                    }
                )
                if number % 50 == 0:
                    _progress(export, len(parts) + number, total)
            data = {
                "made": timezone.now().isoformat(),
                "sections": {part.key: part.rows for part in parts},
                "photos": photos,
            }
            archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
            context = {"parts": parts, "photos": photos, "made": timezone.now()}
            index = render_to_string("privacy/offline/export_index.html", context)
            archive.writestr("index.html", index)
    return total


def zip_name(public_id: str) -> str:
    """Where an export's zip is stored, named by the export's public id."""
    return f"exports/{public_id}.zip"


def do_build_export(*, export: DataExport) -> None:
    """Build the zip and make it downloadable; tell the one who asked."""
    if not _claim(export):
        return
    export.refresh_from_db()
    handle, path = tempfile.mkstemp(suffix=".zip", prefix="export-")
    os.close(handle)
    try:
        total = _write_zip(export, path)
        storage = media_storage()
        name = zip_name(export.public_id)
        storage.delete(name)  # a retry after a crash overwrites what the crashed run left
        with open(path, "rb") as source:
            stored = storage.save(name, File(source))
        size = os.path.getsize(path)
    finally:
        os.unlink(path)
    now = timezone.now()
    ready = DataExport.objects.filter(id=export.id, status=DataExport.Status.BUILDING).update(
        status=DataExport.Status.READY,
        storage_name=stored,
        size_bytes=size,
        progress_done=total,
        progress_total=total,
        ready_at=now,
        expires_at=now + EXPORT_KEPT_FOR,
    )
    if not ready:
        # Failed or given up on while this run built it: nobody will download what it stored (unless a
        # second run, queued again meanwhile, made the export ready under the same name).
        if not DataExport.objects.filter(id=export.id, status=DataExport.Status.READY).exists():
            storage.delete(stored)
        return
    publish_on_commit(
        Event(
            kind="export.ready",
            actor_id=None,
            school_id=export.school_id,
            recipient_ids=(export.requested_by_id,),
            subject_type="export",
            subject_id=export.public_id,
            url="/my-data/",
            title=gettext_noop("Your data export is ready to download"),
        )
    )


def do_fail_export(*, export: DataExport) -> None:
    """Mark a build that raised as failed and delete the zip it may already have stored."""
    failing = DataExport.objects.filter(id=export.id, status=DataExport.Status.BUILDING)
    if failing.update(status=DataExport.Status.FAILED):
        delete_export_files(DataExport.objects.filter(id=export.id))


def do_recover_stale_exports(*, now: datetime.datetime | None = None) -> int:
    """Queue again the exports whose worker died while building; give up after a few tries."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(status=DataExport.Status.BUILDING, heartbeat_at__lt=now - STALE_AFTER)
    given_up = list(stale.filter(attempts__gte=MAX_ATTEMPTS).values_list("id", flat=True))
    DataExport.objects.filter(id__in=given_up, status=DataExport.Status.BUILDING).update(
        status=DataExport.Status.FAILED
    )
    delete_export_files(DataExport.objects.filter(id__in=given_up, status=DataExport.Status.FAILED))
    requeued = list(stale.filter(attempts__lt=MAX_ATTEMPTS).values_list("id", flat=True))
    DataExport.objects.filter(id__in=requeued, status=DataExport.Status.BUILDING).update(
        status=DataExport.Status.QUEUED
    )
    for export_id in requeued:
        transaction.on_commit(lambda export_id=export_id: enqueue_build(export_id))
    return len(requeued)


def delete_export_files(exports) -> int:
    """Delete the zips of these exports: under the name each was made ready with, and under the export's
    own name, where a build that died or failed after storing it left it unrecorded. A row that was ready
    becomes EXPIRED (unless the caller deletes it); a failed one stays failed. How many ready zips went."""
    storage = media_storage()
    rows = list(exports.values_list("public_id", "storage_name"))
    for public_id, stored in rows:
        for name in {zip_name(public_id), stored} - {""}:
            storage.delete(name)
    exports.exclude(storage_name="").update(storage_name="", status=DataExport.Status.EXPIRED)
    return sum(1 for _public_id, stored in rows if stored)


def do_expire_exports(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return delete_export_files(DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lt=now))


def download_response(export: DataExport) -> FileResponse:
    """The zip of a ready export as a download (the caller has authorized it): pages and API alike."""
    if export.status != DataExport.Status.READY:
        raise Invalid(_("This export is not ready, or no longer kept."), code="not_ready")
    response = FileResponse(
        media_storage().open(export.storage_name, "rb"),
        as_attachment=True,
        filename=f"schoolplein-{export.public_id}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
