"""Posts and messages are reportable; messages are screened (flagged, never dropped); threads can be muted."""

from django.urls import reverse

from conversations.models import Message
from conversations.tests.helpers import class_conversation
from core import events
from core.viewer import verified as verified_user
from moderation import actions
from moderation.models import Flag, Report
from moderation.registry import reportable
from moderation.tests.helpers import ModerationTestCase
from posts.models import Post
from posts.tests.helpers import PostsTestCase


class TestReportPost(PostsTestCase):
    def test_a_parent_reports_a_post_and_the_teacher_hides_it(self):
        post = self.post(title="Schoolreis naar de Efteling")
        page = self.login("parent").get(reverse("posts:post_detail", args=[post.public_id]))
        report_url = reverse("moderation:report", args=["post", post.public_id])
        self.assertContains(page, report_url)
        self.client.post(report_url, {"reason": "inappropriate"})
        report = Report.objects.get()
        self.assertEqual((report.kind, report.group, report.label), ("post", self.world.group3, "Groep 3"))

        actions.do_hide_item(acting_user=self.world.teacher, report=report)
        self.assertEqual(
            self.client.get(reverse("posts:post_detail", args=[post.public_id])).status_code, 404
        )
        staff = self.login("teacher").get(reverse("posts:post_detail", args=[post.public_id]))
        self.assertContains(staff, 'data-testid="hidden-badge"')

        actions.check_resolve_report(
            acting_user=self.world.director, report=report, outcome="removed", note=""
        )
        self.assertFalse(Post.objects.filter(pk=post.pk).exists())

    def test_nobody_reports_a_post_they_cannot_see(self):
        post = self.post("other_teacher", groups=[self.world.group6])
        url = reverse("moderation:report", args=["post", post.public_id])
        self.assertEqual(self.login("class_parent").get(url).status_code, 404)
        self.assertEqual(self.login("parent").get(url).status_code, 200)


class TestMessages(ModerationTestCase):
    def send(self, body: str):
        with self.captureOnCommitCallbacks(execute=True):
            return class_conversation(self.world, body=body)

    def test_a_message_that_hits_the_lists_is_delivered_with_a_flag_for_staff(self):
        conversation = self.send("Wat een kutschool, ik weet waar je woont.")
        message = Message.objects.get(conversation=conversation)
        self.assertEqual(Flag.objects.get().categories, ["swearing", "threats"])
        thread = reverse("conversations:thread", args=[conversation.public_id])
        staff = self.login("teacher").get(thread)
        self.assertContains(staff, "kutschool")
        self.assertContains(staff, 'data-testid="flag"')
        self.assertContains(staff, "Bedreiging")
        self.assertNotContains(self.login("parent").get(thread), 'data-testid="flag"')
        self.assertEqual(message.hidden_at, None)

    def test_a_clean_message_has_no_flag(self):
        self.send("Daan is morgen bij de tandarts.")
        self.assertFalse(Flag.objects.exists())

    def test_staff_report_a_message_and_it_reaches_the_director(self):
        conversation = self.send("Hallo juf")
        message = Message.objects.get(conversation=conversation)
        report = actions.check_report(
            acting_user=verified_user(self.world.teacher),
            entry=reportable("message"),
            item=message,
            reason="offensive",
            text="",
        )
        self.assertEqual(report.group, self.world.group3)
        detail = reverse("moderation:report_detail", args=[report.public_id])
        self.assertEqual(self.login("director").get(detail).status_code, 200)

    def test_a_parent_mutes_a_thread_and_hears_nothing_until_unmuted(self):
        conversation = self.send("Vraagje over de gym")
        mute = reverse("moderation:mute", args=[conversation.public_id])
        thread = reverse("conversations:thread", args=[conversation.public_id])
        self.assertContains(self.login("parent").get(thread), 'data-testid="mute"')
        self.client.post(mute, {"muted": "1"})
        sent = []
        events.subscribe(sent.append)
        self.addCleanup(events._subscribers.remove, sent.append)
        from conversations.actions import check_send_message

        with self.captureOnCommitCallbacks(execute=True):
            check_send_message(
                acting_user=verified_user(self.world.teacher), conversation=conversation, body="Prima!"
            )
        recipients = {uid for event in sent if event.kind == "message.created" for uid in event.recipient_ids}
        self.assertNotIn(self.world.parent.pk, recipients)
        self.assertIn(self.world.co_parent.pk, recipients | {self.world.co_parent.pk})
        self.client.post(mute, {"muted": "0"})
        sent.clear()
        with self.captureOnCommitCallbacks(execute=True):
            check_send_message(
                acting_user=verified_user(self.world.teacher), conversation=conversation, body="Tot morgen"
            )
        recipients = {uid for event in sent if event.kind == "message.created" for uid in event.recipient_ids}
        self.assertIn(self.world.parent.pk, recipients)

    def test_the_api_mutes_too_and_strangers_get_404(self):
        conversation = self.send("Vraagje")
        url = f"/api/v1/moderation/mute/conversation/{conversation.public_id}"
        self.assertEqual(
            self.login("parent").put(url, {"muted": True}, content_type="application/json").status_code, 204
        )
        self.assertEqual(
            self.login("outsider").put(url, {"muted": True}, content_type="application/json").status_code, 404
        )


