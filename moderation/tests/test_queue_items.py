"""Each item of the moderation queue shows what was reported (a safe excerpt of its text), who wrote it and
where it was posted; the API's queue says the same (moderation.queries.reported_item)."""

from django.urls import reverse

from moderation import actions
from moderation.registry import reportable
from moderation.tests.helpers import ModerationTestCase
from posts.actions import Draft, check_publish_post
from posts.models import Post

LONG = "Wie trakteert er op vrijdag? " * 20


class TestQueueItems(ModerationTestCase):
    def setUp(self):
        super().setUp()
        from core.viewer import verified

        self.post = check_publish_post(
            acting_user=verified(self.world.teacher),
            groups=[self.world.group3],
            draft=Draft(title="Traktaties", body=f"<p>{LONG}</p>"),
        )
        self.reported = actions.check_report(
            acting_user=self.world.parent, entry=reportable("post"), item=self.post, reason="other", text=""
        )

    def test_the_queue_shows_an_excerpt_the_author_and_a_link(self):
        page = self.login("teacher").get(reverse("moderation:queue")).content.decode()
        item = page.split('data-testid="queue-report"')[1].split("</li>")[0]
        self.assertIn("Traktaties — Wie trakteert er op vrijdag?", item)  # the title apart from the text
        self.assertIn("…", item)  # an excerpt, not the whole text
        self.assertNotIn(LONG.strip(), item)
        self.assertIn("Door Anna Jansen", item)
        detail = reverse("posts:post_detail", args=[self.post.public_id])
        self.assertIn(f'href="{detail}" data-testid="queue-item-link"', item)

    def test_a_removed_item_says_so(self):
        Post.objects.filter(id=self.post.id).delete()
        page = self.login("teacher").get(reverse("moderation:queue"))
        self.assertContains(page, "Het gemelde is verwijderd.")
        self.assertNotContains(page, 'data-testid="queue-item-link"')

    def test_the_api_queue_and_report_carry_the_item(self):
        client = self.login("teacher")
        (found,) = client.get("/api/v1/moderation/queue").json()["items"]
        item = found["item"]
        self.assertEqual(item["author"], "Anna Jansen")
        self.assertTrue(item["text"].startswith("Traktaties\nWie trakteert"))
        self.assertLess(len(item["excerpt"]), 170)
        self.assertEqual(item["url"], reverse("posts:post_detail", args=[self.post.public_id]))
        detail = client.get(f"/api/v1/moderation/queue/{self.reported.public_id}").json()
        self.assertEqual(detail["item"], item)
