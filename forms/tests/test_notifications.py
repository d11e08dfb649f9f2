"""A form's reminder reaches the families that have not answered, through the notifications app."""

import datetime

import pytest

from core.task_testing import TaskRunner
from forms.actions import check_answer, do_send_form_reminders
from forms.tests.helpers import FormsTestCase, permission_slip
from notifications.models import Dispatch, Notification
from notifications.tests.helpers import without_quiet_hours


class TestFormReminder(TaskRunner, FormsTestCase):
    @pytest.fixture(autouse=True)
    def _peers(self, smtp_server):
        self.inbox = smtp_server

    def setUp(self):
        super().setUp()
        without_quiet_hours(self.world)

    def test_the_reminder_reaches_only_who_has_not_answered_by_email_with_a_short_title(self):
        with self.committed():
            form = permission_slip(self.world)
        sent = Dispatch.objects.get(kind="form.sent")
        self.assertEqual(
            set(Notification.objects.filter(dispatch=sent).values_list("user__first_name", flat=True)),
            {"Sanne", "Joost", "Fatima"},
        )
        check_answer(
            acting_user=self.world.parent,
            form=form,
            pupil=self.world.child,
            answers={form.questions.first().public_id: {"yes": True}},
        )
        with self.committed():
            do_send_form_reminders(now=form.closes_at - datetime.timedelta(hours=12))
        dispatch = Dispatch.objects.get(kind="form.reminder")
        self.assertEqual(
            list(
                dispatch.deliveries.values_list("user__first_name", "channel", "state").filter(
                    channel="email"
                )
            ),
            [("Fatima", "email", "sent")],
        )
        [email] = [
            m
            for m in self.inbox.messages
            if m["To"] == "klassenouder@example.test" and "Blijdorp" in m["Subject"]
        ]
        self.assertIn("Graag uw antwoord: Excursie naar Blijdorp", email["Subject"])
        self.assertIn(f"/forms/{form.public_id}/", email.get_body(("plain",)).get_content())