class TestHeldComments(PostsTestCase):
    def setUp(self):
        super().setUp()
        from posts.models import GroupTimelineSettings

        GroupTimelineSettings.objects.create(group=self.world.group3, comments_enabled=True)
        self.walk = self.post(title="Herfstwandeling")

    def comment(self, body: str, persona: str = "parent"):
        from posts.comment_actions import check_comment

        with self.captureOnCommitCallbacks(execute=True):
            return check_comment(acting_user=getattr(self.world, persona), post=self.walk, body=body)

    def test_a_comment_that_hits_is_held_for_staff_review_and_reaches_the_queue(self):
        sent = []
        events.subscribe(sent.append)
        self.addCleanup(events._subscribers.remove, sent.append)
        held = self.comment("Wat een k4nkerschool is dit")
        held.refresh_from_db()
        self.assertIsNotNone(held.hidden_at)
        report = Report.objects.get()
        self.assertEqual((report.reporter, report.reason, report.kind), (None, "screening", "comment"))
        [event] = [e for e in sent if e.kind == "report.created"]
        self.assertIn(self.world.teacher.pk, event.recipient_ids)

        detail = reverse("posts:post_detail", args=[self.walk.public_id])
        self.assertNotContains(self.login("class_parent").get(detail), "k4nkerschool")
        self.assertContains(self.login("parent").get(detail), "wacht op beoordeling")
        staff = self.login("teacher")
        self.assertContains(staff.get(detail), 'data-testid="held-badge"')
        queue_item = staff.get(reverse("moderation:report_detail", args=[report.public_id]))
        self.assertContains(queue_item, "Schelden")
        # The moderator sees what was written, by whom, and can open where it was posted.
        self.assertContains(queue_item, "Wat een k4nkerschool is dit")
        self.assertContains(queue_item, self.world.parent.full_name)
        self.assertContains(queue_item, f'href="{detail}" data-testid="reported-item-link"')

        actions.check_resolve_report(
            acting_user=verified_user(self.world.teacher), report=report, outcome="restored", note=""
        )
        self.assertContains(self.login("class_parent").get(detail), "k4nkerschool")

    def test_a_clean_comment_is_shown_at_once_with_a_report_link_for_others(self):
        comment = self.comment("Wat een mooie foto's!")
        detail = reverse("posts:post_detail", args=[self.walk.public_id])
        page = self.login("class_parent").get(detail)
        self.assertContains(page, "mooie foto")
        self.assertContains(page, reverse("moderation:report", args=["comment", comment.public_id]))
        self.assertFalse(Report.objects.exists())
