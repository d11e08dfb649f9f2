from consent.actions import check_send_request, do_remind
from consent.models import Request, Scope
from consent.queries import pending_pupil_ids, response_rates
from consent.tests.helpers import ConsentTestCase
from core import events


class EventsMixin:
    def setUp(self):
        super().setUp()
        self.events = []
        events.subscribe(self.events.append)
        self.addCleanup(events._subscribers.remove, self.events.append)


class TestCheckSendRequest(EventsMixin, ConsentTestCase):
    def send(self, **kwargs):
        kwargs.setdefault("reason", Request.Reason.SCHOOL_YEAR)
        with self.captureOnCommitCallbacks(execute=True):
            return check_send_request(acting_user=self.world.director, school=self.world.school, **kwargs)

    def test_it_asks_every_guardian_of_the_school_and_publishes_one_event(self):
        request = self.send()
        [event] = self.events
        self.assertEqual(event.kind, "consent.requested")
        self.assertEqual(event.subject_id, request.public_id)
        expected = {
            self.world.parent.id,
            self.world.co_parent.id,
            self.world.class_parent.id,
            self.world.outsider.id,
        }
        self.assertEqual(set(event.recipient_ids), expected)
        self.assertEqual(event.url, "/privacy/")

    def test_at_enrolment_it_asks_only_the_new_childs_guardians(self):
        self.send(reason=Request.Reason.ENROLMENT, pupil=self.world.class_parent_child)
        self.assertEqual(self.events[0].recipient_ids, (self.world.class_parent.id,))
        self.assertEqual(pending_pupil_ids(self.world.class_parent), {self.world.class_parent_child.id})
        self.assertEqual(pending_pupil_ids(self.world.parent), set())

    def test_it_refuses_an_enrolment_request_without_a_pupil(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.send(reason=Request.Reason.ENROLMENT)
        self.assertFalse(Request.objects.exists())


class TestResponseRates(EventsMixin, ConsentTestCase):
    def test_it_counts_children_whose_every_guardian_answered_since_the_request(self):
        self.consent_all("class_parent_child", *Scope.values[:5])  # answered before: must answer again
        check_send_request(acting_user=self.world.director, school=self.world.school, reason="year")
        rates = {rate.group.name: rate for rate in response_rates(self.world.school)}
        self.assertEqual((rates["Groep 3"].answered, rates["Groep 3"].pupils), (0, 2))
        self.consent_all("class_parent_child", *Scope.values[:5])
        self.answer("parent", "child", True, *Scope.values[:5])
        rates = {rate.group.name: rate for rate in response_rates(self.world.school)}
        self.assertEqual(rates["Groep 3"].answered, 1)  # Daan's co-parent still owes an answer
        self.assertEqual(rates["Groep 3"].percent, 50)
        self.assertIn(self.world.child.id, pending_pupil_ids(self.world.co_parent))


class TestDoRemind(EventsMixin, ConsentTestCase):
    def test_it_reminds_only_those_who_have_not_answered(self):
        request = check_send_request(acting_user=self.world.director, school=self.world.school, reason="year")
        self.consent_all("child", *Scope.values[:5])
        with self.captureOnCommitCallbacks(execute=True):
            count = do_remind(acting_user=self.world.director, request=request)
        self.assertEqual(count, 3)  # Eva's parent (Sanne) still owes for Eva; Yasmin's and Lars's parents
        [event] = self.events
        self.assertTrue(event.data["reminder"])
        self.assertEqual(
            set(event.recipient_ids),
            {self.world.parent.id, self.world.class_parent.id, self.world.outsider.id},
        )
        request.refresh_from_db()
        self.assertIsNotNone(request.reminded_at)
