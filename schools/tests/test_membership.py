"""Membership is derived: children's current classes plus their schools' school-wide groups."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import PersonaTestCase, enrol
from core.viewer import request_memo
from moderation.actions import check_suspend
from schools.models import Enrolment
from schools.queries import (
    current_school_years,
    groups_followed_by,
    groups_staffed_by,
    groups_visible_to,
    past_classes,
    pupils_visible_to,
)


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


class TestMembershipWithinARequest(PersonaTestCase):
    """A reading request resolves the viewer's groups once (core.viewer.request_memo), from SQL compiled
    once (core.compiled); the answers are the owners' own, and the next request asks the database again."""

    def verified(self, persona):
        user = getattr(self.world, persona)
        user.is_verified = lambda: True
        return user

    def test_it_gives_the_same_groups_as_the_lazy_owners(self):
        viewers = [self.world.parent, self.world.outsider, self.world.teacher]
        viewers += [self.verified(persona) for persona in ("director", "office", "teacher")]
        for viewer in viewers:
            for owner in (groups_visible_to, groups_followed_by, groups_staffed_by):
                expected = names(owner(viewer))
                with request_memo():
                    self.assertEqual(names(owner(viewer)), expected, (viewer.email, owner.__name__))
        years = set(current_school_years())
        self.assertIn(self.world.year, years)
        with request_memo():
            self.assertEqual(set(current_school_years()), years)

    def test_it_asks_the_membership_once_per_request(self):
        parent = self.world.parent
        with request_memo(), CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                list(groups_visible_to(parent))
                list(groups_followed_by(parent))
        self.assertEqual(sum("schools_enrolment" in query["sql"] for query in queries), 1)

    def test_the_next_request_sees_a_move_and_a_suspension(self):
        outsider = self.world.outsider
        with request_memo():
            self.assertEqual(names(groups_visible_to(outsider)), {"Groep 4", "De Schakel"})
        Enrolment.objects.filter(pupil=self.world.outsider_child).update(group=self.world.group6)
        with request_memo():
            self.assertEqual(names(groups_visible_to(outsider)), {"Groep 6", "De Schakel"})
        check_suspend(acting_user=self.world.director, school=self.world.school, user=outsider)
        with request_memo():
            self.assertEqual(names(groups_visible_to(outsider)), set())

    def test_postgresql_plans_the_membership_once_per_connection(self):
        if connection.vendor != "postgresql":
            self.skipTest("prepared statements are PostgreSQL's; SQLite runs the same SQL unprepared")
        parent = self.world.parent
        for _ in range(2):
            with request_memo():
                self.assertEqual(names(groups_visible_to(parent)), {"Groep 3", "Groep 6", "De Schakel"})
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        self.assertEqual(sum("schools_enrolment" in statement for statement in prepared), 1, prepared)
        # A move still counts on the next request: the statement is prepared, its answer is not kept.
        Enrolment.objects.filter(pupil=self.world.outsider_child).update(group=self.world.group6)
        with request_memo():
            self.assertEqual(names(groups_visible_to(self.world.outsider)), {"Groep 6", "De Schakel"})


class TestPupilsVisibleTo(PersonaTestCase):
    def test_it_shows_a_teacher_the_pupils_of_their_class(self):
        teacher = self.world.teacher
        teacher.is_verified = lambda: True
        assert {p.first_name for p in pupils_visible_to(teacher)} == {"Daan", "Yasmin"}

    def test_it_shows_a_parent_only_their_children(self):
        assert {p.first_name for p in pupils_visible_to(self.world.parent)} == {"Daan", "Eva"}
