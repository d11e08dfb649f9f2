from django.test import SimpleTestCase

from core.testing import PersonaTestCase
from moderation import actions
from moderation.screening import screen

# (text, categories that must hold it); an empty list means it must NOT be held.
HELD = [
    # Dutch
    ("Wat een kutschool is dit", ["swearing"]),
    ("Jij bent een K-U-T wijf", ["swearing"]),
    ("k u t", ["swearing"]),
    ("KUUUUUT", ["swearing"]),
    ("Kankerlijer!", ["swearing"]),
    ("k4nk3rl1jer", ["swearing"]),
    ("K.A.N.K.E.R.L.I.J.E.R", ["swearing"]),
    ("kanker op met je regels", ["swearing"]),
    ("wat een klootz ak", ["swearing"]),
    ("tyfuslijer", ["swearing"]),
    ("Godverdomme, alweer te laat", ["swearing"]),
    ("Ik maak je dood", ["threats"]),
    ("ik weet waar je woont", ["threats"]),
    ("Ik sla je in elkaar", ["threats"]),
    ("vuile neger", ["discrimination"]),
    ("kutmarokkaan", ["swearing", "discrimination"]),
    ("Terug naar je eigen land!", ["discrimination"]),
    ("wat een lekker ding is die juf", ["sexual"]),
    ("n3uk3n", ["sexual"]),
    ("stuur naaktfoto's", ["sexual"]),
    # English
    ("This is fucking ridiculous", ["swearing"]),
    ("f*ck this", ["swearing"]),
    ("sh1t", ["swearing"]),
    ("$hit happens", ["swearing"]),
    ("what a b!tch", ["swearing"]),
    ("I will kill you", ["threats"]),
    ("I know where you live.", ["threats"]),
    ("niiiiggger", ["discrimination"]),
    ("go back to your country", ["discrimination"]),
    ("send nudes", ["sexual"]),
    ("P O R N", ["sexual"]),
    # Several at once
    ("fucking kankerhomo, ik maak je af", ["swearing", "discrimination", "threats"]),
]

NOT_HELD = [
    # Dutch: illnesses, everyday words that contain or resemble a listed word
    "Mijn moeder heeft kanker, Daan is daarom wat stiller.",
    "Sponsorloop voor het kankeronderzoek: loopt u mee?",
    "Kanker-onderzoek en KWF-collecte",
    "De kinderen zoeken eikels en kastanjes in het bos.",
    "Hoera, de juf is jarig!",
    "Wilt u de kleertjes van de verkleedkist wassen?",
    "Groep 3 gaat naar de kinderboerderij; de kip pikt graag brood.",
    "Wacht maar tot morgen, dan hoort u meer.",
    "Ik kom je om 3 uur halen bij de poort.",
    "De potten met verf staan in de gang.",
    "Ik sla je tas wel even over, juf.",
    "Ik pak je jas wel even.",
    "In de klassen hangen nieuwe posters.",
    "De Mongolen kwamen in de geschiedenisles aan bod.",
    "Wat een geweldige schoolreis, dank jullie wel!",
    "shiitake en andere paddenstoelen",
    # English: the Scunthorpe family
    "We drove through Scunthorpe and Essex.",
    "Niger is a country in West Africa.",
    "Dick Advocaat coached the team.",
    "The assistant passed the class assessment.",
    "The cockpit of the plane and a fruit cocktail.",
    "Thank you for the lovely photos!",
    "I'll get you a coffee at the parents' evening.",
    "",
    "   ",
]


class TestScreen(SimpleTestCase):
    def test_it_holds_every_phrase_on_the_must_hold_table(self):
        for text, categories in HELD:
            with self.subTest(text=text):
                result = screen(text, school=None)
                self.assertTrue(result.held)
                self.assertEqual(result.categories, categories)

    def test_it_never_holds_a_phrase_on_the_must_not_hold_table(self):
        for text in NOT_HELD:
            with self.subTest(text=text):
                self.assertEqual(screen(text, school=None).categories, [])
                self.assertFalse(screen(text, school=None).held)


class TestScreenWithSchoolTerms(PersonaTestCase):
    def test_it_holds_a_word_the_school_added_with_its_own_category(self):
        self.assertFalse(screen("Wat een sukkel", school=self.world.school).held)
        actions.check_add_term(
            acting_user=self.world.director, school=self.world.school, term="Sukkel", category="swearing"
        )
        result = screen("Wat een SUKKEL", school=self.world.school)
        self.assertEqual(result.categories, ["swearing"])
        self.assertFalse(screen("Wat een sukkel", school=self.world.other_school).held)

    def test_it_holds_compounds_of_a_school_term_with_a_star(self):
        actions.check_add_term(
            acting_user=self.world.director, school=self.world.school, term="sukkel*", category="swearing"
        )
        self.assertTrue(screen("sukkelaar", school=self.world.school).held)

    def test_it_reads_the_school_terms_in_one_query(self):
        with self.assertNumQueries(1):
            screen("Hallo juf", school=self.world.school)
