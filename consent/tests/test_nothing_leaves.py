"""No photo of a child leaves the platform: not in an email, a push message, a link preview or a calendar."""

import datetime

from django.core import mail
from django.utils import timezone

from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from core.viewer import verified
from media.models import MediaFile
from media.queries import rendition_url
from posts.actions import Draft, check_publish_post
from posts.ical import calendar_of


class TestNothingLeavesThePlatform(ConsentTestCase):
    def setUp(self):
        super().setUp()
        self.photo = loose_upload(self, "teacher", astronaut_jpeg(512), "kind.jpg")
        starts = timezone.now() + datetime.timedelta(days=3)
        with self.captureOnCommitCallbacks(execute=True):
            self.post = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(
                    title="Schoolreis",
                    body=f'<p>Kijk!</p><img src="{rendition_url(self.photo, "1280.webp")}">',
                    kind="event",
                    starts_at=starts,
                    respond_by=starts - datetime.timedelta(days=1),
                ),
                media_files=[self.photo],
            )
        self.assertIsNotNone(self.post.published_at)
        self.leaks = [
            self.photo.public_id,
            "/media/",
            *MediaFile.objects.get(id=self.photo.id).renditions.values_list("storage_name", flat=True),
        ]

    def assertNoPhoto(self, text: str):
        for leak in self.leaks:
            self.assertNotIn(leak, text)

    def test_no_email_or_push_message_carries_the_photo(self):
        from notifications.models import Delivery
        from notifications.sending import Renderer, email_of, push_payload

        deliveries = list(
            Delivery.objects.filter(dispatch__subject_id=self.post.public_id).select_related(
                "dispatch", "user"
            )
        )
        self.assertTrue(deliveries)
        for delivery in deliveries:
            message = email_of(delivery, Renderer())
            self.assertNoPhoto(message.body)
            for content, _mimetype in getattr(message, "alternatives", []):
                self.assertNoPhoto(content)
            self.assertFalse([a for a in message.attachments if "image" in str(a)])
            self.assertNoPhoto(push_payload(delivery))
        for message in mail.outbox:
            self.assertNoPhoto(message.body)
            self.assertFalse(message.attachments)

    def test_no_calendar_feed_carries_the_photo(self):
        feed = calendar_of(self.world.parent, base_url="https://school.example")
        self.assertIn("Schoolreis", feed)
        self.assertNoPhoto(feed)
        self.assertNotIn("ATTACH", feed)

    def test_no_link_preview_shows_the_photo(self):
        page = self.login("parent").get(f"/posts/{self.post.public_id}/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        for tag in ("og:image", "twitter:image", "og:description"):
            self.assertNotIn(tag, html)
        # A preview bot has no session: the photo itself sends it to the login page.
        self.client.logout()
        response = self.client.get(rendition_url(self.photo, "400.webp"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
