from media.models import MediaFile
from media.queries import all_ready
from media.tests.helpers import MediaTestCase


class TestAllReady(MediaTestCase):
    def test_it_is_true_only_when_every_file_is_ready(self):
        one, two = self.upload(), self.upload()
        self.assertTrue(all_ready([one.id, two.id]))
        MediaFile.objects.filter(id=two.id).update(status=MediaFile.Status.PROCESSING)
        self.assertFalse(all_ready([one.id, two.id]))
        self.assertTrue(all_ready([one.id, one.id]))

    def test_it_is_false_for_a_missing_file_and_true_for_none(self):
        self.assertFalse(all_ready([987654]))
        self.assertTrue(all_ready([]))

    def test_it_asks_the_database_once(self):
        ids = [self.upload().id for _ in range(3)]
        with self.assertNumQueries(1):
            all_ready(ids)
