"""Membership is derived: children's current classes plus their schools' school-wide groups."""

from core.testing import PersonaTestCase, enrol
from schools.models import Enrolment
from schools.queries import groups_followed_by, groups_visible_to, past_classes, pupils_visible_to


def names(groups) -> set[str]:
    return {g.name for g in groups}


class TestGroupsVisibleTo(PersonaTestCase):
    def verified(self, persona):
        user = getattr(self.world, persona)
        user.is_verified = lambda: True
        return user

    def test_it_gives_a_parent_the_classes_of_their_children_and_the_school(self):
        assert names(groups_visible_to(self.world.parent)) == {"Groep 3", "Groep 6", "De Schakel"}

    def test_it_gives_an_outsider_only_their_own_class(self):
        assert names(groups_visible_to(self.world.outsider)) == {"Groep 4", "De Schakel"}

    def test_it_keeps_other_schools_apart(self):
        assert names(groups_visible_to(self.world.other_school_parent)) == {"Groep 5", "De Regenboog"}
        assert names(groups_visible_to(self.world.other_board_parent)) == {"Groep 7", "Het Anker"}

    def test_it_gives_teachers_their_classes_only_after_two_factor(self):
        assert names(groups_visible_to(self.world.teacher)) == set()
        assert names(groups_visible_to(self.verified("teacher"))) == {"Groep 3", "De Schakel"}

    def test_it_gives_director_and_office_every_current_class(self):
        expected = {"Groep 3", "Groep 4", "Groep 6", "De Schakel"}
        assert names(groups_followed_by(self.verified("director"))) == expected
        assert names(groups_followed_by(self.verified("office"))) == expected

    def test_it_keeps_earlier_years_classes_for_staff_to_read_and_read_only(self):
        last_year = {"Groep 2"}  # the world's class of the year before
        for persona in ("director", "office"):
            assert (
                names(groups_visible_to(self.verified(persona)))
                == {"Groep 3", "Groep 4", "Groep 6", "De Schakel"} | last_year
            )
        assert names(groups_visible_to(self.verified("teacher"))) == {"Groep 3", "De Schakel"}
        assert names(past_classes().filter(school=self.world.school)) == last_year
        assert names(groups_visible_to(self.world.parent)) & last_year == set()

    def test_it_moves_access_at_once_when_a_pupil_moves_class(self):
        Enrolment.objects.filter(pupil=self.world.outsider_child).update(group=self.world.group6)
        assert names(groups_visible_to(self.world.outsider)) == {"Groep 6", "De Schakel"}

    def test_it_ignores_last_years_classes(self):
        Enrolment.objects.filter(pupil=self.world.outsider_child).delete()
        enrol(self.world.outsider_child, self.world.old_group)
        assert names(groups_visible_to(self.world.outsider)) == set()

    def test_it_answers_in_one_query(self):
        with self.assertNumQueries(1):
            list(groups_visible_to(self.verified("director")))


class TestPupilsVisibleTo(PersonaTestCase):
    def test_it_shows_a_teacher_the_pupils_of_their_class(self):
        teacher = self.world.teacher
        teacher.is_verified = lambda: True
        assert {p.first_name for p in pupils_visible_to(teacher)} == {"Daan", "Yasmin"}

    def test_it_shows_a_parent_only_their_children(self):
        assert {p.first_name for p in pupils_visible_to(self.world.parent)} == {"Daan", "Eva"}
