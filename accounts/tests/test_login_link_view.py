from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.models import LoginLink, User
from accounts.tests.helpers import link_in
from core.testing import PersonaTestCase


class LoginLinkTestCase(PersonaTestCase):
    def setUp(self):
        User.objects.filter(pk=self.world.parent.pk).update(activated_at=timezone.now())

    def request_link(self, email="ouder@example.test", **extra):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/accounts/login-link/", {"email": email}, **extra)


class TestLoginLinkView(LoginLinkTestCase):
    def test_it_emails_a_link_to_a_known_address(self):
        response = self.request_link()
        self.assertContains(response, "Kijk in uw e-mail")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["ouder@example.test"])
        self.assertIn("/accounts/login-link/", mail.outbox[0].alternatives[0].content)

    def test_it_answers_an_unknown_address_the_same_way(self):
        known = self.request_link().content.decode().replace("ouder@example.test", "X")
        unknown = (
            self.request_link("niemand@example.test").content.decode().replace("niemand@example.test", "X")
        )
        strip = lambda html: html.split("<main")[1].split("</main>")[0]  # noqa: E731
        self.assertEqual(strip(known), strip(unknown))
        self.assertEqual(len(mail.outbox), 1)

    def test_it_sends_nothing_to_a_suspended_or_never_activated_account(self):
        User.objects.filter(pk=self.world.parent.pk).update(is_active=False)
        self.request_link()
        self.request_link("buiten@example.test")  # invited but never signed in
        self.assertEqual(mail.outbox, [])

    def test_it_checks_the_address(self):
        response = self.client.post("/accounts/login-link/", {"email": "geen adres"})
        self.assertContains(response, "errorlist")

    @override_settings(RATE_LIMITS={"login_link": (2, 900)})
    def test_it_limits_requests_alike_for_unknown_addresses(self):
        for email in ("ouder@example.test", "niemand@example.test"):
            for ip in ("10.0.0.1", "10.0.0.2"):
                self.request_link(email, REMOTE_ADDR=ip)
            response = self.request_link(email, REMOTE_ADDR="10.0.0.3")
            self.assertContains(response, "Te veel pogingen", status_code=429)
        self.assertEqual(len(mail.outbox), 2)


class TestLoginLinkUseView(LoginLinkTestCase):
    def setUp(self):
        super().setUp()
        self.request_link()
        self.path = link_in(mail.outbox[0].body, "/accounts/login-link/")

    def test_it_asks_for_a_click_and_does_not_spend_the_link_on_get(self):
        response = self.client.get(self.path)
        self.assertContains(response, '<form method="post"')
        self.assertIsNone(LoginLink.objects.get().used_at)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_signs_in_once(self):
        response = self.client.post(self.path)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.world.parent.pk)
        self.client.logout()
        response = self.client.post(self.path)
        self.assertContains(response, "al gebruikt", status_code=404)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_expires(self):
        LoginLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(self.client.post(self.path).status_code, 404)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_a_suspended_user(self):
        User.objects.filter(pk=self.world.parent.pk).update(is_active=False)
        self.assertEqual(self.client.post(self.path).status_code, 404)

    def test_it_is_valid_for_the_configured_time(self):
        link = LoginLink.objects.get()
        self.assertEqual(link.expires_at - link.created_at, timedelta(minutes=20))
