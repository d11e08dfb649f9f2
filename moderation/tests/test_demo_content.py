from django.test import TestCase, override_settings

from accounts.models import User
from core.viewer import verified
from demo.personas import PERSONAS
from demo.seed import seed_demo
from media.tests.helpers import empty_media_dirs
from moderation.models import Feedback, Report
from moderation.queries import moderated_reports, reports_by, schools_with_pending_rules


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        empty_media_dirs()
        seed_demo()

    def setUp(self):
        self.addCleanup(empty_media_dirs)

    def persona(self, name):
        return verified(User.objects.get(email=PERSONAS[name]))

    def test_everyone_has_accepted_the_rules(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                self.assertFalse(schools_with_pending_rules(self.persona(name)).exists())

    def test_the_teacher_and_director_have_open_reports_one_hidden(self):
        teacher_queue = moderated_reports(self.persona("teacher")).filter(status=Report.Status.OPEN)
        self.assertGreaterEqual(teacher_queue.count(), 2)
        director_queue = moderated_reports(self.persona("director")).filter(status=Report.Status.OPEN)
        self.assertGreaterEqual(director_queue.count(), 3)

    def test_the_parent_sees_one_report_being_looked_at_and_one_answered(self):
        mine = reports_by(self.persona("parent"))
        self.assertEqual(sorted(mine.values_list("status", flat=True)), ["closed", "open"])
        self.assertIn("De datum klopt", mine.get(status="closed").note)

    def test_the_director_has_tips(self):
        # Three signed ones of its own; the evaluation's demo answers (forms) add anonymous tips.
        self.assertEqual(Feedback.objects.filter(author__isnull=False).count(), 3)

    @override_settings(DEMO_MODE=True)
    def test_the_pages_show_it(self):
        self.client.get("/demo/login/director/")
        self.assertContains(self.client.get("/moderation/queue/"), 'data-testid="queue-report"')
