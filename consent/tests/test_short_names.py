"""The picker's names: first name and the initial of the surname, the full name where two would read alike."""

from types import SimpleNamespace

from django.test import SimpleTestCase

from consent.queries import short_name, with_short_names


def pupil(first: str, last: str):
    return SimpleNamespace(first_name=first, last_name=last, full_name=f"{first} {last}")


class TestShortNames(SimpleTestCase):
    def test_it_takes_the_initial_of_the_surname_without_its_prefix(self):
        self.assertEqual(short_name(pupil("Daan", "Mulder")), "Daan M.")
        self.assertEqual(short_name(pupil("Sem", "van Dijk")), "Sem D.")
        self.assertEqual(short_name(pupil("Yasmin", "El Amrani")), "Yasmin E.")
        self.assertEqual(short_name(pupil("Noor", "")), "Noor")

    def test_two_children_who_would_read_alike_keep_their_full_names(self):
        named = with_short_names(
            [pupil("Emma", "de Vries"), pupil("Emma", "Visser"), pupil("Daan", "Mulder")]
        )
        self.assertEqual([p.label for p in named], ["Emma de Vries", "Emma Visser", "Daan M."])
