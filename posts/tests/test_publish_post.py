from django.core.exceptions import ValidationError

from core.models import AuditEvent
from media.tests.helpers import MediaTestCase
from posts.actions import do_publish_due_posts
from posts.models import Post, SchoolTimelineSettings
from posts.queries import posts_visible_to
from posts.tests.helpers import PostsTestCase, in_days


class TestCheckPublishPost(PostsTestCase):
    def test_it_publishes_a_teachers_post_to_their_class(self):
        post = self.post(body="<p>Neem <b>laarzen</b> mee<script>x()</script></p>")
        self.assertIsNotNone(post.published_at)
        self.assertEqual(post.body, "<p>Neem <b>laarzen</b> mee</p>")
        self.assertTrue(posts_visible_to(self.world.parent).filter(id=post.id).exists())
        self.assertFalse(posts_visible_to(self.world.outsider).filter(id=post.id).exists())
        self.assertTrue(AuditEvent.objects.filter(action="post.created", object_id=post.public_id).exists())

    def test_it_makes_links_safe(self):
        post = self.post(body='<a href="https://www.rijksmuseum.nl" onclick="x()">museum</a>')
        self.assertIn('rel="noopener nofollow"', post.body)
        self.assertIn('target="_blank"', post.body)
        self.assertNotIn("onclick", post.body)

    def test_it_posts_one_post_to_several_groups(self):
        post = self.post("director", groups=[self.world.group3, self.world.group4])
        self.assertEqual(set(post.groups.all()), {self.world.group3, self.world.group4})
        self.assertTrue(posts_visible_to(self.world.outsider).filter(id=post.id).exists())

    def test_it_refuses_a_group_the_teacher_does_not_teach(self):
        with self.assertRaises(ValidationError):
            self.post("teacher", groups=[self.world.group4])
        self.assertFalse(Post.objects.exists())

    def test_it_refuses_the_school_wide_group_to_a_teacher(self):
        with self.assertRaises(ValidationError):
            self.post("teacher", groups=[self.world.wide])

    def test_it_refuses_parents(self):
        with self.assertRaises(ValidationError):
            self.post("parent", groups=[self.world.group3])
        self.assertFalse(Post.objects.exists())

    def test_it_refuses_an_empty_post(self):
        with self.assertRaises(ValidationError):
            self.post(title="   ")
        self.assertFalse(Post.objects.exists())

    def test_it_refuses_an_event_without_a_date(self):
        with self.assertRaises(ValidationError):
            self.post(kind="event")
        self.assertFalse(Post.objects.exists())

    def test_it_refuses_a_help_request_without_tasks(self):
        with self.assertRaises(ValidationError):
            self.post(kind="help")

    def test_it_holds_a_class_parents_post_for_approval(self):
        post = self.post("class_parent", title="Traktatie")
        self.assertTrue(post.awaiting_approval)
        self.assertIsNone(post.published_at)
        self.assertFalse(posts_visible_to(self.world.parent).filter(id=post.id).exists())
        self.assertTrue(posts_visible_to(self.user("teacher")).filter(id=post.id).exists())

    def test_it_publishes_a_class_parents_post_when_the_school_allows(self):
        SchoolTimelineSettings.objects.create(
            school=self.world.school, class_parent_posts_need_approval=False
        )
        post = self.post("class_parent", title="Traktatie")
        self.assertIsNotNone(post.published_at)

    def test_it_waits_for_the_scheduled_time(self):
        post = self.post(publish_at=in_days(1))
        self.assertIsNone(post.published_at)
        self.assertEqual(do_publish_due_posts(), 0)
        Post.objects.filter(id=post.id).update(publish_at=in_days(-0.01))
        self.assertEqual(do_publish_due_posts(), 1)

    def test_it_lets_only_the_director_send_urgent_posts(self):
        with self.assertRaises(ValidationError):
            self.post("office", groups=[self.world.wide], urgent=True)
        post = self.post("director", groups=[self.world.wide], urgent=True, title="School dicht")
        self.assertTrue(post.urgent)
        self.assertTrue(
            AuditEvent.objects.filter(action="post.urgent_sent", object_id=post.public_id).exists()
        )

    def test_it_announces_the_post_to_its_groups(self):
        with self.published_events() as seen:
            post = self.post()
        [event] = seen
        self.assertEqual(event.kind, "post.published")
        self.assertEqual(event.subject_id, post.public_id)
        w = self.world
        expected = {w.parent.id, w.co_parent.id, w.class_parent.id, w.duo_teacher.id}
        self.assertEqual(set(event.recipient_ids), expected)
        self.assertFalse(event.urgent)
        self.assertEqual(event.url, f"/posts/{post.public_id}/")

    def test_it_puts_what_notifications_needs_in_the_event(self):
        with self.published_events() as seen:
            self.post(groups=[self.world.group3], title="Gym", body="<p>Neem je <b>gymschoenen</b> mee.</p>")
        [event] = seen
        self.assertEqual(event.data["group_ids"], [self.world.group3.public_id])
        self.assertEqual(event.data["text"], "Gym\n\nNeem je gymschoenen mee.")

    def test_it_announces_an_urgent_post_as_urgent(self):
        with self.published_events() as seen:
            self.post("director", groups=[self.world.wide], urgent=True, title="School dicht")
        [event] = seen
        self.assertTrue(event.urgent)
        self.assertIn(self.world.outsider.id, event.recipient_ids)
        self.assertIn(self.world.teacher.id, event.recipient_ids)
        self.assertNotIn(self.world.other_school_parent.id, event.recipient_ids)


class TestPublishWithMedia(MediaTestCase, PostsTestCase):
    def test_it_waits_until_every_file_is_ready(self):
        from media.models import MediaFile

        media = self.upload("teacher", carrier=self.world.group3)
        MediaFile.objects.filter(id=media.id).update(carrier_type=None, carrier_id=None, status="processing")
        media.refresh_from_db()
        post = self.post(media_files=[media])
        self.assertIsNone(post.published_at)
        MediaFile.objects.filter(id=media.id).update(status="ready")
        self.assertEqual(do_publish_due_posts(), 1)

    def test_it_refuses_someone_elses_upload(self):
        media = self.upload("duo_teacher", carrier=self.world.group3)
        with self.assertRaises(ValidationError):
            self.post(media_files=[media])
        self.assertFalse(Post.objects.exists())
