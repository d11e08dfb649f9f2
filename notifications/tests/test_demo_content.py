import datetime

from django.test import TestCase
from django.utils import timezone

from accounts.models import User
from core.viewer import verified
from demo.personas import PERSONAS
from demo.seed import seed_demo
from media.tests.helpers import empty_media_dirs
from notifications import digest
from notifications.access import access_subject_dispatches
from notifications.demo_content import URGENT_TITLE
from notifications.models import Delivery, Notification
from notifications.queries import delivery_report
from posts.models import Post


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        empty_media_dirs()
        with cls.captureOnCommitCallbacks(execute=True):
            seed_demo()

    def setUp(self):
        self.addCleanup(empty_media_dirs)

    def persona(self, name):
        return User.objects.get(email=PERSONAS[name])

    def test_it_gives_the_parent_notifications_some_read_some_new(self):
        items = Notification.objects.filter(user=self.persona("parent"))
        assert items.count() > 5
        assert 0 < items.filter(read_at=None).count() < items.count()

    def test_it_shows_the_director_a_delivery_report_of_the_urgent_post(self):
        post = Post.objects.get(title=URGENT_TITLE)
        director = verified(self.persona("director"))
        report = delivery_report(access_subject_dispatches(director, "post", post.public_id))
        assert report.email_sent > 100 and report.failed == 2
        assert report.failures == {"mailbox unknown": 2}

    def test_it_delivered_the_history_and_leaves_nothing_to_mail_at_start(self):
        yesterday = timezone.now() - datetime.timedelta(days=1)
        history = Delivery.objects.filter(dispatch__created_at__lt=yesterday)
        assert history.filter(state="sent").exists()
        assert not history.filter(state="queued").exists()

    def test_it_has_a_digest_preview_for_the_parent(self):
        assert digest.items_for(self.persona("parent"))
