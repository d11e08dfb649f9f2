from core.testing import PersonaTestCase
from schools.models import ClassParent, Enrolment
from schools.tests.helpers import add_families


class TestGroupDetailView(PersonaTestCase):
    def url(self, group):
        return f"/groups/{group.public_id}/"

    def test_it_shows_a_parent_the_teachers_and_class_parent_but_no_members(self):
        self.login("parent")
        response = self.client.get(self.url(self.world.group3))
        self.assertContains(response, "Anna Jansen")
        self.assertContains(response, "Bram Smit")
        self.assertContains(response, 'data-testid="class-parent">Fatima El Amrani')
        self.assertNotContains(response, 'data-testid="member"')
        self.assertNotContains(response, "Yasmin")

    def test_it_shows_parents_the_directors_of_the_school_wide_group(self):
        self.login("outsider")
        response = self.client.get(self.url(self.world.wide))
        self.assertContains(response, 'data-testid="teacher">Marieke de Vries')
        self.assertNotContains(response, "Anna Jansen")
        self.assertNotContains(response, 'data-testid="staff"')

    def test_it_shows_a_teacher_the_pupils_and_their_guardians_without_status(self):
        self.login("teacher")
        response = self.client.get(self.url(self.world.group3))
        self.assertContains(response, 'data-testid="member"', count=2)
        self.assertContains(response, "Daan Mulder")
        self.assertContains(response, "Joost Mulder")
        self.assertNotContains(response, "data-status=")
        self.assertNotContains(response, "ouder@example.test")
        self.assertNotContains(response, 'name="person"')

    def test_it_shows_the_office_invitation_status_and_the_management_forms(self):
        self.login("office")
        response = self.client.get(self.url(self.world.group3))
        self.assertContains(response, 'data-status="not_invited"', count=3)
        self.assertContains(response, 'id="id_teacher"')
        self.assertContains(response, 'id="id_class_parent"')

    def test_it_shows_staff_the_team_in_the_school_wide_group(self):
        self.login("teacher")
        response = self.client.get(self.url(self.world.wide))
        self.assertContains(response, 'data-testid="staff"', count=5)

    def test_it_drops_a_class_parent_whose_child_left_the_class(self):
        Enrolment.objects.filter(pupil=self.world.class_parent_child).update(group=self.world.group4)
        self.assertTrue(ClassParent.objects.filter(group=self.world.group3).exists())
        response = self.login("parent").get(self.url(self.world.group3))
        self.assertNotContains(response, "Fatima")

    def test_it_is_not_found_for_a_parent_of_another_class(self):
        self.login("outsider")
        self.assertEqual(self.client.get(self.url(self.world.group3)).status_code, 404)

    def test_it_is_not_found_for_another_schools_parent_and_a_teacher_of_another_class(self):
        for persona in ("other_school_parent", "other_board_parent", "other_teacher"):
            response = self.client_for(persona).get(self.url(self.world.group3))
            self.assertEqual(response.status_code, 404, persona)

    def test_it_keeps_the_same_query_count_for_a_full_class(self):
        self.login("office")
        self.client.get(self.url(self.world.group3))  # warm the session and translations
        # The menu counts posts waiting for approval; the groups she reads and runs are resolved once per
        # request (core.viewer), a query each.
        with self.assertNumQueries(19) as small:
            self.client.get(self.url(self.world.group3))
        add_families(self.world, self.world.group3, 12)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(self.url(self.world.group3))
        self.assertContains(response, 'data-testid="member"', count=14)
