from django.test import TestCase

from core.clock import school_today
from demo.seed import seed_demo
from translation.models import GlossaryTerm, SchoolTranslation


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=school_today())

    def test_it_gives_de_schakel_a_glossary_and_leaves_the_engine_off(self):
        terms = set(GlossaryTerm.objects.filter(school__name="De Schakel").values_list("term", flat=True))
        self.assertEqual(terms, {"studiedag", "ouderbijdrage", "luizencontrole", "groep 8", "Cito"})
        self.assertEqual(GlossaryTerm.objects.filter(term="studiedag").count(), 5)
        self.assertFalse(SchoolTranslation.objects.exclude(engine="off").exists())
