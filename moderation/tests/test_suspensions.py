from django.test import Client
from django.urls import reverse

from accounts.actions import check_create_api_token
from core.models import AuditEvent
from core.testing import make_child
from moderation import actions
from moderation.models import Suspension
from moderation.testing import accept_all_rules
from moderation.tests.helpers import ModerationTestCase
from schools.queries import groups_visible_to


class TestSuspend(ModerationTestCase):
    def test_it_closes_one_school_and_leaves_the_other_school_open(self):
        parent = self.world.parent
        # The parent also has a child at De Regenboog, the other school of the same board.
        make_child(self.world.other_school, self.world.other_school_group, "Mila", "Mulder", parent)
        accept_all_rules()
        browser = self.client_for("parent")
        _token, secret = check_create_api_token(acting_user=parent, name="telefoon")
        api = Client(headers={"Authorization": f"Bearer {secret}"})
        schakel = {self.world.wide.public_id, self.world.group3.public_id, self.world.group6.public_id}
        regenboog = {self.world.other_wide.public_id, self.world.other_school_group.public_id}

        def group_ids(client) -> set[str]:
            return {group["public_id"] for group in client.get("/api/v1/groups").json()}

        self.assertEqual(group_ids(api), schakel | regenboog)
        suspension = actions.check_suspend(
            acting_user=self.world.director, school=self.world.school, user=parent
        )
        self.assertEqual(group_ids(api), regenboog)
        self.assertEqual(group_ids(browser), regenboog)
        self.assertEqual(browser.get(f"/groups/{self.world.group3.public_id}/").status_code, 404)
        self.assertEqual(browser.get(f"/groups/{self.world.other_school_group.public_id}/").status_code, 200)
        self.assertEqual(set(groups_visible_to(parent).values_list("public_id", flat=True)), regenboog)
        parent.refresh_from_db()
        self.assertTrue(parent.is_active)  # still signs in, for the other school
        self.assertEqual(browser.get("/").status_code, 200)
        # The co-parent of the same child is not suspended.
        self.assertIn(self.world.group3, groups_visible_to(self.world.co_parent))

        actions.do_lift_suspension(acting_user=self.world.director, suspension=suspension)
        self.assertEqual(group_ids(api), schakel | regenboog)
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
        suspension = Suspension.objects.get(lifted_at__isnull=True)
        self.assertNotIn(self.world.group3, groups_visible_to(self.world.parent))
        lift = reverse("moderation:suspension_lift", args=[self.world.school.public_id, suspension.public_id])
        self.client.post(lift)
        self.assertIn(self.world.group3, groups_visible_to(self.world.parent))

    def test_it_does_not_find_parents_of_another_school(self):
        response = self.login("director").post(self.url(), {"email": "regenboog@example.test"})
        self.assertContains(response, "Geen ouder van deze school")
        self.assertFalse(Suspension.objects.exists())

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
