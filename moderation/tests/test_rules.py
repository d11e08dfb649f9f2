from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing import PASSWORD, make_child, make_user
from moderation import actions
from moderation.models import ConductAcceptance
from moderation.tests.helpers import ModerationTestCase


class TestConductRulesMiddleware(ModerationTestCase):
    def new_parent(self):
        parent = make_user("nieuw@example.test", "Nina", "Nieuw")
        make_child(self.world.school, self.world.group3, "Bo", "Nieuw", parent)
        return parent

    def signed_in(self, user) -> Client:
        client = Client()
        response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        return client

    def test_it_sends_a_new_user_to_the_rules_until_accepted(self):
        client = self.signed_in(self.new_parent())
        response = client.get("/")
        self.assertRedirects(response, "/moderation/rules/?next=%2F", fetch_redirect_response=False)
        rules = client.get(response["Location"])
        self.assertContains(rules, "Schelden, discrimineren, bedreigen")
        self.assertContains(rules, "De Schakel")
        accepted = client.post("/moderation/rules/", {"next": "/"})
        self.assertRedirects(accepted, "/", fetch_redirect_response=False)
        self.assertEqual(client.get("/").status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action="conduct.accepted").exists())

    def test_it_lets_sign_in_pages_and_the_api_through(self):
        client = self.signed_in(self.new_parent())
        self.assertEqual(client.get(reverse("accounts:settings")).status_code, 200)
        self.assertEqual(client.get("/api/v1/moderation/rules").status_code, 200)

    def test_it_asks_again_for_a_new_version_at_the_next_sign_in(self):
        actions.check_update_rules(
            acting_user=self.world.director,
            school=self.world.school,
            text_nl="Nieuwe regels: wees aardig.",
            text_en="",
            ask_again=True,
        )
        client = self.signed_in(self.world.parent)
        self.assertRedirects(client.get("/"), "/moderation/rules/?next=%2F", fetch_redirect_response=False)
        self.assertContains(client.get("/moderation/rules/"), "wees aardig")

    def test_a_small_correction_does_not_ask_again(self):
        actions.check_update_rules(
            acting_user=self.world.director,
            school=self.world.school,
            text_nl="Tikfout hersteld.",
            text_en="",
            ask_again=False,
        )
        self.assertEqual(self.signed_in(self.world.parent).get("/").status_code, 200)

    def test_ordinary_pages_pay_no_query_for_the_rules_after_sign_in(self):
        client = self.signed_in(self.world.parent)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(client.get("/").status_code, 200)
        rules_tables = ("moderation_conductrules", "moderation_conductacceptance")
        self.assertFalse([q for q in queries.captured_queries if any(t in q["sql"] for t in rules_tables)])


class TestRulesView(ModerationTestCase):
    def test_it_shows_the_accepted_rules_without_a_button(self):
        response = self.login("parent").get(reverse("moderation:rules"))
        self.assertContains(response, "U spreekt ons erop aan")
        self.assertNotContains(response, "Ik ga akkoord")

    def test_it_shows_the_english_rules_in_english(self):
        self.world.parent.language = "en"
        self.world.parent.save()
        self.assertContains(self.login("parent").get(reverse("moderation:rules")), "not about each other")

    def test_it_ignores_an_unsafe_next(self):
        ConductAcceptance.objects.filter(user=self.world.parent).delete()
        response = self.login("parent").post(reverse("moderation:rules"), {"next": "https://evil.example/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)


class TestRulesEditView(ModerationTestCase):
    def url(self):
        return reverse("moderation:rules_edit", args=[self.world.school.public_id])

    def test_the_director_edits_the_rules_and_everyone_accepts_again(self):
        self.assertContains(self.login("director").get(self.url()), "Schelden")
        response = self.client.post(
            self.url(), {"text_nl": "Wij zijn aardig.", "text_en": "We are kind.", "ask_again": "on"}
        )
        self.assertRedirects(response, self.url())
        rules = actions.rules_of(self.world.school)
        self.assertEqual((rules.version, rules.text_en), (2, "We are kind."))
        self.assertTrue(
            AuditEvent.objects.filter(action="conduct.rules_updated", school=self.world.school).exists()
        )

    def test_it_refuses_empty_dutch_rules(self):
        response = self.login("director").post(self.url(), {"text_nl": "  ", "text_en": ""})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(actions.rules_of(self.world.school).pk, None)

    def test_it_answers_404_to_everyone_but_the_director(self):
        for persona in ["office", "teacher", "parent", "other_school_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(self.url()).status_code, 404)


class TestRulesApi(ModerationTestCase):
    def test_it_lists_and_accepts_the_rules(self):
        ConductAcceptance.objects.filter(user=self.world.parent).delete()
        client = self.login("parent")
        [rules] = client.get("/api/v1/moderation/rules").json()
        self.assertEqual((rules["school"], rules["accepted"], rules["version"]), ("De Schakel", False, 1))
        self.assertEqual(client.post("/api/v1/moderation/rules/accept").status_code, 204)
        self.assertTrue(client.get("/api/v1/moderation/rules").json()[0]["accepted"])

    def test_the_director_saves_rules_and_bad_input_is_a_clear_message(self):
        client = self.login("director")
        url = f"/api/v1/moderation/schools/{self.world.school.public_id}/rules"
        bad = client.put(url, {"text_nl": ""}, content_type="application/json")
        self.assertEqual(bad.status_code, 422)
        self.assertIn("Nederlandse tekst", bad.json()["detail"])
        ok = client.put(url, {"text_nl": "Wees aardig.", "ask_again": True}, content_type="application/json")
        self.assertEqual(ok.json()["version"], 2)
