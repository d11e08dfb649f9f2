"""Screening judges sentences: hostile remarks on a group, threats, sexual remarks without a listed word."""

from django.test import SimpleTestCase
from django.urls import reverse

from moderation import evaluation
from moderation.models import Report
from moderation.screening import screen
from posts.tests.helpers import PostsTestCase

BENIGN_TRICKY = [
    "Wij gaan op buitenlandse reis, mag Noor een dag eerder vrij?",
    "Komt de zwarte piet discussie nog terug op de ouderavond?",
    "Ik schiet even naar de winkel voor de traktatie.",
    "Die kinderen horen bij groep 5, niet bij groep 6.",
    "Moslim feestdag Suikerfeest vrij?",
    "Ik vermoord je bijna van het lachen met die foto's!",
    "Waar is de gehandicaptenparkeerplaats?",
    "De kinderen leren over het menselijk lichaam: de borst, de buik en de billen.",
    "Buitenlanders zijn welkom op onze open dag.",
    "Moslims zijn niet gevaarlijk, dat leren we juist in deze les.",
    "Pas op, de stoep is glad!",
    "Ik weet waar je de gymspullen kunt vinden.",
    "Ik kom je straks halen bij het hek.",
    "Hij werd uitgescholden voor neger op het plein, wat doet de school?",
    "Lekker weer voor het sportfeest.",
    "I'll get you the forms tomorrow.",
    "Those children belong in group 5.",
]


class TestSentences(SimpleTestCase):
    def test_it_holds_the_hostile_sentence_of_the_bug_as_discrimination(self):
        result = screen("Die buitenlanders horen niet in onze klas.", school=None)
        self.assertTrue(result.held)
        self.assertEqual(result.categories, ["discrimination"])

    def test_it_holds_threats_and_sexual_remarks_without_a_listed_word(self):
        for text, category in [
            ("Pas maar op juf.", "threats"),
            ("I know where your children go to school.", "threats"),
            ("Juf heeft een lekker kontje.", "sexual"),
            ("Homo's zijn een ziekte.", "discrimination"),
            ("Refugees are animals.", "discrimination"),
        ]:
            with self.subTest(text=text):
                self.assertIn(category, screen(text, school=None).categories)

    def test_it_does_not_hold_ordinary_school_talk_with_tricky_words(self):
        for text in BENIGN_TRICKY:
            with self.subTest(text=text):
                self.assertEqual(screen(text, school=None).categories, [])

    def test_it_keeps_swearing_from_the_lists_beside_the_sentence_rules(self):
        self.assertEqual(
            screen("Die kut buitenlanders horen hier niet", school=None).categories,
            ["swearing", "discrimination"],
        )


class TestCorpusFigures(SimpleTestCase):
    """A regression in the rules fails here: precision and recall on the labelled table meet the targets."""

    def assert_targets(self, rows):
        figures = evaluation.figures_of(rows)
        detail = f"{figures}; misses: {evaluation.misses(rows)}"
        self.assertGreaterEqual(figures.precision, evaluation.TARGET_PRECISION, detail)
        self.assertGreaterEqual(figures.recall, evaluation.TARGET_RECALL, detail)
        self.assertEqual(figures.wrong_rule, 0, detail)

    def test_the_table_has_both_halves_and_a_held_out_part(self):
        rows = evaluation.read_corpus()
        labels = [row["label"] for row in rows]
        self.assertGreaterEqual(len(rows), 300)
        self.assertGreaterEqual(labels.count("benign"), 140)
        self.assertGreaterEqual(labels.count("hostile"), 140)
        self.assertEqual(len(evaluation.held_out(rows)), len(rows) // 4)

    def test_the_held_out_part_meets_the_targets(self):
        self.assert_targets(evaluation.held_out(evaluation.read_corpus()))

    def test_the_whole_table_meets_the_targets(self):
        self.assert_targets(evaluation.read_corpus())


class TestHeldCommentShowsTheRule(PostsTestCase):
    def test_the_bug_comment_is_held_and_its_author_sees_the_rule(self):
        from posts.comment_actions import check_comment
        from posts.models import GroupTimelineSettings

        GroupTimelineSettings.objects.create(group=self.world.group3, comments_enabled=True)
        walk = self.post(title="Herfstwandeling")
        with self.captureOnCommitCallbacks(execute=True):
            check_comment(
                acting_user=self.world.parent, post=walk, body="Die buitenlanders horen niet in onze klas."
            )
        report = Report.objects.get()
        self.assertEqual((report.reason, report.text), ("screening", "discrimination"))
        detail = reverse("posts:post_detail", args=[walk.public_id])
        self.assertNotContains(self.login("class_parent").get(detail), "buitenlanders")
        author_page = self.login("parent").get(detail)
        self.assertContains(author_page, 'data-testid="held-rule"')
        self.assertContains(author_page, "Discriminatie")
