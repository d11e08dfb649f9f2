import time
from datetime import timedelta

from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings

from accounts.actions import do_login
from accounts.models import User, UserSession
from accounts.tests.helpers import IPHONE, log_in
from core.models import AuditEvent
from core.ratelimit import counter_key
from core.testing import PersonaTestCase


class TestLoginView(PersonaTestCase):
    def test_it_shows_the_form_with_the_other_ways_in(self):
        response = self.client.get("/accounts/login/")
        self.assertContains(response, 'name="password"')
        self.assertContains(response, "/accounts/login-link/")
        self.assertContains(response, "/accounts/password-reset/")

    def test_it_signs_a_parent_in_for_ninety_days(self):
        response = log_in(self.client, "ouder@example.test")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.session.get_expiry_age(), int(timedelta(days=90).total_seconds()))
        session = UserSession.objects.get(user=self.world.parent)
        self.assertEqual(session.user_agent, IPHONE)
        self.assertEqual(session.ip_address, "127.0.0.1")

    def test_it_accepts_the_email_in_any_case(self):
        response = log_in(self.client, "  Ouder@Example.TEST ")
        self.assertEqual(response.status_code, 302)

    def test_it_sends_staff_to_two_factor_with_a_short_session(self):
        response = log_in(self.client, "anna@schakel.test")
        self.assertRedirects(response, "/accounts/two-factor/verify/?next=%2F", fetch_redirect_response=False)
        self.assertEqual(self.client.session.get_expiry_age(), 12 * 3600)

    def test_it_refuses_a_wrong_password(self):
        response = log_in(self.client, "ouder@example.test", "not the password")
        self.assertContains(response, "horen niet bij elkaar")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_a_suspended_account(self):
        User.objects.filter(pk=self.world.parent.pk).update(is_active=False)
        response = log_in(self.client, "ouder@example.test")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_follows_a_safe_next_only(self):
        response = log_in(self.client, "ouder@example.test", next_url="/accounts/devices/")
        self.assertRedirects(response, "/accounts/devices/", fetch_redirect_response=False)
        self.client.logout()
        response = log_in(self.client, "ouder@example.test", next_url="https://evil.test/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    @override_settings(RATE_LIMITS={"login": (3, 900)})
    def test_it_limits_attempts_per_account_alike_for_unknown_addresses(self):
        for email in ("ouder@example.test", "niemand@example.test"):
            for _attempt in range(3):
                log_in(self.client, email, "wrong", REMOTE_ADDR=f"10.0.0.{_attempt}")
            response = log_in(self.client, email, REMOTE_ADDR="10.0.1.1")
            self.assertEqual(response.status_code, 429)
            self.assertContains(response, "Te veel pogingen", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(RATE_LIMITS={"login": (3, 900)})
    def test_a_locked_account_does_not_lock_others_at_the_same_address(self):
        for attempt in range(4):
            log_in(Client(), "ouder@example.test", "wrong", REMOTE_ADDR=f"10.0.0.{attempt}")
        self.assertEqual(log_in(Client(), "ouder@example.test", REMOTE_ADDR="10.0.0.9").status_code, 429)
        other = log_in(Client(), "klassenouder@example.test", REMOTE_ADDR="10.0.0.3")
        self.assertRedirects(other, "/", fetch_redirect_response=False)

    @override_settings(RATE_LIMITS={"login": (3, 900)}, RATE_LIMIT_DELAY=0.2, RATE_LIMIT_MAX_DELAY=0.3)
    def test_an_address_over_its_limit_is_slowed_down_not_locked_out(self):
        for email in ("a@example.test", "b@example.test", "c@example.test"):
            log_in(Client(), email, "wrong")
        started = time.monotonic()
        response = log_in(self.client, "ouder@example.test")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertGreaterEqual(time.monotonic() - started, 0.2)
        for _attempt in range(5):
            log_in(Client(), "d@example.test", "wrong")
        started = time.monotonic()
        self.assertRedirects(
            log_in(Client(), "klassenouder@example.test"), "/", fetch_redirect_response=False
        )
        # At least the bounded delay (a sleep is never shorter); how much longer depends on the machine.
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    @override_settings(
        RATE_LIMITS={"login": (3, 900)},
        TRUSTED_PROXIES=["127.0.0.1", "10.1.0.0/16"],
        RATE_LIMIT_DELAY=1,
        RATE_LIMIT_MAX_DELAY=1,
    )
    def test_behind_a_trusted_proxy_each_visitor_is_counted_and_recorded_by_their_own_address(self):
        # Behind nginx every request comes from 127.0.0.1; the forwarded address is the visitor's.
        for visitor in range(5):
            log_in(
                Client(), f"x{visitor}@example.test", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{visitor}"
            )
        # The left-most entry is the visitor's own word; the proxies' entries are to its right.
        response = log_in(
            self.client, "ouder@example.test", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.7, 10.1.2.3"
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        # Each visitor was counted once under their own address; the proxy's own address never.
        self.assertEqual(cache.get(counter_key("login", "ip", "198.51.100.4")), 1)
        self.assertEqual(cache.get(counter_key("login", "ip", "203.0.113.7")), 1)
        self.assertIsNone(cache.get(counter_key("login", "ip", "127.0.0.1")))
        login = AuditEvent.objects.get(action="account.login", actor=self.world.parent)
        self.assertEqual(login.ip_address, "203.0.113.7")

    @override_settings(TRUSTED_PROXIES=["10.9.9.9"])
    def test_an_untrusted_sender_cannot_choose_its_address(self):
        log_in(self.client, "ouder@example.test", REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="203.0.113.7")
        login = AuditEvent.objects.get(action="account.login", actor=self.world.parent)
        self.assertEqual(login.ip_address, "192.0.2.4")


class TestDoLogin(PersonaTestCase):
    def request(self):
        request = RequestFactory().post("/accounts/login/", HTTP_USER_AGENT=IPHONE)
        SessionMiddleware(lambda r: None).process_request(request)
        return request

    def test_it_sets_activated_at_once_and_writes_an_audit_row(self):
        parent = self.world.parent
        do_login(self.request(), parent, method="password")
        parent.refresh_from_db()
        first = parent.activated_at
        self.assertIsNotNone(first)
        do_login(self.request(), parent, method="password")
        parent.refresh_from_db()
        self.assertEqual(parent.activated_at, first)
        self.assertEqual(AuditEvent.objects.filter(action="account.login", actor=parent).count(), 2)

    def test_it_never_signs_in_a_suspended_user(self):
        parent = self.world.parent
        parent.is_active = False
        with self.assertRaises(PermissionDenied):
            do_login(self.request(), parent)


class TestLogoutView(PersonaTestCase):
    def test_it_ends_the_session(self):
        log_in(self.client, "ouder@example.test")
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertFalse(UserSession.objects.filter(user=self.world.parent).exists())

    def test_it_does_not_log_out_on_get(self):
        self.login("parent")
        self.assertEqual(self.client.get("/accounts/logout/").status_code, 405)


class TestSignedInUser(PersonaTestCase):
    """The user of a request comes with whether they hold a staff role, which every page asks."""

    def test_it_knows_staff_and_parents_apart_without_another_query(self):
        from accounts.backends import EmailBackend
        from schools.queries import has_any_staff_role

        for persona, is_staff in [("parent", False), ("teacher", True), ("director", True)]:
            with self.subTest(persona=persona):
                user = EmailBackend().get_user(getattr(self.world, persona).pk)
                with self.assertNumQueries(0):
                    self.assertEqual(has_any_staff_role(user), is_staff)

    def test_it_leaves_out_a_suspended_account(self):
        from accounts.backends import EmailBackend

        parent = self.world.parent
        User.objects.filter(pk=parent.pk).update(is_active=False)
        self.assertIsNone(EmailBackend().get_user(parent.pk))
