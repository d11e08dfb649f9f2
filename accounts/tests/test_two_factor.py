from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tests.helpers import current_code, log_in
from core.testing import PersonaTestCase
from schools.models import StaffRole


class TestTwoFactorRequiredMiddleware(PersonaTestCase):
    def test_it_sends_unverified_staff_to_verify_from_any_page(self):
        log_in(self.client, "anna@schakel.test")
        response = self.client.get("/accounts/settings/")
        self.assertRedirects(
            response,
            "/accounts/two-factor/verify/?next=%2Faccounts%2Fsettings%2F",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_it_sends_staff_without_a_device_to_setup(self):
        TOTPDevice.objects.filter(user=self.world.teacher).delete()
        log_in(self.client, "anna@schakel.test")
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/two-factor/setup/?next=%2F", fetch_redirect_response=False)

    def test_it_leaves_the_sign_in_pages_language_and_api_open(self):
        log_in(self.client, "anna@schakel.test")
        self.assertEqual(self.client.get("/accounts/two-factor/verify/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/me").status_code, 200)
        response = self.client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(self.client.post("/accounts/logout/").status_code, 302)

    def test_it_never_asks_parents(self):
        log_in(self.client, "ouder@example.test")
        self.assertEqual(self.client.get("/accounts/settings/").status_code, 200)

    def test_it_lets_verified_staff_through(self):
        self.login("teacher")
        self.assertEqual(self.client.get("/accounts/settings/").status_code, 200)


class TestTwoFactorVerifyView(PersonaTestCase):
    def setUp(self):
        log_in(self.client, "anna@schakel.test")
        self.device = TOTPDevice.objects.get(user=self.world.teacher)

    def test_it_verifies_the_session_with_a_current_code(self):
        response = self.client.post(
            "/accounts/two-factor/verify/", {"code": current_code(self.device), "next": "/accounts/devices/"}
        )
        self.assertRedirects(response, "/accounts/devices/", fetch_redirect_response=False)
        self.assertEqual(self.client.session["otp_device_id"], self.device.persistent_id)
        self.assertEqual(self.client.get("/accounts/settings/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/me").json()["is_two_factor_verified"], True)

    def test_it_refuses_a_wrong_code(self):
        wrong = f"{(int(current_code(self.device)) + 1) % 1_000_000:06d}"
        response = self.client.post("/accounts/two-factor/verify/", {"code": wrong})
        self.assertContains(response, "Die code klopt niet")
        self.assertNotIn("otp_device_id", self.client.session)

    def test_it_refuses_letters(self):
        response = self.client.post("/accounts/two-factor/verify/", {"code": "abcdef"})
        self.assertContains(response, "zes cijfers")

    def test_it_does_not_accept_the_same_code_twice(self):
        code = current_code(self.device)
        self.client.post("/accounts/two-factor/verify/", {"code": code})
        other = Client()
        log_in(other, "anna@schakel.test")
        other.post("/accounts/two-factor/verify/", {"code": code})
        self.assertNotIn("otp_device_id", other.session)

    def test_it_is_not_there_for_parents(self):
        self.login("parent")
        self.assertEqual(self.client.get("/accounts/two-factor/verify/").status_code, 404)


class TestTwoFactorSetupView(PersonaTestCase):
    def setUp(self):
        self.newcomer = User.objects.create_user("nieuw@schakel.test", "een lang geheim wachtwoord")
        StaffRole.objects.create(user=self.newcomer, school=self.world.school, role=StaffRole.Role.TEACHER)
        log_in(self.client, "nieuw@schakel.test", "een lang geheim wachtwoord")

    def test_it_shows_a_qr_code_and_the_secret(self):
        response = self.client.get("/accounts/two-factor/setup/")
        self.assertContains(response, "<svg")
        device = TOTPDevice.objects.get(user=self.newcomer, confirmed=False)
        from base64 import b32encode

        self.assertContains(response, b32encode(device.bin_key).decode())

    def test_it_keeps_the_same_secret_when_the_page_is_reloaded(self):
        self.client.get("/accounts/two-factor/setup/")
        self.client.get("/accounts/two-factor/setup/")
        self.assertEqual(TOTPDevice.objects.filter(user=self.newcomer).count(), 1)

    def test_it_confirms_with_a_code_and_verifies_the_session(self):
        self.client.get("/accounts/two-factor/setup/")
        device = TOTPDevice.objects.get(user=self.newcomer)
        response = self.client.post(
            "/accounts/two-factor/setup/", {"code": current_code(device), "next": "/"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get("/accounts/settings/").status_code, 200)

    def test_it_refuses_a_wrong_code(self):
        self.client.get("/accounts/two-factor/setup/")
        response = self.client.post("/accounts/two-factor/setup/", {"code": "000000"})
        self.assertContains(response, "Die code klopt niet")
        self.assertFalse(TOTPDevice.objects.get(user=self.newcomer).confirmed)

    def test_it_will_not_replace_a_device_from_an_unverified_session(self):
        log_in(self.client, "anna@schakel.test")
        response = self.client.get("/accounts/two-factor/setup/?replace=1")
        self.assertRedirects(response, "/accounts/two-factor/verify/?next=%2F", fetch_redirect_response=False)
        self.assertFalse(TOTPDevice.objects.filter(user=self.world.teacher, confirmed=False).exists())

    def test_it_replaces_the_device_from_a_verified_session(self):
        self.login("teacher")
        old = TOTPDevice.objects.get(user=self.world.teacher)
        self.assertContains(
            self.client.get("/accounts/two-factor/setup/"), "Nieuwe authenticator-app koppelen"
        )
        self.client.get("/accounts/two-factor/setup/?replace=1")
        new = TOTPDevice.objects.get(user=self.world.teacher, confirmed=False)
        self.client.post("/accounts/two-factor/setup/?replace=1", {"code": current_code(new)})
        self.assertEqual(list(TOTPDevice.objects.filter(user=self.world.teacher)), [new])
        self.assertFalse(TOTPDevice.objects.filter(pk=old.pk).exists())

    def test_it_is_not_there_for_parents(self):
        self.login("parent")
        self.assertEqual(self.client.get("/accounts/two-factor/setup/").status_code, 404)
