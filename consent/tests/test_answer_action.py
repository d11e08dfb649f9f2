from django.core.exceptions import ValidationError

from consent.models import Answer, AnswerChange, Scope
from consent.queries import consent_table, has_consent
from consent.tests.helpers import ConsentTestCase
from core.events import subscribe
from core.models import AuditEvent


class TestCheckAnswer(ConsentTestCase):
    def test_it_counts_no_answer_as_no(self):
        self.assertFalse(has_consent(self.world.child, self.purpose()))

    def test_it_needs_every_guardian_to_say_yes(self):
        self.answer("parent", "child", True)
        self.assertFalse(has_consent(self.world.child, self.purpose()))  # the co-parent has not answered
        self.answer("co_parent", "child", True)
        self.assertTrue(has_consent(self.world.child, self.purpose()))

    def test_it_lets_no_win_when_guardians_disagree(self):
        self.answer("parent", "child", True)
        self.answer("co_parent", "child", False)
        self.assertFalse(has_consent(self.world.child, self.purpose()))

    def test_it_keeps_the_history_with_who_when_old_and_new(self):
        self.answer("parent", "child", True)
        self.answer("parent", "child", True)  # a confirmation is no change
        self.answer("parent", "child", False)
        changes = list(AnswerChange.objects.filter(pupil=self.world.child).order_by("changed_at", "id"))
        self.assertEqual([(c.old, c.new) for c in changes], [(None, True), (True, False)])
        self.assertEqual({c.changed_by for c in changes}, {self.world.parent})
        self.assertEqual(Answer.objects.get(pupil=self.world.child, guardian=self.world.parent).given, False)
        self.assertEqual(AuditEvent.objects.filter(action="consent.answered").count(), 2)

    def test_it_refuses_someone_who_is_not_a_guardian(self):
        with self.assertRaises(ValidationError):
            self.answer("outsider", "child", True)
        self.assertFalse(Answer.objects.exists())

    def test_it_refuses_a_purpose_of_another_school(self):
        from consent.actions import check_answer, do_ensure_default_purposes

        other = do_ensure_default_purposes(school=self.world.other_school)[0]
        with self.assertRaises(ValidationError):
            check_answer(acting_user=self.world.parent, pupil=self.world.child, answers={other: True})

    def test_it_decides_many_children_and_purposes_in_two_queries(self):
        self.consent_all("child")
        class_id, school_id = self.purpose().id, self.purpose(Scope.SCHOOL).id
        with self.assertNumQueries(2):
            table = consent_table([self.world.child.id, self.world.sibling.id], [class_id, school_id])
        self.assertTrue(table[self.world.child.id, class_id])
        self.assertFalse(table[self.world.sibling.id, class_id])


class TestWithdrawal(ConsentTestCase):
    def setUp(self):
        super().setUp()
        self.events = []
        subscribe(self.events.append)
        from core.events import _subscribers

        self.addCleanup(_subscribers.remove, self.events.append)

    def test_it_withholds_tagged_photos_at_once_and_tells_the_author(self):
        self.consent_all("child")
        shown = self.fake_photo(tagged=["child"])
        other = self.fake_photo(tagged=["class_parent_child"])
        with self.captureOnCommitCallbacks(execute=True):
            self.answer("co_parent", "child", False)
        shown.refresh_from_db()
        other.refresh_from_db()
        self.assertIsNotNone(shown.withheld_at)
        self.assertIsNone(other.withheld_at)
        [event] = [e for e in self.events if e.kind == "consent.withheld"]
        self.assertEqual(event.recipient_ids, (self.world.teacher.id,))
        self.assertNotIn("Daan", event.title)

    def test_it_leaves_photos_in_an_audience_the_withdrawal_does_not_cover(self):
        self.consent_all("child")
        in_class = self.fake_photo(tagged=["child"])
        school_wide = self.fake_photo(self.world.wide, tagged=["child"])
        self.answer("parent", "child", False, Scope.SCHOOL)
        in_class.refresh_from_db()
        school_wide.refresh_from_db()
        self.assertIsNone(in_class.withheld_at)
        self.assertIsNotNone(school_wide.withheld_at)
