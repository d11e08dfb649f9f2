"""Reminders with a moving clock: once automatically a day before closing, and on demand by the teacher."""

import datetime
from contextlib import contextmanager

from core import events
from core.refusals import Invalid
from forms import periodic
from forms.actions import check_answer, check_remind, do_send_form_reminders
from forms.tests.helpers import FormsTestCase, permission_slip


class RemindersTest(FormsTestCase):
    def setUp(self):
        super().setUp()
        saved = list(events._subscribers)
        events._subscribers.clear()
        self.addCleanup(events._subscribers.extend, saved)

    @contextmanager
    def published(self):
        seen = []
        events.subscribe(seen.append)
        try:
            with self.captureOnCommitCallbacks(execute=True):
                yield seen
        finally:
            events._subscribers.remove(seen.append)

    def test_it_reminds_once_a_day_before_closing_those_who_did_not_answer(self):
        with self.published() as seen:
            form = permission_slip(self.world, closes_in=datetime.timedelta(days=3))
        self.assertEqual(seen[0].kind, "form.sent")
        self.assertEqual(
            set(seen[0].recipient_ids),
            {self.world.parent.id, self.world.co_parent.id, self.world.class_parent.id},
        )
        first = form.questions.first().public_id
        check_answer(
            acting_user=self.world.parent, form=form, pupil=self.world.child, answers={first: {"yes": True}}
        )
        closes = form.closes_at
        # Two days before closing: nothing yet.
        with self.published() as seen:
            self.assertEqual(do_send_form_reminders(now=closes - datetime.timedelta(days=2)), 0)
        self.assertEqual(seen, [])
        # Twenty hours before: Daan's family answered (one answer is enough), Yasmin's did not.
        with self.published() as seen:
            self.assertEqual(do_send_form_reminders(now=closes - datetime.timedelta(hours=20)), 1)
        self.assertEqual(
            [(e.kind, e.recipient_ids) for e in seen], [("form.reminder", (self.world.class_parent.id,))]
        )
        self.assertEqual(seen[0].url, f"/forms/{form.public_id}/")
        # The next ticks remind no more, and a closed form never.
        with self.published() as seen:
            self.assertEqual(do_send_form_reminders(now=closes - datetime.timedelta(hours=19)), 0)
            self.assertEqual(do_send_form_reminders(now=closes + datetime.timedelta(hours=1)), 0)
        self.assertEqual(seen, [])

    def test_with_every_guardian_asked_the_other_guardian_is_reminded(self):
        form = permission_slip(self.world, guardians="all", closes_in=datetime.timedelta(hours=12))
        first = form.questions.first().public_id
        check_answer(
            acting_user=self.world.parent, form=form, pupil=self.world.child, answers={first: {"yes": True}}
        )
        with self.published() as seen:
            self.assertEqual(periodic.run()["reminded"], 1)
        self.assertEqual(set(seen[0].recipient_ids), {self.world.co_parent.id, self.world.class_parent.id})

    def test_the_teacher_reminds_on_demand_at_most_once_an_hour(self):
        form = permission_slip(self.world)
        now = form.opens_at + datetime.timedelta(minutes=5)
        with self.published() as seen:
            self.assertEqual(check_remind(acting_user=self.world.teacher, form=form, now=now), 3)
        self.assertEqual(seen[0].kind, "form.reminder")
        with self.assertRaisesMessage(Invalid, "an hour later"):
            check_remind(acting_user=self.world.teacher, form=form, now=now + datetime.timedelta(minutes=59))
        with self.published() as seen:
            check_remind(acting_user=self.world.teacher, form=form, now=now + datetime.timedelta(minutes=61))
        self.assertEqual(len(seen), 1)
        with self.assertRaisesMessage(Invalid, "closed"):
            check_remind(acting_user=self.world.teacher, form=form, now=form.closes_at)

    def test_a_form_under_a_hidden_post_is_not_reminded(self):
        from django.utils import timezone

        from posts.actions import Draft, check_publish_post
        from posts.models import Post

        post = check_publish_post(
            acting_user=self.world.teacher, groups=[self.world.group3], draft=Draft(title="Uitje")
        )
        form = permission_slip(self.world, post=post, closes_in=datetime.timedelta(hours=10))
        Post.objects.filter(pk=post.pk).update(hidden_at=timezone.now())
        self.assertEqual(do_send_form_reminders(), 0)
        Post.objects.filter(pk=post.pk).update(hidden_at=None)
        with self.published() as seen:
            self.assertEqual(do_send_form_reminders(), 1)
        self.assertEqual(seen[0].subject_id, form.public_id)
