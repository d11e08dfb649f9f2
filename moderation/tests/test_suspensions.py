from django.test import Client
from django.urls import reverse

from accounts.actions import check_create_api_token
from accounts.models import UserSession
from core.models import AuditEvent
from core.testing import PASSWORD
from moderation import actions
from moderation.models import Suspension
from moderation.tests.helpers import ModerationTestCase


class TestSuspend(ModerationTestCase):
    def test_access_ends_at_once_everywhere_and_comes_back_when_lifted(self):
        parent = self.world.parent
        browser = Client()
        browser.post(reverse("accounts:login"), {"email": parent.email, "password": PASSWORD})
        _token, secret = check_create_api_token(acting_user=parent, name="telefoon")
        self.assertEqual(browser.get("/").status_code, 200)

        suspension = actions.check_suspend(
            acting_user=self.world.director, school=self.world.school, user=parent
        )
        self.assertFalse(UserSession.objects.filter(user=parent).exists())
        self.assertEqual(browser.get("/").status_code, 302)
        api = Client(headers={"Authorization": f"Bearer {secret}"})
        self.assertEqual(api.get("/api/v1/me").status_code, 401)
        refused = Client().post(reverse("accounts:login"), {"email": parent.email, "password": PASSWORD})
        self.assertEqual(refused.status_code, 200)

        actions.do_lift_suspension(acting_user=self.world.director, suspension=suspension)
        again = Client()
        self.assertEqual(
            again.post(reverse("accounts:login"), {"email": parent.email, "password": PASSWORD}).status_code,
            302,
        )
        actions_seen = set(
            AuditEvent.objects.filter(school=self.world.school).values_list("action", flat=True)
        )
        self.assertTrue({"account.suspended", "account.unsuspended"} <= actions_seen)

    def test_it_refuses_staff_and_a_second_suspension(self):
        with self.assertRaises(actions.ModerationError):
            actions.check_suspend(
                acting_user=self.world.director, school=self.world.school, user=self.world.teacher
            )
        actions.check_suspend(
            acting_user=self.world.director, school=self.world.school, user=self.world.parent
        )
        with self.assertRaises(actions.ModerationError):
            actions.check_suspend(
                acting_user=self.world.director, school=self.world.school, user=self.world.parent
            )


class TestSuspensionsView(ModerationTestCase):
    def url(self):
        return reverse("moderation:suspensions", args=[self.world.school.public_id])

    def test_the_director_suspends_by_email_and_lifts(self):
        self.login("director")
        response = self.client.post(
            self.url(), {"email": "OUDER@example.test", "reason": "Bedreigingen"}, follow=True
        )
        self.assertContains(response, 'data-testid="suspension"')
        self.world.parent.refresh_from_db()
        self.assertFalse(self.world.parent.is_active)
        suspension = Suspension.objects.get()
        lift = reverse("moderation:suspension_lift", args=[self.world.school.public_id, suspension.public_id])
        self.client.post(lift)
        self.world.parent.refresh_from_db()
        self.assertTrue(self.world.parent.is_active)

    def test_it_does_not_find_parents_of_another_school(self):
        response = self.login("director").post(self.url(), {"email": "regenboog@example.test"})
        self.assertContains(response, "Geen ouder van deze school")
        self.world.other_school_parent.refresh_from_db()
        self.assertTrue(self.world.other_school_parent.is_active)

    def test_it_answers_404_to_everyone_but_the_director(self):
        for persona in ["office", "teacher", "parent", "other_school_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(self.url()).status_code, 404)


class TestSuspensionsApi(ModerationTestCase):
    def test_it_suspends_lists_and_lifts(self):
        client = self.login("director")
        base = f"/api/v1/moderation/schools/{self.world.school.public_id}/suspensions"
        made = client.post(base, {"email": "buiten@example.test"}, content_type="application/json")
        self.assertEqual(made.status_code, 201)
        self.assertEqual([s["email"] for s in client.get(base).json()], ["buiten@example.test"])
        self.assertEqual(client.post(f"{base}/{made.json()['id']}/lift").status_code, 204)
        self.assertEqual(client.get(base).json(), [])
        missing = client.post(base, {"email": "regenboog@example.test"}, content_type="application/json")
        self.assertEqual(missing.status_code, 404)
