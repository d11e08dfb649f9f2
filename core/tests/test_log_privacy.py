"""The log check itself: it finds what it must, ignores what it may, and knows every persona."""

import logging

from accounts.models import User
from core.log_privacy import HANDLER, PERSONA_NAMES, offending_text
from core.testing import PersonaTestCase
from schools.models import Pupil


class TestOffendingText(PersonaTestCase):
    def test_it_finds_an_email_address_and_a_name(self):
        self.assertEqual(offending_text("delivery to ouder@example.test failed"), "ouder@example.test")
        self.assertEqual(offending_text("tagged Daan Mulder"), "Daan Mulder")
        self.assertEqual(offending_text("Sanne Verhoeven signed in"), "Sanne Verhoeven")

    def test_it_leaves_public_ids_paths_and_the_platforms_own_address_alone(self):
        self.assertIsNone(offending_text("Not Found: /privacy/media/k3J9aQ2mZ8x1/"))
        self.assertIsNone(offending_text("sent from noreply@schoolplein.example"))
        self.assertIsNone(offending_text("Evaluation of Daantje-like words: Daanish"))

    def test_every_person_of_the_persona_world_is_looked_for(self):
        people = [user.full_name for user in User.objects.all()]
        people += [pupil.full_name for pupil in Pupil.objects.all()]
        self.assertEqual(sorted(set(people) - set(PERSONA_NAMES)), [])

    def test_a_record_naming_a_person_is_caught_and_blamed_on_this_test(self):
        logging.getLogger("schoolplein.example").warning("could not reach %s", self.world.parent.email)
        caught, HANDLER.offenders[:] = list(HANDLER.offenders), []  # taken away, so this test passes
        [(name, level, found, _text)] = caught
        self.assertEqual((name, level, found), ("schoolplein.example", "WARNING", "ouder@example.test"))

    def test_a_debug_record_is_read_too(self):
        logging.getLogger("consent.example").debug("answer by %s", self.world.co_parent.full_name)
        caught, HANDLER.offenders[:] = list(HANDLER.offenders), []
        self.assertEqual([found for _n, _l, found, _t in caught], ["Joost Mulder"])
