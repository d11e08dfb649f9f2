"""The events of the other apps, published by their own actions, arrive in the ledger and the inbox."""

import datetime

import pytest

from core.clock import school_today
from core.task_testing import OnRedisQueue, OnTheDatabaseQueue, TaskRunner
from core.testing import PersonaTestCase
from core.viewer import verified
from notifications import actions
from notifications.models import Dispatch, Notification
from notifications.tests.helpers import without_quiet_hours


class RealEventsTestCase(TaskRunner, PersonaTestCase):
    @pytest.fixture(autouse=True)
    def _peers(self, smtp_server, push_service):
        self.inbox, self.push = smtp_server, push_service

    def setUp(self):
        super().setUp()  # after the world is built (before each test on the database queue)
        without_quiet_hours(self.world)

    def add_device(self, user, name):
        device = self.push.device(name)
        actions.do_subscribe_push(
            acting_user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth_b64
        )


class TestPostsEvents(RealEventsTestCase):
    def test_a_teachers_post_reaches_the_class_families_with_its_text_by_email(self):
        from posts.actions import Draft, check_publish_post

        actions.do_set_preference(
            acting_user=self.world.parent,
            kind="post.published",
            group=None,
            push=True,
            email=True,
            digest=False,
        )
        self.add_device(self.world.parent, "sanne")
        with self.committed():
            post = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Gymles morgen", body="<p>Neem je gymschoenen mee.</p>"),
            )
        dispatch = Dispatch.objects.get(subject_type="post", subject_id=post.public_id)
        assert dispatch.data["group_ids"] == [self.world.group3.public_id]
        recipients = set(Notification.objects.filter(dispatch=dispatch).values_list("user__email", flat=True))
        assert {"ouder@example.test", "ouder2@example.test", "klassenouder@example.test"} <= recipients
        assert "outsider@example.test" not in recipients and "anna@schakel.test" not in recipients
        [email] = [m for m in self.inbox.messages if m["To"] == "ouder@example.test"]
        plain = email.get_body(("plain",)).get_content()
        assert "Neem je gymschoenen mee." in plain
        # The heading names the post; the text under it does not say its title again.
        assert plain.count("Gymles morgen") == 1, plain
        assert [p["url"] for name, p in self.push.received] == [f"/posts/{post.public_id}/"]

    def test_the_digest_gives_a_posts_text_without_its_title_again(self):
        from notifications import digest
        from posts.actions import Draft, check_publish_post

        with self.committed():
            check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Schoolreis", body="<p>Neem een lunchpakket mee.</p>"),
            )
            check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Gymles"),
            )
        items = {item.title: item.text for item in digest.items_for(self.world.parent)}
        assert items == {"Groep 3: Schoolreis": "Neem een lunchpakket mee.", "Groep 3: Gymles": ""}, items

    def test_a_directors_urgent_post_overrides_preferences(self):
        from posts.actions import Draft, check_publish_post

        actions.do_set_preference(
            acting_user=self.world.parent,
            kind="post.published",
            group=None,
            push=False,
            email=False,
            digest=False,
        )
        with self.committed():
            post = check_publish_post(
                acting_user=verified(self.world.director),
                groups=[self.world.wide],
                draft=Draft(
                    title="School vandaag dicht",
                    body="Door een stroomstoring is de school dicht.",
                    urgent=True,
                ),
            )
        dispatch = Dispatch.objects.get(subject_id=post.public_id)
        assert dispatch.urgent
        assert dispatch.deliveries.get(user=self.world.parent, channel="email").state == "sent"
        assert "ouder@example.test" in [m["To"] for m in self.inbox.messages]


class TestConversationEvents(RealEventsTestCase):
    def test_a_message_pushes_without_its_text(self):
        from conversations.actions import check_start_with_guardians

        self.add_device(self.world.parent, "sanne")
        with self.committed():
            check_start_with_guardians(
                acting_user=verified(self.world.teacher),
                pupil=self.world.child,
                guardians=[self.world.parent],
                subject="Daan",
                body="Daan had vandaag hoofdpijn, wilt u even bellen?",
            )
        [(name, payload)] = self.push.received
        assert "hoofdpijn" not in str(payload) and "Anna Jansen" in payload["title"]
        assert Notification.objects.filter(user=self.world.parent, dispatch__kind="message.created").exists()


class TestAbsenceEvents(RealEventsTestCase):
    def test_a_leave_decision_reaches_the_guardians_by_email(self):
        from absences.actions import check_decide_leave, check_request_leave

        start = school_today() + datetime.timedelta(days=21)
        while start.weekday() >= 5:
            start += datetime.timedelta(days=1)
        leave = check_request_leave(
            acting_user=self.world.parent,
            pupil=self.world.child,
            kind="extraordinary",
            starts_on=start,
            ends_on=start,
            reason="Bruiloft van een tante",
        )
        with self.committed():
            check_decide_leave(
                acting_user=verified(self.world.director),
                leave=leave,
                grant=True,
                reason="Akkoord: gewichtige omstandigheid.",
            )
        dispatch = Dispatch.objects.get(kind="absence.decided")
        assert dispatch.deliveries.get(user=self.world.parent, channel="email").state == "sent"
        assert "ouder@example.test" in [m["To"] for m in self.inbox.messages]


# The same events through the production task backends, each queue run by its real worker (issue #8).
class TestPostsEventsOnTheDatabaseQueue(OnTheDatabaseQueue, TestPostsEvents):
    pass


class TestPostsEventsOnRedisQueue(OnRedisQueue, TestPostsEvents):
    pass


class TestConversationEventsOnTheDatabaseQueue(OnTheDatabaseQueue, TestConversationEvents):
    pass


class TestConversationEventsOnRedisQueue(OnRedisQueue, TestConversationEvents):
    pass


class TestAbsenceEventsOnTheDatabaseQueue(OnTheDatabaseQueue, TestAbsenceEvents):
    pass


class TestAbsenceEventsOnRedisQueue(OnRedisQueue, TestAbsenceEvents):
    pass
