"""From a published event to an email in an SMTP server and a decrypted push at a push service."""

import datetime
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from core.events import publish_on_commit
from core.task_testing import DEAD_QUEUE, OnRedisQueue, OnTheDatabaseQueue, TaskRunner
from core.testing import PersonaTestCase
from notifications import actions
from notifications.models import Dispatch, Notification, Preference, PushSubscription, Settings
from notifications.tests.helpers import message_event, post_event, without_quiet_hours


class PeersTestCase(TaskRunner, PersonaTestCase):
    keeps_quiet_hours = False  # the classes about quiet hours keep the defaults (21:00–07:00)

    @pytest.fixture(autouse=True)
    def _peers(self, smtp_server, push_service):
        self.inbox, self.push = smtp_server, push_service

    def setUp(self):
        super().setUp()  # after the world is built (before each test on the database queue)
        if not self.keeps_quiet_hours:
            without_quiet_hours(self.world)

    def add_device(self, user, name: str):
        device = self.push.device(name)
        actions.do_subscribe_push(
            acting_user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth_b64
        )
        return device

    def want_posts_by(self, user, *, push: bool = False, email: bool = True) -> None:
        actions.do_set_preference(
            acting_user=user, kind="post.published", group=None, push=push, email=email, digest=False
        )

    def publish(self, event):
        with self.committed():
            publish_on_commit(event)
        return Dispatch.objects.get(subject_id=event.subject_id)

    def sweep(self) -> None:
        """What `manage.py tick` does for the ledger, and then the worker."""
        actions.do_sweep()
        self.drain()

    def states(self, dispatch):
        return sorted(dispatch.deliveries.values_list("user__email", "channel", "state", "reason"))


