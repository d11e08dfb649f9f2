"""What each kind of question accepts, and the SUS score against worked examples."""

from django.test import SimpleTestCase
from django.utils import translation

from forms.answers import AnswerError, clean_answer, is_blank, sus_score


class CleanAnswerTest(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_it_asks_a_reason_for_no(self):
        self.assertEqual(clean_answer("yes_no", [], {"yes": True}), {"yes": True})
        with self.assertRaisesMessage(AnswerError, "reason"):
            clean_answer("yes_no", [], {"yes": False, "reason": "  "})
        self.assertEqual(
            clean_answer("yes_no", [], {"yes": "no", "reason": "Bang voor water"}),
            {"yes": False, "reason": "Bang voor water"},
        )

    def test_it_refuses_a_choice_not_offered(self):
        self.assertEqual(clean_answer("choice", ["di", "do"], "do"), {"choice": "do"})
        with self.assertRaises(AnswerError):
            clean_answer("choice", ["di", "do"], "vr")
        with self.assertRaises(AnswerError):
            clean_answer("choices", ["di", "do"], ["di", "za"])
        self.assertEqual(clean_answer("choices", ["di", "do"], ["do", "di"]), {"choices": ["di", "do"]})

    def test_it_reads_numbers_dates_scales_and_signatures(self):
        self.assertEqual(clean_answer("number", [], "2,50"), {"number": "2.50"})
        self.assertEqual(clean_answer("number", [], "3"), {"number": "3"})
        for bad in ("drie", "NaN", "1e12"):
            with self.assertRaises(AnswerError):
                clean_answer("number", [], bad)
        self.assertEqual(clean_answer("date", [], "2026-05-14"), {"date": "2026-05-14"})
        with self.assertRaises(AnswerError):
            clean_answer("date", [], "14-05")
        with self.assertRaises(AnswerError):
            clean_answer("scale", [], "6")
        with self.assertRaises(AnswerError):
            clean_answer("signature", [], {"name": "Sanne Mulder"})
        self.assertEqual(
            clean_answer("signature", [], {"name": "Sanne Mulder", "confirmed": "on"}),
            {"name": "Sanne Mulder", "confirmed": True},
        )

    def test_it_sees_blank_input(self):
        self.assertTrue(is_blank(""))
        self.assertTrue(is_blank([]))
        self.assertTrue(is_blank({"name": "", "confirmed": True}))
        self.assertFalse(is_blank({"yes": False}))


class SusScoreTest(SimpleTestCase):
    def test_it_scores_the_worked_example(self):
        # Odd items 4,4,5,4,4 (sum 21) and even items 2,1,2,2,2 (sum 9):
        # ((21 - 5) + (25 - 9)) * 2.5 = (16 + 16) * 2.5 = 80.
        items = {1: 4, 2: 2, 3: 4, 4: 1, 5: 5, 6: 2, 7: 4, 8: 2, 9: 4, 10: 2}
        self.assertEqual(sus_score(items), 80.0)

    def test_it_spans_0_to_100_and_needs_all_ten(self):
        self.assertEqual(sus_score({n: (5 if n % 2 else 1) for n in range(1, 11)}), 100.0)
        self.assertEqual(sus_score({n: (1 if n % 2 else 5) for n in range(1, 11)}), 0.0)
        self.assertEqual(sus_score({n: 3 for n in range(1, 11)}), 50.0)
        self.assertIsNone(sus_score({n: 3 for n in range(1, 10)}))
