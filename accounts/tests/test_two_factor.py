from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import signed_out_after_wrong_codes_message
from accounts.models import User
from accounts.tests.helpers import current_code, log_in
from core.models import AuditEvent
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

    def test_a_wrong_code_stays_counted_on_the_new_device(self):
        self.client.get("/accounts/two-factor/setup/")
        self.client.post("/accounts/two-factor/setup/", {"code": "000000"})
        device = TOTPDevice.objects.get(user=self.newcomer)
        self.assertEqual(device.throttling_failure_count, 1)
        self.assertEqual(AuditEvent.objects.filter(action="account.two_factor_failed").count(), 1)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
    def test_the_session_ends_after_five_wrong_codes(self):
        self.client.get("/accounts/two-factor/setup/")
        for _attempt in range(4):
            self.assertContains(
                self.client.post("/accounts/two-factor/setup/", {"code": "000000"}), "klopt niet"
            )
        response = self.client.post("/accounts/two-factor/setup/", {"code": "000000"})
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertFalse(TOTPDevice.objects.get(user=self.newcomer).confirmed)

    @override_settings(
        OTP_TOTP_THROTTLE_FACTOR=0, RATE_LIMITS={**settings.RATE_LIMITS, "two_factor": (3, 900)}
    )
    def test_the_account_is_limited_across_sessions(self):
        self.client.get("/accounts/two-factor/setup/")
        for _attempt in range(3):
            self.client.post("/accounts/two-factor/setup/", {"code": "000000"})
        second = Client()
        log_in(second, "nieuw@schakel.test", "een lang geheim wachtwoord")
        device = TOTPDevice.objects.get(user=self.newcomer)
        refused = second.post("/accounts/two-factor/setup/", {"code": current_code(device)})
        self.assertContains(refused, "Te veel pogingen", status_code=429)
        device.refresh_from_db()
        self.assertFalse(device.confirmed)

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


def wrong(device) -> str:
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # the device's own growing wait is tested on its own below
class TestTwoFactorGuessing(PersonaTestCase):
    def setUp(self):
        log_in(self.client, "anna@schakel.test")
        self.device = TOTPDevice.objects.get(user=self.world.teacher)

    def guess(self, client=None, code=None):
        return (client or self.client).post(
            "/accounts/two-factor/verify/", {"code": code or wrong(self.device)}
        )

    def test_a_wrong_code_stays_counted_on_the_device(self):
        self.guess()
        self.device.refresh_from_db()
        self.assertEqual(self.device.throttling_failure_count, 1)
        self.assertEqual(AuditEvent.objects.filter(action="account.two_factor_failed").count(), 1)

    def test_the_session_ends_after_five_wrong_codes(self):
        for _attempt in range(4):
            self.assertContains(self.guess(), "Die code klopt niet")
        response = self.guess()
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        with translation.override("nl"):
            expected = signed_out_after_wrong_codes_message()
        self.assertContains(self.client.get("/accounts/login/"), expected)
        # The right code no longer helps: the session is gone.
        after = self.guess(code=current_code(self.device))
        self.assertRedirects(
            after, "/accounts/login/?next=/accounts/two-factor/verify/", fetch_redirect_response=False
        )

    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "two_factor": (6, 900)})
    def test_the_account_is_limited_across_sessions(self):
        for _attempt in range(4):
            self.guess()
        second = Client()
        log_in(second, "anna@schakel.test")
        self.guess(second)
        self.guess(second)
        refused = self.guess(second, code=current_code(self.device))
        self.assertContains(refused, "Te veel pogingen", status_code=429)
        self.assertNotIn("otp_device_id", second.session)
        # Another teacher is not touched.
        other = Client()
        log_in(other, "bram@schakel.test")
        bram = TOTPDevice.objects.get(user=self.world.duo_teacher)
        self.assertRedirects(self.guess(other, code=current_code(bram)), "/", fetch_redirect_response=False)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
    def test_after_a_wrong_code_the_device_makes_the_next_one_wait(self):
        self.guess()
        response = self.guess(code=current_code(self.device))
        self.assertContains(response, "wachten", status_code=429)
        self.assertNotIn("otp_device_id", self.client.session)


@override_settings(RATE_LIMIT_DELAY=0)  # the address's slower answers are tested in test_login_view
class TestTwoFactorGuessingAtSpeed(PersonaTestCase):
    def test_a_guesser_who_signs_in_again_and_again_gets_few_codes_checked(self):
        """With the shipped settings: 40 guesses as fast as possible, signing in again whenever signed out."""
        device = TOTPDevice.objects.get(user=self.world.teacher)
        client = Client()
        for _attempt in range(40):
            if "_auth_user_id" not in client.session:
                log_in(client, "anna@schakel.test")
            client.post("/accounts/two-factor/verify/", {"code": wrong(device)})
        checked = AuditEvent.objects.filter(action="account.two_factor_failed").count()
        self.assertLessEqual(checked, 5)  # the device's growing wait refuses most before they are checked
        self.assertFalse(AuditEvent.objects.filter(action="account.two_factor_verified").exists())
