from django.test import TestCase
from django.utils import timezone

from conferences.models import Answer, Phase, Round, Talk
from core.clock import school_today
from demo.personas import access_persona
from demo.seed import seed_demo


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=school_today())

    def test_it_has_an_open_round_taking_preferences_and_a_published_one_from_last_term(self):
        rounds = {r.name: r for r in Round.objects.all()}
        now = timezone.now()
        assert rounds["Rapportgesprekken"].phase_at(now) == Phase.PREFERENCES
        assert Answer.objects.filter(round=rounds["Rapportgesprekken"]).count() > 50
        old = rounds["Startgesprekken"]
        assert old.phase_at(now) == Phase.CLOSED and old.published_at is not None
        report = old.plan_runs.get().report
        assert report["talks_placed"] == report["talks"] > 150
        assert report["siblings_back_to_back"] == report["sibling_families"] > 0

    def test_the_demo_parent_can_still_answer_and_sees_last_terms_times(self):
        parent = access_persona("parent")
        assert not Answer.objects.filter(guardian=parent, round__name="Rapportgesprekken").exists()
        assert Talk.objects.filter(guardians=parent, round__name="Startgesprekken").exists()
