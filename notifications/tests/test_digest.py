import datetime
from unittest import mock

import pytest
from django.utils import timezone

from core.testing import PersonaTestCase
from notifications import actions, digest
from notifications.models import DigestSchedule
from notifications.models import Settings as NotificationSettings
from notifications.tests.helpers import deliver_now, post_event

FRIDAY_1601 = timezone.make_aware(datetime.datetime(2030, 1, 11, 16, 1))


class DigestTestCase(PersonaTestCase):
    @pytest.fixture(autouse=True)
    def _smtp(self, smtp_server):
        self.inbox = smtp_server


class TestWeeklyDigest(DigestTestCase):
    def test_it_sends_the_newsletter_on_friday_afternoon_to_those_with_news(self):
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601 - datetime.timedelta(days=1)):
            deliver_now(post_event(self.world, recipients=[self.world.parent, self.world.co_parent]))
        with mock.patch(
            "django.utils.timezone.now", return_value=FRIDAY_1601 - datetime.timedelta(minutes=2)
        ):
            assert digest.do_run_due_digests() == 0  # 15:59: not yet
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601):
            assert digest.do_run_due_digests() == 2
            assert digest.do_run_due_digests() == 0  # once per week
        assert sorted(m["To"] for m in self.inbox.messages) == ["ouder2@example.test", "ouder@example.test"]
        message = self.inbox.messages[0]
        assert message["Subject"] == "Nieuws van De Schakel"
        assert "gymschoenen" in message.get_body(("plain",)).get_content()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_it_follows_the_schools_own_day(self):
        DigestSchedule.objects.create(school=self.world.school, weekday=0, send_at=datetime.time(8, 0))
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601 - datetime.timedelta(hours=1)):
            deliver_now(post_event(self.world, recipients=[self.world.parent]))
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601):
            assert digest.do_run_due_digests() == 0
        monday = FRIDAY_1601 + datetime.timedelta(days=2, hours=17)
        with mock.patch("django.utils.timezone.now", return_value=monday):
            assert digest.do_run_due_digests() == 1

    def test_it_sends_nothing_new_twice(self):
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601 - datetime.timedelta(hours=1)):
            deliver_now(post_event(self.world, recipients=[self.world.parent]))
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601):
            assert digest.do_send_digests(frequency="weekly") == 1
        with mock.patch(
            "django.utils.timezone.now", return_value=FRIDAY_1601 + datetime.timedelta(minutes=5)
        ):
            assert digest.do_send_digests(frequency="weekly") == 0
            assert digest.items_for(self.world.parent) == []


class TestDailyDigest(DigestTestCase):
    def test_it_goes_only_to_those_who_chose_daily(self):
        actions.do_update_settings(
            acting_user=self.world.parent,
            quiet_from=datetime.time(21),
            quiet_until=datetime.time(7),
            digest="daily",
        )
        NotificationSettings.objects.create(user=self.world.co_parent, digest="off")
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601 - datetime.timedelta(hours=3)):
            deliver_now(post_event(self.world, recipients=[self.world.parent, self.world.co_parent]))
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601):
            assert digest.do_send_digests(frequency="daily") == 1
        assert [m["To"] for m in self.inbox.messages] == ["ouder@example.test"]
