from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import override_settings
from django.utils import timezone, translation

from media import actions
from media.models import MediaFile
from media.storage import quarantine_path
from media.tests.helpers import MediaTestCase, jpeg_bytes, quarantined_files, stored_files, upload_of


class UnreachableStorage(FileSystemStorage):
    """The object store down: every save is refused the way botocore says so."""

    def _save(self, name, content):
        import botocore.exceptions

        raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9/bucket")


class FlakyStorage(FileSystemStorage):
    """The real filesystem storage, failing the way a network bucket does: on given save calls."""

    calls = 0
    fail_on: set[int] = set()

    def _save(self, name, content):
        FlakyStorage.calls += 1
        if FlakyStorage.calls in FlakyStorage.fail_on:
            raise OSError("storage unavailable")
        return super()._save(name, content)


def flaky(*fail_on: int):
    FlakyStorage.calls = 0
    FlakyStorage.fail_on = set(fail_on)
    media = {**settings.STORAGES["media"], "BACKEND": f"{__name__}.FlakyStorage"}
    return override_settings(STORAGES={**settings.STORAGES, "media": media})


class TestDoProcessMedia(MediaTestCase):
    def queued(self, data: bytes | None = None) -> MediaFile:
        """An upload whose processing has not run yet (the transaction has not committed)."""
        return actions.check_upload(
            acting_user=self.world.teacher,
            school=self.world.school,
            upload=upload_of("klas.jpg", data or jpeg_bytes()),
            carrier=self.world.group3,
        )

    def test_it_retries_after_a_transient_storage_failure(self):
        # The second save fails: the first rendition, already stored, must not be left behind.
        with flaky(2), self.assertLogs("media.actions", "ERROR"):
            media = self.upload()
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertEqual(media.attempts, 2)
        self.assertEqual(len(stored_files()), media.renditions.count())
        self.assertEqual(quarantined_files(), [])

    def test_it_fails_with_a_reason_after_three_attempts(self):
        with flaky(*range(1, 100)), self.assertLogs("media.actions", "ERROR") as logs:
            media = self.upload()
        self.assertEqual(len(logs.records), 3)
        self.assertEqual(media.status, MediaFile.Status.FAILED)
        self.assertEqual(media.attempts, 3)
        self.assertEqual(media.failure_code, "processing_error")
        self.assertIn("kon niet worden verwerkt", media.failure_message)
        self.assertFalse(media.renditions.exists())
        self.assertEqual(stored_files(), [])
        self.assertEqual(quarantined_files(), [])

    def test_it_fails_a_damaged_file_at_once_without_retrying(self):
        media = self.queued()
        data = jpeg_bytes(2000, 1500)
        quarantine_path(media.quarantine_name).write_bytes(data[: len(data) // 3])
        actions.do_process_media(media_id=media.id)
        media.refresh_from_db()
        self.assertEqual(media.status, MediaFile.Status.FAILED)
        self.assertEqual(media.failure_code, "corrupt")
        self.assertEqual(media.attempts, 1)
        self.assertIn("beschadigd", media.failure_message)
        self.assertEqual(quarantined_files(), [])
        self.assertEqual(stored_files(), [])

    def test_it_renders_the_failure_in_the_readers_language(self):
        media = self.queued()
        MediaFile.objects.filter(id=media.id).update(status=MediaFile.Status.FAILED, failure_code="corrupt")
        media.refresh_from_db()
        with translation.override("nl"):
            self.assertIn("beschadigd", media.failure_message)
        with translation.override("en"):
            self.assertIn("damaged", media.failure_message)

    def test_it_does_nothing_for_a_file_deleted_before_processing(self):
        media = self.queued()
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_delete_media(acting_user=self.world.teacher, media=media)
        actions.do_process_media(media_id=media.id)
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(quarantined_files(), [])
        self.assertEqual(stored_files(), [])

    def test_it_does_not_process_a_finished_file_twice(self):
        media = self.upload()
        names = stored_files()
        actions.do_process_media(media_id=media.id)
        media.refresh_from_db()
        self.assertEqual(media.attempts, 1)
        self.assertEqual(stored_files(), names)


@contextmanager
def database_task_backend():
    """Switch to the production (database) task backend, which supports run_after, for one test."""
    from asgiref.local import Local
    from django.tasks import task_backends

    def reset():
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        reset()
        try:
            yield
        finally:
            reset()
    reset()


class TestRetryBackoff(MediaTestCase):
    def test_it_queues_the_retry_for_later_on_a_backend_that_can_wait(self):
        from django_tasks_db.models import DBTaskResult

        with database_task_backend(), flaky(1), self.assertLogs("media.actions", "ERROR"):
            with self.captureOnCommitCallbacks(execute=True):
                media = actions.check_upload(
                    acting_user=self.world.teacher,
                    school=self.world.school,
                    upload=upload_of("klas.jpg", jpeg_bytes()),
                )
            self.assertEqual(DBTaskResult.objects.count(), 1)  # the first attempt, queued at commit
            before = timezone.now()
            with self.captureOnCommitCallbacks(execute=True):
                actions.do_process_media(media_id=media.id)
        media.refresh_from_db()
        self.assertEqual((media.status, media.attempts), (MediaFile.Status.UPLOADED, 1))
        retry = DBTaskResult.objects.order_by("-enqueued_at").first()
        self.assertEqual(DBTaskResult.objects.count(), 2)
        self.assertEqual(retry.args_kwargs["args"], [media.id])
        self.assertGreaterEqual(retry.run_after, before + timedelta(seconds=actions.RETRY_BASE_SECONDS))


class TestTheProcessingLedger(MediaTestCase):
    """A job can be lost (a Redis without persistence restarted, a worker killed): the file's next_try_at
    lets the tick queue it again; an outage of the store is waited out, not counted as the file's fault."""

    def queued_in_database(self) -> MediaFile:
        with self.captureOnCommitCallbacks(execute=True):
            return actions.check_upload(
                acting_user=self.world.teacher,
                school=self.world.school,
                upload=upload_of("klas.jpg", jpeg_bytes()),
                carrier=self.world.group3,
            )

    def test_an_unreachable_store_is_retried_soon_without_counting_an_attempt(self):
        from django_tasks_db.models import DBTaskResult

        media_backend = {**settings.STORAGES["media"], "BACKEND": f"{__name__}.UnreachableStorage"}
        with database_task_backend():
            media = self.queued_in_database()
            with override_settings(STORAGES={**settings.STORAGES, "media": media_backend}):
                for _ in range(actions.MAX_ATTEMPTS + 1):  # more outages than a file's own faults may fail it
                    with (
                        self.assertLogs("media.actions", "ERROR"),
                        self.captureOnCommitCallbacks(execute=True),
                    ):
                        actions.do_process_media(media_id=media.id)
            media.refresh_from_db()
            self.assertEqual((media.status, media.attempts), (MediaFile.Status.UPLOADED, 0))
            retry = DBTaskResult.objects.order_by("-enqueued_at").first()
            self.assertLessEqual(
                retry.run_after, timezone.now() + timedelta(seconds=actions.OUTAGE_RETRY_SECONDS)
            )
            # The store is back: the next attempt makes the file ready, its quarantine copy gone.
            actions.do_process_media(media_id=media.id)
        media.refresh_from_db()
        self.assertEqual((media.status, media.attempts), (MediaFile.Status.READY, 1))
        self.assertEqual(quarantined_files(), [])

    def test_the_tick_queues_again_what_waits_too_long_or_a_dead_worker_held(self):
        from django_tasks_db.models import DBTaskResult

        with database_task_backend():
            lost = self.queued_in_database()  # its job vanished with the queue
            waiting = self.queued_in_database()  # queued just now: its job is still coming
            held = self.queued_in_database()  # taken by a worker that was killed
            DBTaskResult.objects.all().delete()
            past = timezone.now() - timedelta(seconds=1)
            MediaFile.objects.filter(id=lost.id).update(next_try_at=past)
            MediaFile.objects.filter(id=held.id).update(status=MediaFile.Status.PROCESSING, next_try_at=past)
            self.assertEqual(actions.do_requeue_stalled(), 2)
            queued = sorted(result.args_kwargs["args"][0] for result in DBTaskResult.objects.all())
            self.assertEqual(queued, sorted([lost.id, held.id]))
            self.assertEqual(actions.do_requeue_stalled(), 0)  # not again at the next tick
            self.assertNotIn(waiting.id, queued)
            for media_id in queued:
                actions.do_process_media(media_id=media_id)
                actions.do_process_media(media_id=media_id)  # a second job for it does nothing
        self.assertEqual(
            dict(MediaFile.objects.values_list("id", "attempts")), {lost.id: 1, held.id: 1, waiting.id: 0}
        )
        self.assertEqual(MediaFile.objects.filter(status=MediaFile.Status.READY).count(), 2)
