from django.test import TestCase

from core.clock import school_today
from demo.personas import access_persona
from demo.seed import seed_demo
from forms.models import Form
from forms.queries import children_list, get_results, open_forms_for
from moderation.models import Feedback


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=school_today())

    def test_the_parent_has_forms_to_answer_on_the_home_page(self):
        forms = open_forms_for(access_persona("parent"))
        self.assertGreaterEqual(len(forms), 2)
        self.assertFalse(forms[0].answered)

    def test_the_teacher_sees_a_permission_slip_half_answered(self):
        slip = Form.objects.get(title="Excursie naar Naturalis")
        statuses = {row.status for row in children_list(slip)}
        self.assertTrue({"yes", "open"} <= statuses)

    def test_the_director_sees_the_evaluation_with_a_sus_score_and_tips(self):
        evaluation = Form.objects.get(is_evaluation=True)
        results = get_results(evaluation)
        self.assertTrue(results.shown)
        self.assertGreater(results.sus, 60)
        self.assertTrue(Feedback.objects.filter(author=None, text__contains="gymles").exists())
