from accounts.models import Invitation, User
from core.models import AuditEvent
from core.testing import PersonaTestCase
from schools.models import StaffRole, TeachingAssignment
from schools.tests.helpers import admin_url


class TestAdminStaffView(PersonaTestCase):
    def url(self):
        return admin_url(self.world, "staff/")

    def person(self, role, email="nina@schakel.test"):
        return {"email": email, "first_name": "Nina", "last_name": "Bos", "role": role}

    def test_it_lists_the_staff_roles(self):
        response = self.login("office").get(self.url())
        self.assertContains(response, 'data-testid="staff-role"', count=5)
        self.assertNotContains(response, 'value="director"')  # office cannot make directors

    def test_it_adds_a_teacher_with_a_new_account_and_invites_them(self):
        self.login("office")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url(), self.person("teacher"))
        self.assertRedirects(response, self.url())
        user = User.objects.get(email="nina@schakel.test")
        self.assertTrue(
            StaffRole.objects.filter(user=user, role="teacher", school=self.world.school).exists()
        )
        self.assertTrue(Invitation.objects.filter(user=user).exists())
        self.assertTrue(AuditEvent.objects.filter(action="staff_role.created").exists())

    def test_it_gives_a_parent_a_staff_role_on_their_own_account(self):
        self.login("office")
        self.client.post(self.url(), self.person("office", email="Ouder@Example.test"))
        self.assertTrue(StaffRole.objects.filter(user=self.world.parent, role="office").exists())

    def test_it_lets_only_a_director_add_a_director(self):
        self.login("office")
        response = self.client.post(self.url(), self.person("director"))
        self.assertTrue(response.context["form"].errors["role"])
        self.login("director")
        self.client.post(self.url(), self.person("director"))
        self.assertEqual(StaffRole.objects.filter(role="director", school=self.world.school).count(), 2)

    def test_it_refuses_a_duplicate_role_and_a_malformed_email(self):
        self.login("office")
        response = self.client.post(self.url(), self.person("teacher", email="anna@schakel.test"))
        self.assertContains(response, "heeft al de rol")
        response = self.client.post(self.url(), self.person("teacher", email="anna@@schakel"))
        self.assertTrue(response.context["form"].errors["email"])
        self.assertEqual(StaffRole.objects.filter(school=self.world.school).count(), 5)

    def test_it_is_not_found_for_a_teacher(self):
        self.assertEqual(self.client_for("teacher").get(self.url()).status_code, 404)


class TestAdminStaffRemoveView(PersonaTestCase):
    def url(self, user):
        return admin_url(self.world, f"staff/{user.staff_roles.get().public_id}/remove/")

    def test_it_removes_a_teacher_role_and_their_classes(self):
        self.login("office").post(self.url(self.world.duo_teacher))
        self.assertFalse(StaffRole.objects.filter(user=self.world.duo_teacher).exists())
        self.assertFalse(TeachingAssignment.objects.filter(teacher=self.world.duo_teacher).exists())
        self.assertTrue(AuditEvent.objects.filter(action="staff_role.removed").exists())

    def test_it_lets_only_a_director_remove_a_director_and_never_the_last(self):
        response = self.login("office").post(self.url(self.world.director), follow=True)
        self.assertContains(response, "Alleen een directeur")
        response = self.login("director").post(self.url(self.world.director), follow=True)
        self.assertContains(response, "minstens één directeur")
        self.assertTrue(StaffRole.objects.filter(user=self.world.director).exists())

    def test_it_is_not_found_for_a_teacher(self):
        response = self.client_for("teacher").post(self.url(self.world.duo_teacher))
        self.assertEqual(response.status_code, 404)
