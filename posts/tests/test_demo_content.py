from django.test import TestCase

from core.viewer import verified
from demo.personas import PERSONAS
from demo.seed import seed_demo
from media.tests.helpers import empty_media_dirs
from posts.models import HelpSignup, Post, Rsvp
from posts.queries import get_feed, read_count


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        empty_media_dirs()
        seed_demo()

    def setUp(self):
        self.addCleanup(empty_media_dirs)

    def persona(self, name):
        from accounts.models import User

        return verified(User.objects.get(email=PERSONAS[name]))

    def test_it_gives_the_parent_a_lively_feed(self):
        feed = get_feed(self.persona("parent"))
        self.assertEqual([post.title for post in feed.pinned], ["Studiedag vrijdag: alle leerlingen vrij"])
        kinds = {post.kind for post in feed.posts}
        self.assertEqual(kinds, {"announcement", "event", "help"})
        self.assertTrue(any(media.kind == "photo" for post in feed.posts for media in post.files))
        unread = [post for post in feed.posts if not post.is_read]
        self.assertTrue(0 < len(unread) < len(feed.posts))

    def test_it_has_answers_helpers_and_readers(self):
        self.assertTrue(Rsvp.objects.exists())
        self.assertEqual(Rsvp.objects.exclude(note="").count(), 2)
        self.assertTrue(HelpSignup.objects.exists())
        news = Post.objects.get(title="Welkom terug na de herfstvakantie")
        read, total = read_count(news)
        self.assertGreater(total, 100)
        self.assertGreater(read, total // 2)

    def test_it_has_comments_in_the_class_only(self):
        from posts.models import Comment

        self.assertEqual(Comment.objects.count(), 2)
        self.assertEqual(
            Comment.objects.get(body="Dank jullie wel, juf!").post.title, "Herfstwandeling in het Panbos"
        )

    def test_it_holds_the_class_parents_post_for_approval(self):
        self.assertTrue(
            Post.objects.filter(awaiting_approval=True, title="Traktatierooster december").exists()
        )

    def test_it_renders_the_pages_for_the_parent(self):
        from core.testing import sign_in

        client = sign_in(self.client, self.persona("parent"))
        from moderation.middleware import mark_rules_checked

        session = client.session
        mark_rules_checked(session)  # the conduct rules are the moderation app's test
        session.save()
        feed = client.get("/posts/")
        self.assertEqual(feed.status_code, 200)
        walk = Post.objects.get(title="Herfstwandeling in het Panbos")
        detail = client.get(f"/posts/{walk.public_id}/")
        self.assertContains(detail, "Dank jullie wel, juf!")
        self.assertEqual(len(detail.context["post"].photos), 5)
        self.assertEqual(client.get("/calendar/").status_code, 200)

    def test_it_gives_the_teacher_their_class(self):
        feed = get_feed(self.persona("teacher"))
        self.assertGreater(len(feed.posts), 8)
