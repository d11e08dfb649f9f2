import pytest
from django.test import Client
from django.utils import translation

from accounts.devices import describe_user_agent
from accounts.models import UserSession
from accounts.tests.helpers import IPHONE, WINDOWS_CHROME, log_in
from core.testing import PersonaTestCase


class DevicesTestCase(PersonaTestCase):
    def setUp(self):
        self.laptop = Client()
        log_in(self.laptop, "ouder@example.test", HTTP_USER_AGENT=WINDOWS_CHROME, REMOTE_ADDR="192.0.2.7")
        log_in(self.client, "ouder@example.test")
        self.laptop_session = UserSession.objects.get(user=self.world.parent, user_agent=WINDOWS_CHROME)
        self.phone_session = UserSession.objects.get(user=self.world.parent, user_agent=IPHONE)


class TestDevicesView(DevicesTestCase):
    def test_it_lists_my_devices_readably(self):
        response = self.client.get("/accounts/devices/")
        self.assertContains(response, "Safari op iPhone")
        self.assertContains(response, "Chrome op Windows")
        self.assertContains(response, "192.0.2.7")
        self.assertContains(response, 'badge ok">Dit apparaat', count=1)

    def test_it_shows_no_one_elses_devices(self):
        self.client = self.client_for("co_parent")
        response = self.client.get("/accounts/devices/")
        self.assertNotContains(response, "Chrome op Windows")

    def test_it_lists_in_constant_queries(self):
        for _ in range(3):
            log_in(Client(), "ouder@example.test")
        with self.assertNumQueries(4):  # session, user (with its staff flag), the sessions, badge
            self.client.get("/accounts/devices/")


class TestDeviceLogoutView(DevicesTestCase):
    def test_it_logs_out_another_device(self):
        response = self.client.post(f"/accounts/devices/{self.laptop_session.public_id}/log-out/")
        self.assertRedirects(response, "/accounts/devices/")
        self.assertEqual(self.laptop.get("/accounts/settings/").status_code, 302)
        self.assertEqual(self.client.get("/accounts/settings/").status_code, 200)

    def test_it_logs_out_this_device(self):
        response = self.client.post(f"/accounts/devices/{self.phone_session.public_id}/log-out/")
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertFalse(UserSession.objects.filter(pk=self.phone_session.pk).exists())

    def test_it_is_404_for_someone_elses_device(self):
        outsider = self.client_for("outsider")
        response = outsider.post(f"/accounts/devices/{self.laptop_session.public_id}/log-out/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(UserSession.objects.filter(pk=self.laptop_session.pk).exists())


class TestDevicesLogoutOthersView(DevicesTestCase):
    def test_it_keeps_only_this_device(self):
        response = self.client.post("/accounts/devices/log-out-others/", follow=True)
        self.assertContains(response, "1 ander apparaat is uitgelogd")
        self.assertEqual(list(UserSession.objects.filter(user=self.world.parent)), [self.phone_session])
        self.assertEqual(self.laptop.get("/accounts/settings/").status_code, 302)


class TestDescribeUserAgent:
    @pytest.fixture(autouse=True)
    def _english(self):
        with translation.override("en"):
            yield

    def test_it_names_browser_and_system(self):
        assert describe_user_agent(IPHONE) == "Safari on iPhone"
        assert describe_user_agent(WINDOWS_CHROME) == "Chrome on Windows"
        edge = WINDOWS_CHROME + " Edg/126.0.0.0"
        assert describe_user_agent(edge) == "Edge on Windows"
        android_firefox = "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0"
        assert describe_user_agent(android_firefox) == "Firefox on Android"

    def test_it_admits_when_it_does_not_know(self):
        assert describe_user_agent("") == "Unknown device"
        assert describe_user_agent("curl/8.5") == "Unknown device"
