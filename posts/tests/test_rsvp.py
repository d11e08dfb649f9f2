from django.core.exceptions import ValidationError

from posts.actions import check_rsvp, do_send_event_reminders
from posts.models import Post, Rsvp
from posts.queries import get_answers
from posts.tests.helpers import PostsTestCase, in_days


class TestCheckRsvp(PostsTestCase):
    def test_it_keeps_one_answer_per_family(self):
        event = self.event()
        check_rsvp(acting_user=self.world.parent, post=event, answer="yes", people=3)
        check_rsvp(acting_user=self.world.co_parent, post=event, answer="maybe", people=2)
        [rsvp] = Rsvp.objects.filter(post=event)
        self.assertEqual((rsvp.pupil, rsvp.answer, rsvp.people), (self.world.child, "maybe", 2))
        check_rsvp(acting_user=self.world.class_parent, post=event, answer="yes", people=1)
        answers = get_answers(event)
        self.assertEqual((answers.yes, answers.maybe, answers.people), (1, 1, 1))

    def test_it_refuses_an_answer_after_the_deadline(self):
        event = self.event()
        Post.objects.filter(id=event.id).update(respond_by=in_days(-1))
        event.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "uiterste datum"):
            check_rsvp(acting_user=self.world.parent, post=event, answer="yes")
        self.assertFalse(Rsvp.objects.exists())

    def test_it_refuses_a_bad_number_of_people(self):
        event = self.event()
        with self.assertRaises(ValidationError):
            check_rsvp(acting_user=self.world.parent, post=event, answer="yes", people=0)
        with self.assertRaises(ValidationError):
            check_rsvp(acting_user=self.world.parent, post=event, answer="yes", people=21)
        self.assertFalse(Rsvp.objects.exists())

    def test_it_counts_no_as_nobody_coming(self):
        event = self.event()
        rsvp = check_rsvp(acting_user=self.world.parent, post=event, answer="no", people=4)
        self.assertEqual(rsvp.people, 0)

    def test_it_refuses_a_non_parent(self):
        event = self.event()
        with self.assertRaises(ValidationError):
            check_rsvp(acting_user=self.user("teacher"), post=event, answer="yes")

    def test_it_refuses_an_announcement(self):
        with self.assertRaises(ValidationError):
            check_rsvp(acting_user=self.world.parent, post=self.post(), answer="yes")


class TestDoSendEventReminders(PostsTestCase):
    def test_it_reminds_families_that_have_not_answered_once(self):
        event = self.event(respond_by=in_days(1))
        check_rsvp(acting_user=self.world.co_parent, post=event, answer="yes", people=2)
        with self.published_events() as seen, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_send_event_reminders(), 1)
        [reminder] = seen
        self.assertEqual(reminder.kind, "event.reminder")
        self.assertEqual(set(reminder.recipient_ids), {self.world.class_parent.id})
        self.assertEqual(reminder.data["group_ids"], [self.world.group3.public_id])
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_send_event_reminders(), 0)

    def test_it_waits_until_the_deadline_is_near(self):
        self.event(starts_at=in_days(20), respond_by=in_days(10))
        self.assertEqual(do_send_event_reminders(), 0)
