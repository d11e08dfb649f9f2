from django.conf import settings

from accounts.models import User
from core.testing import PersonaTestCase


class TestLanguageView(PersonaTestCase):
    def test_it_saves_the_language_on_my_account(self):
        self.login("parent")
        response = self.client.post("/accounts/language/", {"language": "en", "next": "/accounts/settings/"})
        self.assertRedirects(response, "/accounts/settings/", fetch_redirect_response=False)
        self.assertEqual(User.objects.get(pk=self.world.parent.pk).language, "en")
        self.assertContains(self.client.get("/accounts/settings/"), "My account")

    def test_it_uses_a_cookie_when_signed_out(self):
        response = self.client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")
        self.assertContains(self.client.get("/accounts/login/"), "Forgot your password?")

    def test_it_ignores_an_unsafe_next(self):
        response = self.client.post("/accounts/language/", {"language": "en", "next": "https://evil.test/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_it_ignores_an_unknown_language(self):
        self.login("parent")
        self.client.post("/accounts/language/", {"language": "xx"})
        self.assertEqual(User.objects.get(pk=self.world.parent.pk).language, "nl")


class TestSettingsView(PersonaTestCase):
    def test_it_shows_my_details_and_links(self):
        self.login("parent")
        response = self.client.get("/accounts/settings/")
        self.assertContains(response, "ouder@example.test")
        self.assertContains(response, "/accounts/devices/")
        self.assertNotContains(response, "/accounts/two-factor/setup/")

    def test_it_links_two_factor_for_staff(self):
        self.login("teacher")
        self.assertContains(self.client.get("/accounts/settings/"), "/accounts/two-factor/setup/")

    def test_it_saves_my_names(self):
        self.login("parent")
        response = self.client.post(
            "/accounts/settings/", {"first_name": "Sanne", "last_name": "Mulder-Jansen", "language": "nl"}
        )
        self.assertRedirects(response, "/accounts/settings/")
        self.assertEqual(User.objects.get(pk=self.world.parent.pk).last_name, "Mulder-Jansen")

    def test_it_refuses_an_empty_name(self):
        self.login("parent")
        response = self.client.post(
            "/accounts/settings/", {"first_name": "", "last_name": "X", "language": "nl"}
        )
        self.assertContains(response, "errorlist")
        self.assertEqual(User.objects.get(pk=self.world.parent.pk).last_name, "Mulder")
