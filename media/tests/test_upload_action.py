from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from core.models import AuditEvent
from core.task_testing import DEAD_QUEUE
from media import actions
from media.failures import MediaRefused
from media.models import MediaFile
from media.tests.helpers import (
    MediaTestCase,
    docx_bytes,
    jpeg_bytes,
    quarantined_files,
    stored_files,
    upload_of,
)


class TestCheckUpload(MediaTestCase):
    def refused(self, data: bytes, name: str = "bestand.jpg") -> MediaRefused:
        with self.assertRaises(MediaRefused) as caught:
            self.upload(data=data, name=name)
        return caught.exception

    def test_it_processes_a_photo_into_renditions_and_drops_the_original(self):
        media = self.upload(data=jpeg_bytes(3000, 2000))
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertEqual(media.kind, MediaFile.Kind.PHOTO)
        # The largest stripped rendition stands in for the original, which is not kept.
        self.assertEqual((media.width, media.height), (2560, 1707))
        self.assertEqual(media.attempts, 1)
        self.assertIsNotNone(media.ready_at)
        names = set(media.renditions.values_list("name", flat=True))
        self.assertTrue({"400.webp", "400.jpg", "1280.webp", "2560.webp"} <= names, names)
        self.assertEqual(len(stored_files()), len(names))
        self.assertEqual(quarantined_files(), [])
        self.assertEqual(media.quarantine_name, "")
        self.assertEqual(media.carrier, self.world.group3)

    def test_it_writes_an_audit_row(self):
        media = self.upload()
        actions_logged = set(
            AuditEvent.objects.filter(object_id=media.public_id).values_list("action", flat=True)
        )
        self.assertEqual(actions_logged, {"media.uploaded", "media.attached"})

    def test_it_keeps_a_document_as_a_document(self):
        media = self.upload(data=docx_bytes(), name="overblijfrooster.docx")
        self.assertEqual(media.kind, MediaFile.Kind.DOCUMENT)
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertEqual(list(media.renditions.values_list("name", flat=True)), ["document.docx"])

    def test_it_decides_the_type_by_content_not_by_name(self):
        media = self.upload(data=jpeg_bytes(), name="rapport.pdf")
        self.assertEqual(media.kind, MediaFile.Kind.PHOTO)

    def test_it_refuses_an_empty_file_and_keeps_nothing(self):
        refused = self.refused(b"")
        self.assertEqual(refused.code, "empty")
        self.assertIn("leeg", str(refused.message))
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(quarantined_files(), [])

    def test_it_refuses_html_and_scripts(self):
        for data in [
            b"<!doctype html><script>alert(1)</script>",
            b'<svg onload="alert(1)"/>',
            b"\x7fELF\x02",
        ]:
            with self.subTest(data=data):
                self.assertEqual(self.refused(data, "foto.jpg").code, "unsupported_type")
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(quarantined_files(), [])

    @override_settings(MEDIA_LIMITS={"photo_bytes": 10_000, "files_per_post": 50})
    def test_it_refuses_an_oversized_photo_with_the_limit_in_the_message(self):
        refused = self.refused(jpeg_bytes(1200, 900))
        self.assertEqual(refused.code, "too_large")
        self.assertIn("MB", str(refused.message))
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(quarantined_files(), [])

    @override_settings(
        MEDIA_LIMITS={"photo_bytes": 1000, "video_bytes": 1000, "document_bytes": 1000, "files_per_post": 50}
    )
    def test_it_stops_reading_an_upload_past_the_largest_limit(self):
        refused = self.refused(b"x" * 5000, "groot.txt")
        self.assertEqual(refused.code, "too_large")
        self.assertEqual(quarantined_files(), [])

    def test_it_shows_a_clean_original_name(self):
        media = self.upload(name="../../etc/\u202eFoto\x00 van   de\tklas.jpg")
        self.assertEqual(media.original_name, "Foto van de klas.jpg")

    def test_it_queues_processing_only_after_commit(self):
        media = actions.check_upload(
            acting_user=self.world.teacher, school=self.world.school, upload=upload_of("a.jpg", jpeg_bytes())
        )
        self.assertEqual(media.status, MediaFile.Status.UPLOADED)
        self.assertEqual(len(quarantined_files()), 1)


class TestUploadWhileTheQueueIsDown(MediaTestCase):
    def test_a_saved_upload_stays_saved_and_is_queued_again_by_the_tick(self):
        """The file's row is the ledger (its next_try_at): a job that could not be queued after the commit
        is queued again by the tick. Before, the queue's error came out of the commit and the upload was
        answered 503 although it was saved, and its quarantined bytes were deleted on the way out: a saved
        file that could never be processed (the Redis drill of the stack tests)."""
        with (
            override_settings(**DEAD_QUEUE),
            self.assertLogs(level="ERROR") as logged,
            self.captureOnCommitCallbacks(execute=True),  # the commit a request would make
        ):
            media = actions.check_upload(
                acting_user=self.world.teacher,
                school=self.world.school,
                upload=upload_of("a.jpg", jpeg_bytes()),
            )
        self.assertIn("Error calling", logged.output[0])
        media.refresh_from_db()
        self.assertEqual(media.status, MediaFile.Status.UPLOADED)
        self.assertEqual(len(quarantined_files()), 1)

        # The queue is back; the tick finds the file once its job is overdue and it is processed.
        MediaFile.objects.filter(id=media.id).update(next_try_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(actions.do_requeue_stalled(), 1)
        media.refresh_from_db()
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertEqual(quarantined_files(), [])
