import datetime

from django.utils import timezone

from media import actions, periodic
from media.models import MediaFile
from media.tests.helpers import MediaTestCase, jpeg_bytes, stored_files, upload_of


class TestDeleteAbandonedUploads(MediaTestCase):
    def loose(self, name: str, *, days_old: float) -> MediaFile:
        with self.captureOnCommitCallbacks(execute=True):
            media = actions.check_upload(
                acting_user=self.world.teacher, school=self.world.school, upload=upload_of(name, jpeg_bytes())
            )
        created = timezone.now() - datetime.timedelta(days=days_old)
        MediaFile.objects.filter(id=media.id).update(created_at=created)
        return media

    def test_it_deletes_uploads_never_put_on_anything_after_two_days_with_their_files(self):
        old = self.loose("oud.jpg", days_old=3)
        fresh = self.loose("nieuw.jpg", days_old=1)
        on_group = self.upload("teacher", name="groep.jpg")
        month_ago = timezone.now() - datetime.timedelta(days=30)
        MediaFile.objects.filter(id=on_group.id).update(created_at=month_ago)
        kept_files = set(stored_files())
        old_files = set(old.renditions.values_list("storage_name", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(periodic.run()["abandoned_uploads_deleted"], 1)
        self.assertEqual(set(MediaFile.objects.values_list("id", flat=True)), {fresh.id, on_group.id})
        remaining = set(stored_files())
        self.assertTrue(remaining < kept_files)
        self.assertFalse(any(name in path for path in remaining for name in old_files))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(periodic.run()["abandoned_uploads_deleted"], 0)
