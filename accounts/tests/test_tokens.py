from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.actions import check_create_api_token
from accounts.models import ApiToken
from accounts.tests.helpers import link_in, log_in
from core.models import AuditEvent
from core.testing import PASSWORD, PersonaTestCase
from core.viewer import verified


class TestTokensView(PersonaTestCase):
    def create(self, name="Telefoon"):
        return self.client.post("/accounts/tokens/", {"name": name})

    def test_it_shows_a_new_token_once_and_it_works_as_bearer(self):
        self.login("parent")
        response = self.create()
        secret = response.context["new_secret"]
        self.assertContains(response, secret)
        self.assertNotIn(secret, self.client.get("/accounts/tokens/").content.decode())
        me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.assertEqual(me.json()["email"], "ouder@example.test")
        self.assertNotEqual(ApiToken.objects.get().token_hash, secret)

    def test_it_needs_a_name(self):
        self.login("parent")
        self.assertContains(self.create("  "), "errorlist")
        self.assertFalse(ApiToken.objects.exists())

    def test_it_lists_only_my_tokens(self):
        self.login("co_parent")
        self.create("Van Joost")
        self.login("parent")
        self.assertNotContains(self.client.get("/accounts/tokens/"), "Van Joost")

    def test_it_lets_verified_staff_make_one(self):
        self.login("teacher")
        self.assertIsNotNone(self.create().context["new_secret"])


class TestTokenRevokeView(PersonaTestCase):
    def setUp(self):
        self.login("parent")
        self.secret = self.client.post("/accounts/tokens/", {"name": "Telefoon"}).context["new_secret"]
        self.token = ApiToken.objects.get()

    def test_it_stops_the_token_working(self):
        response = self.client.post(f"/accounts/tokens/{self.token.public_id}/revoke/")
        self.assertRedirects(response, "/accounts/tokens/")
        self.assertEqual(
            Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {self.secret}").status_code, 401
        )

    def test_it_is_404_for_someone_elses_token(self):
        response = self.client_for("outsider").post(f"/accounts/tokens/{self.token.public_id}/revoke/")
        self.assertEqual(response.status_code, 404)
        self.token.refresh_from_db()
        self.assertIsNone(self.token.revoked_at)


class TestTokensApi(PersonaTestCase):
    def test_it_creates_lists_and_revokes(self):
        self.login("parent")
        created = self.client.post("/api/v1/tokens", {"name": "Script"}, content_type="application/json")
        self.assertEqual(created.status_code, 201)
        body = created.json()
        self.assertTrue(body["token"].startswith("sp_"))
        listed = self.client.get("/api/v1/tokens").json()
        self.assertEqual([t["public_id"] for t in listed], [body["public_id"]])
        self.assertNotIn("token", listed[0])
        self.assertEqual(self.client.delete(f"/api/v1/tokens/{body['public_id']}").status_code, 204)
        self.assertEqual(self.client.get("/api/v1/tokens").json(), [])

    def test_it_refuses_staff_from_an_unverified_session(self):
        log_in(self.client, "anna@schakel.test")
        response = self.client.post("/api/v1/tokens", {"name": "Script"}, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("verificatie in twee stappen", response.json()["detail"])
        self.assertFalse(ApiToken.objects.exists())

    def test_it_refuses_an_empty_name(self):
        self.login("parent")
        response = self.client.post("/api/v1/tokens", {"name": ""}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertIn("detail", response.json())

    def test_it_is_404_for_someone_elses_token(self):
        self.login("parent")
        public_id = self.client.post("/api/v1/tokens", {"name": "S"}, content_type="application/json").json()[
            "public_id"
        ]
        self.assertEqual(self.client_for("co_parent").delete(f"/api/v1/tokens/{public_id}").status_code, 404)
        self.assertEqual(ApiToken.objects.get().revoked_at, None)


class TestTokensEndWithThePassword(PersonaTestCase):
    def setUp(self):
        self.secret = check_create_api_token(acting_user=self.world.parent, name="Telefoon")[1]

    def works(self) -> bool:
        return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {self.secret}").status_code == 200

    def test_a_password_change_revokes_them(self):
        self.assertTrue(self.works())
        new = "een lang geheim wachtwoord"
        log_in(self.client, "ouder@example.test")
        response = self.client.post(
            "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
        self.assertRedirects(response, "/accounts/settings/")
        self.assertFalse(self.works())
        self.assertEqual(ApiToken.objects.get().revoked_at is not None, True)
        event = AuditEvent.objects.get(action="account.password_changed")
        self.assertEqual(event.data["tokens"], 1)

    def test_a_password_reset_revokes_them(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/accounts/password-reset/", {"email": "ouder@example.test"})
        form_page = self.client.get(link_in(mail.outbox[0].body, "/accounts/password-reset/"), follow=True)
        new = "een lang geheim wachtwoord"
        self.client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
        self.assertFalse(self.works())
        self.assertEqual(AuditEvent.objects.get(action="account.password_reset").data["tokens"], 1)


class TestTokenExpiry(PersonaTestCase):
    def test_the_page_and_the_api_say_until_when_a_token_works(self):
        token, _secret = check_create_api_token(acting_user=verified(self.world.teacher), name="app")
        self.login("teacher")
        with translation.override("en"):
            expected = f"works until {date_format(timezone.localtime(token.expires_at), 'j F Y')}"
        page = self.client.get("/accounts/tokens/")
        self.assertContains(page, 'data-testid="token-expires"')
        listed = self.client.get("/api/v1/tokens").json()
        self.assertEqual(listed[0]["expires_at"][:10], token.expires_at.isoformat()[:10])
        self.world.teacher.language = "en"
        self.world.teacher.save(update_fields=["language"])
        self.assertContains(self.client.get("/accounts/tokens/"), expected)

    def test_an_expired_token_is_no_longer_listed(self):
        token, _secret = check_create_api_token(acting_user=self.world.parent, name="oud")
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
        self.login("parent")
        self.assertEqual(self.client.get("/api/v1/tokens").json(), [])
