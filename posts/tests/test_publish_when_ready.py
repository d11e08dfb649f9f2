"""A post with files goes out the moment its last file is processed, not at the next look of its poll."""

from django.test import override_settings

from core.viewer import verified
from media.actions import MAX_ATTEMPTS, check_upload, do_process_media
from media.models import MediaFile
from media.storage import quarantine_path
from media.tests.helpers import MediaTestCase, jpeg_bytes, upload_of
from posts.actions import Draft, check_publish_post
from posts.models import Post
from posts.tests.helpers import in_days

# Tasks are only recorded: nothing runs until the test runs it, as a worker would later.
QUEUED = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class TestPublishedWhenTheLastFileIsReady(MediaTestCase):
    def post_with_unprocessed(self, names: list[str], **draft) -> tuple[Post, list[MediaFile]]:
        teacher = verified(self.world.teacher)
        with override_settings(TASKS=QUEUED), self.captureOnCommitCallbacks(execute=True):
            files = [
                check_upload(
                    acting_user=teacher,
                    school=self.world.school,
                    upload=upload_of(name, jpeg_bytes()),
                )
                for name in names
            ]
            post = check_publish_post(
                acting_user=teacher,
                groups=[self.world.group3],
                draft=Draft(title="Uitje", **draft),
                media_files=files,
            )
        self.assertEqual(
            {f.status for f in MediaFile.objects.filter(id__in=[f.id for f in files])}, {"uploaded"}
        )
        return post, files

    def process(self, media: MediaFile) -> None:
        """What a worker does with the file's job; the publication's own poll never runs here."""
        with override_settings(TASKS=QUEUED), self.captureOnCommitCallbacks(execute=True):
            do_process_media(media_id=media.id)

    def test_it_publishes_when_the_last_file_is_ready_and_not_before(self):
        post, (first, second) = self.post_with_unprocessed(["a.jpg", "b.jpg"])
        self.assertIsNone(post.published_at)
        self.process(first)
        post.refresh_from_db()
        self.assertIsNone(post.published_at)  # one file still in the works: parents would see half
        self.process(second)
        post.refresh_from_db()
        self.assertIsNotNone(post.published_at)
        self.assertEqual(
            self.login("parent").get("/posts/").content.count(f'data-post="{post.public_id}"'.encode()), 1
        )

    def test_a_failed_last_file_lets_the_post_go_out_with_the_others(self):
        post, (good, bad) = self.post_with_unprocessed(["a.jpg", "b.jpg"])
        self.process(good)
        # Its last try, and its upload lost from the quarantine: processing fails for good.
        MediaFile.objects.filter(id=bad.id).update(attempts=MAX_ATTEMPTS - 1)
        quarantine_path(bad.quarantine_name).unlink()
        self.process(bad)
        self.assertEqual(MediaFile.objects.get(id=bad.id).status, MediaFile.Status.FAILED)
        post.refresh_from_db()
        self.assertIsNotNone(post.published_at)

    def test_a_scheduled_post_still_waits_for_its_time(self):
        post, (media,) = self.post_with_unprocessed(["a.jpg"], publish_at=in_days(1))
        self.process(media)
        post.refresh_from_db()
        self.assertIsNone(post.published_at)
