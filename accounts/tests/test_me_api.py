from accounts.models import User
from accounts.tests.helpers import log_in
from core.testing import PersonaTestCase


class TestMeApi(PersonaTestCase):
    def test_it_describes_me_with_my_roles_per_school(self):
        self.login("class_parent")
        body = self.client.get("/api/v1/me").json()
        self.assertEqual(body["email"], "klassenouder@example.test")
        self.assertEqual(body["first_name"], "Fatima")
        self.assertEqual(
            body["roles"],
            [
                {
                    "school_id": self.world.school.public_id,
                    "school_name": "De Schakel",
                    "roles": ["guardian", "class_parent"],
                }
            ],
        )
        self.assertFalse(body["is_two_factor_verified"])

    def test_it_shows_staff_roles_and_verification(self):
        log_in(self.client, "directie@schakel.test")
        body = self.client.get("/api/v1/me").json()
        self.assertEqual(body["roles"][0]["roles"], ["director"])
        self.assertFalse(body["is_two_factor_verified"])
        self.login("director")
        self.assertTrue(self.client.get("/api/v1/me").json()["is_two_factor_verified"])

    def test_it_answers_in_few_queries(self):
        self.login("parent")
        self.client.get("/api/v1/me")  # the sliding session refreshes itself once a day
        # session, user (with its staff flag), staff roles, guardianships, class parents
        with self.assertNumQueries(5):
            self.client.get("/api/v1/me")

    def test_it_is_401_without_sign_in(self):
        response = self.client.get("/api/v1/me")
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())


class TestMePatchApi(PersonaTestCase):
    def patch(self, data):
        return self.client.patch("/api/v1/me", data, content_type="application/json")

    def test_it_changes_names_and_language(self):
        self.login("parent")
        response = self.patch({"first_name": "Sanne-Marie", "language": "en"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["first_name"], "Sanne-Marie")
        parent = User.objects.get(pk=self.world.parent.pk)
        self.assertEqual(
            (parent.first_name, parent.last_name, parent.language), ("Sanne-Marie", "Mulder", "en")
        )

    def test_it_refuses_an_unknown_language_and_saves_nothing(self):
        self.login("parent")
        response = self.patch({"first_name": "Nieuw", "language": "de"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(User.objects.get(pk=self.world.parent.pk).first_name, "Sanne")

    def test_it_refuses_an_empty_name(self):
        self.login("parent")
        self.assertEqual(self.patch({"last_name": ""}).status_code, 422)
        self.assertEqual(self.patch({"last_name": "   "}).status_code, 422)
        self.assertEqual(User.objects.get(pk=self.world.parent.pk).last_name, "Mulder")