class TestPostPublished(PeersTestCase):
    def test_it_pushes_to_each_device_with_a_privacy_safe_translated_title(self):
        self.add_device(self.world.parent, "sanne")
        self.world.co_parent.language = "en"
        self.world.co_parent.save()
        self.add_device(self.world.co_parent, "joost")
        self.publish(message_event(self.world, recipients=[self.world.parent, self.world.co_parent]))
        received = dict(self.push.received)
        assert self.push.errors == []
        assert received["sanne"] == {
            "title": "Nieuw bericht van Anna Jansen",
            "url": "/messages/Conversation0001/",
            "urgent": False,
            "lang": "nl",
            "dir": "auto",
        }
        assert received["joost"]["title"] == "New message from Anna Jansen"
        assert received["joost"]["lang"] == "en"
        assert "Mag Daan morgen" not in str(received)

    def test_it_parks_email_for_the_digest_by_default_and_skips_push_without_device(self):
        dispatch = self.publish(post_event(self.world, recipients=[self.world.parent]))
        assert self.states(dispatch) == [
            ("ouder@example.test", "email", "skipped", "digest"),
            ("ouder@example.test", "push", "skipped", "no_device"),
        ]
        assert self.inbox.messages == []
        assert Notification.objects.filter(user=self.world.parent, read_at=None).count() == 1

    def test_it_never_notifies_the_author(self):
        dispatch = self.publish(post_event(self.world, recipients=[self.world.parent, self.world.teacher]))
        assert set(dispatch.deliveries.values_list("user_id", flat=True)) == {self.world.parent.pk}

    def test_it_emails_both_parts_with_one_click_unsubscribe_that_works_without_login(self):
        self.want_posts_by(self.world.parent, push=True, email=True)
        dispatch = self.publish(post_event(self.world, recipients=[self.world.parent], photo_count=3))
        [message] = self.inbox.messages
        assert message["To"] == "ouder@example.test"
        assert "Groep 3" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Morgen gym: neem je gymschoenen mee!" in text and "gymschoenen" in html
        assert "foto" in text and "<img" not in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = message["List-Unsubscribe"].strip("<>")
        assert url in text
        response = Client(enforce_csrf_checks=True).post(
            url.removeprefix("http://127.0.0.1:8000"), {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200
        assert dispatch.deliveries.get(channel="email").state == "sent"
        again = self.publish(
            post_event(self.world, recipients=[self.world.parent], subject_id="PostPostPost0002")
        )
        assert again.deliveries.get(channel="email").reason == "preference"
        assert len(self.inbox.messages) == 1

    def test_it_overrides_preferences_and_quiet_hours_for_an_urgent_post(self):
        Settings.objects.filter(user=self.world.parent).delete()  # the default quiet hours, 23:30 is in them
        self.want_posts_by(self.world.parent, push=False, email=False)
        self.add_device(self.world.parent, "sanne")
        late = timezone.make_aware(datetime.datetime(2026, 11, 20, 23, 30))
        with mock.patch("django.utils.timezone.now", return_value=late):
            dispatch = self.publish(
                post_event(self.world, recipients=[self.world.parent], actor=self.world.director, urgent=True)
            )
        assert self.states(dispatch) == [
            ("ouder@example.test", "email", "sent", ""),
            ("ouder@example.test", "push", "sent", ""),
        ]
        assert self.push.received[0][1]["urgent"] is True
        assert self.inbox.messages[0]["Subject"].startswith("Dringend")


class TestQuietHoursAndWorkingHours(PeersTestCase):
    keeps_quiet_hours = True

    def test_it_holds_a_parents_push_until_quiet_hours_end(self):
        self.add_device(self.world.parent, "sanne")
        late = timezone.make_aware(datetime.datetime(2030, 1, 10, 22, 15))
        with mock.patch("django.utils.timezone.now", return_value=late):
            dispatch = self.publish(post_event(self.world, recipients=[self.world.parent]))
        push = dispatch.deliveries.get(channel="push")
        assert (push.state, push.reason) == ("queued", "quiet_hours")
        assert timezone.localtime(push.due_at).strftime("%d %H:%M") == "11 07:00"
        assert self.push.received == []
        morning = timezone.make_aware(datetime.datetime(2030, 1, 11, 7, 1))
        actions.do_send_deliveries(delivery_ids=[push.pk])  # not due yet: nothing happens
        assert self.push.received == []
        with mock.patch("django.utils.timezone.now", return_value=morning):
            self.sweep()
        assert [name for name, _payload in self.push.received] == ["sanne"]

    def test_it_waits_for_staff_working_hours_from_the_event(self):
        self.add_device(self.world.duo_teacher, "bram")
        later = (timezone.now() + datetime.timedelta(hours=3)).isoformat()
        dispatch = self.publish(
            message_event(self.world, recipients=[self.world.duo_teacher], deliver_after=later)
        )
        push = dispatch.deliveries.get(channel="push")
        assert (push.state, push.reason) == ("queued", "working_hours")
        assert self.push.received == []


class TestPushServiceAnswers(PeersTestCase):
    def test_it_removes_a_subscription_the_push_service_forgot(self):
        self.add_device(self.world.parent, "old-phone")
        self.push.answers["old-phone"] = 410
        dispatch = self.publish(post_event(self.world, recipients=[self.world.parent]))
        push = dispatch.deliveries.get(channel="push")
        assert push.state == "failed"
        assert not PushSubscription.objects.filter(user=self.world.parent).exists()

    def test_it_retries_when_the_push_service_is_unavailable(self):
        self.add_device(self.world.parent, "sanne")
        self.push.answers["sanne"] = 503
        dispatch = self.publish(post_event(self.world, recipients=[self.world.parent]))
        push = dispatch.deliveries.get(channel="push")
        assert (push.state, push.attempts) == ("queued", 1)
        assert "503" in push.error and push.due_at > timezone.now()
        del self.push.answers["sanne"]
        with mock.patch(
            "django.utils.timezone.now", return_value=push.due_at + datetime.timedelta(seconds=1)
        ):
            self.sweep()
        push.refresh_from_db()
        assert (push.state, push.attempts) == ("sent", 2)
        assert len(self.push.received) == 1


class TestSmtpDown(PeersTestCase):
    def test_it_loses_nothing_while_the_mail_server_is_down_and_sends_each_email_once(self):
        for user in (self.world.parent, self.world.co_parent, self.world.class_parent):
            self.want_posts_by(user, push=False, email=True)
        recipients = [self.world.parent, self.world.co_parent, self.world.class_parent]
        good = self.settings_mailers()
        with self.settings(
            MAILERS={"default": {**good, "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
        ):
            dispatch = self.publish(post_event(self.world, recipients=recipients))
        rows = dispatch.deliveries.filter(channel="email")
        assert set(rows.values_list("state", flat=True)) == {"queued"}
        assert all(r.error for r in rows)
        assert self.inbox.messages == []
        later = max(r.due_at for r in rows) + datetime.timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.sweep()
            self.sweep()  # a second sweep finds nothing left to send
        assert sorted(m["To"] for m in self.inbox.messages) == sorted(u.email for u in recipients)
        assert set(rows.values_list("state", flat=True)) == {"sent"}

    def settings_mailers(self):
        from django.conf import settings

        return settings.MAILERS["default"]


class TestMailboxUnknown(PeersTestCase):
    def test_it_records_a_refused_recipient_as_failed_with_the_reason(self):
        async def handle_RCPT(server, session, envelope, address, rcpt_options):
            if address == "ouder@example.test":
                return "550 5.1.1 mailbox unknown"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        self.inbox.handle_RCPT = handle_RCPT
        dispatch = self.publish(
            post_event(self.world, recipients=[self.world.parent], actor=self.world.director, urgent=True)
        )
        email = dispatch.deliveries.get(channel="email")
        assert (email.state, email.error) == ("failed", "mailbox unknown")


class TestClaimingABatch(PeersTestCase):
    def queued_emails(self):
        recipients = [self.world.parent, self.world.co_parent, self.world.class_parent]
        for user in recipients:
            if not Preference.objects.filter(user=user).exists():
                self.want_posts_by(user, push=False, email=True)
        # Fan out without sending, as when the send tasks have not run yet.
        with mock.patch("notifications.actions.enqueue_send"):
            dispatch = self.publish(post_event(self.world, recipients=recipients))
        return list(dispatch.deliveries.filter(channel="email").order_by("pk").values_list("pk", flat=True))

    def test_it_gives_each_row_to_one_worker_only(self):
        ids = self.queued_emails()
        now = timezone.now()
        first = actions.claim(ids, now)
        second = actions.claim(ids, now)
        assert [d.pk for d in first] == ids
        assert second == []

    def test_it_lets_a_second_worker_take_over_a_run_out_claim_and_ignores_the_first_workers_outcome(self):
        ids = self.queued_emails()
        stale = actions.claim(ids, timezone.now())
        later = timezone.now() + datetime.timedelta(seconds=actions.CLAIM_SECONDS + 1)
        taken_over = actions.claim(ids, later)
        assert [d.pk for d in taken_over] == ids
        actions._save(stale[0], state="failed", error="too late")  # the first worker wakes up
        row = taken_over[0]
        row.refresh_from_db()
        assert (row.state, row.error) == ("sending", "")

    def test_it_renews_a_slow_batchs_claim_unless_another_worker_took_the_rows_over(self):
        ids = self.queued_emails()
        started = timezone.now()
        claimed = actions.claim(ids, started)
        halfway = started + datetime.timedelta(seconds=actions.CLAIM_SECONDS * 0.6)
        assert actions.renew(claimed[1:], halfway) == set(ids[1:])
        assert claimed[1].claimed_until == halfway + datetime.timedelta(seconds=actions.CLAIM_SECONDS)
        stalled = halfway + datetime.timedelta(seconds=actions.CLAIM_SECONDS + 1)
        other_worker = actions.claim(ids, stalled)
        assert [d.pk for d in other_worker] == ids
        assert actions.renew(claimed[1:], stalled) == set()

    def test_it_sends_a_batch_with_one_query_per_row_after_the_claim(self):
        self.add_device(self.world.parent, "sanne")
        self.add_device(self.world.parent, "sanne-tablet")
        self.want_posts_by(self.world.parent, push=True, email=True)
        ids = self.queued_emails()
        push = Dispatch.objects.get().deliveries.get(channel="push", state="queued")
        ids.append(push.pk)
        with self.assertNumQueries(3 + len(ids)):  # claim, read back, devices; then one save per row
            counts = actions.do_send_deliveries(delivery_ids=ids)
        assert counts == {"sent": 4, "retry": 0, "failed": 0}
        assert sorted(m["To"] for m in self.inbox.messages) == sorted(
            ["ouder@example.test", "ouder2@example.test", "klassenouder@example.test"]
        )
        assert sorted(name for name, _payload in self.push.received) == ["sanne", "sanne-tablet"]


class TestFanOutQueries(PersonaTestCase):
    def test_it_costs_the_same_queries_for_one_recipient_or_many(self):
        world = self.world
        self.enterContext(mock.patch("notifications.actions.enqueue_send"))
        for user in (world.parent, world.office):
            actions.do_subscribe_push(
                acting_user=user, endpoint=f"https://push.test/{user.pk}", p256dh="k", auth="a"
            )
        few = actions.receive_event(message_event(world, recipients=[world.parent]))
        many = actions.receive_event(
            message_event(world, recipients=[world.parent, world.co_parent, world.office, world.duo_teacher])
        )
        # Savepoint; claim, read the dispatch, the recipients (with their settings, staff role and device:
        # one read, where it took four), the in-app items, the preferences, the ledger rows; release.
        with self.assertNumQueries(8):
            actions.do_fan_out(dispatch_id=few.pk)
        with self.assertNumQueries(8):
            actions.do_fan_out(dispatch_id=many.pk)
        pushes = {row.user_id: row for row in many.deliveries.filter(channel="push")}
        assert pushes[world.office.pk].state == "queued" and pushes[world.office.pk].reason == ""  # staff
        assert pushes[world.parent.pk].state == "queued"
        assert (pushes[world.co_parent.pk].state, pushes[world.co_parent.pk].reason) == (
            "skipped",
            "no_device",
        )


# The same deliveries through the production task backends, each queue run by its real worker (issue #8).
# The claim tests above call the ledger directly, so they do not depend on the backend.
class TestPostPublishedOnTheDatabaseQueue(OnTheDatabaseQueue, TestPostPublished):
    pass


class TestPostPublishedOnRedisQueue(OnRedisQueue, TestPostPublished):
    pass


class TestQuietHoursAndWorkingHoursOnTheDatabaseQueue(OnTheDatabaseQueue, TestQuietHoursAndWorkingHours):
    pass


class TestQuietHoursAndWorkingHoursOnRedisQueue(OnRedisQueue, TestQuietHoursAndWorkingHours):
    pass


class TestPushServiceAnswersOnTheDatabaseQueue(OnTheDatabaseQueue, TestPushServiceAnswers):
    pass


class TestPushServiceAnswersOnRedisQueue(OnRedisQueue, TestPushServiceAnswers):
    pass


class TestSmtpDownOnTheDatabaseQueue(OnTheDatabaseQueue, TestSmtpDown):
    pass


class TestSmtpDownOnRedisQueue(OnRedisQueue, TestSmtpDown):
    pass


class TestMailboxUnknownOnTheDatabaseQueue(OnTheDatabaseQueue, TestMailboxUnknown):
    pass


class TestMailboxUnknownOnRedisQueue(OnRedisQueue, TestMailboxUnknown):
    pass


class TestTheQueueDownWhenAPostIsPublished(PeersTestCase):
    @override_settings(**DEAD_QUEUE)
    def publish_while_the_queue_is_down(self, event):
        with self.assertLogs(level="ERROR") as logged:
            dispatch = self.publish(event)
        assert "Error calling" in logged.output[0]
        return dispatch

    def test_the_tick_fans_out_what_could_not_be_queued_and_the_publisher_sees_no_error(self):
        """The dispatch row is the ledger. Before, the queue's error came out of the commit: the teacher's
        post was saved and answered 503 all the same (a second try would post it twice)."""
        self.want_posts_by(self.world.parent)
        event = post_event(self.world, recipients=[self.world.parent])
        dispatch = self.publish_while_the_queue_is_down(event)
        assert dispatch.fanned_out_at is None and self.inbox.messages == []
        with self.committed():  # the tick, and the worker after it
            self.sweep()
        dispatch.refresh_from_db()
        assert dispatch.fanned_out_at is not None
        [message] = self.inbox.messages
        assert message["To"] == "ouder@example.test"
