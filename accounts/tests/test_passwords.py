from django.core import mail
from django.test import Client, override_settings

from accounts.models import User, UserSession
from accounts.tests.helpers import link_in, log_in
from core.testing import PASSWORD, PersonaTestCase

NEW_PASSWORD = "een lang geheim wachtwoord"


class TestPasswordResetView(PersonaTestCase):
    def request_reset(self, email="ouder@example.test", **extra):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/accounts/password-reset/", {"email": email}, **extra)

    def test_it_emails_a_link_that_sets_a_new_password(self):
        other_device = Client()
        log_in(other_device, "ouder@example.test")
        response = self.request_reset()
        self.assertRedirects(response, "/accounts/password-reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        path = link_in(mail.outbox[0].body, "/accounts/password-reset/")
        form_page = self.client.get(path, follow=True)
        self.assertContains(form_page, "new_password1")
        response = self.client.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, "/accounts/password-reset/done/")
        self.assertTrue(User.objects.get(pk=self.world.parent.pk).check_password(NEW_PASSWORD))
        self.assertFalse(UserSession.objects.filter(user=self.world.parent).exists())
        self.assertEqual(other_device.get("/accounts/settings/").status_code, 302)

    def test_it_answers_an_unknown_address_the_same_way(self):
        response = self.request_reset("niemand@example.test")
        self.assertRedirects(response, "/accounts/password-reset/sent/")
        self.assertEqual(mail.outbox, [])

    def test_it_writes_the_mail_in_the_users_language(self):
        User.objects.filter(pk=self.world.parent.pk).update(language="en")
        self.request_reset()
        self.assertIn("Choose a new password", mail.outbox[0].subject)

    @override_settings(RATE_LIMITS={"password_reset": (2, 900)})
    def test_it_limits_requests(self):
        self.request_reset()
        self.request_reset()
        response = self.request_reset()
        self.assertContains(response, "Te veel pogingen", status_code=429)
        self.assertEqual(len(mail.outbox), 2)


class TestPasswordChangeView(PersonaTestCase):
    def setUp(self):
        self.other_device = Client()
        log_in(self.other_device, "ouder@example.test")
        log_in(self.client, "ouder@example.test")

    def change(self, old=PASSWORD, new=NEW_PASSWORD, again=NEW_PASSWORD):
        return self.client.post(
            "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": again}
        )

    def test_it_changes_the_password_and_logs_out_other_devices_only(self):
        response = self.change()
        self.assertRedirects(response, "/accounts/settings/")
        self.assertTrue(User.objects.get(pk=self.world.parent.pk).check_password(NEW_PASSWORD))
        self.assertEqual(UserSession.objects.filter(user=self.world.parent).count(), 1)
        self.assertEqual(self.client.get("/accounts/settings/").status_code, 200)
        self.assertEqual(self.other_device.get("/accounts/settings/").status_code, 302)

    def test_it_needs_the_old_password(self):
        response = self.change(old="fout")
        self.assertContains(response, "errorlist")
        self.assertTrue(User.objects.get(pk=self.world.parent.pk).check_password(PASSWORD))
        self.assertEqual(UserSession.objects.filter(user=self.world.parent).count(), 2)

    def test_it_needs_the_same_new_password_twice(self):
        self.change(again="iets anders helemaal")
        self.assertTrue(User.objects.get(pk=self.world.parent.pk).check_password(PASSWORD))
