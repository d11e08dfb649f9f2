from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from core.ratelimit import is_rate_limited


@override_settings(RATE_LIMITS={"login": (2, 900)}, RATE_LIMITS_ENABLED=True)
class TestIsRateLimited(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_it_allows_up_to_the_limit_per_ip(self):
        self.assertFalse(is_rate_limited("login", ip="10.0.0.1"))
        self.assertFalse(is_rate_limited("login", ip="10.0.0.1"))
        self.assertTrue(is_rate_limited("login", ip="10.0.0.1"))
        self.assertFalse(is_rate_limited("login", ip="10.0.0.2"))

    def test_it_counts_an_account_across_ips_ignoring_case(self):
        is_rate_limited("login", ip="10.0.0.1", account="Ouder@Example.test")
        is_rate_limited("login", ip="10.0.0.2", account="ouder@example.test ")
        self.assertTrue(is_rate_limited("login", ip="10.0.0.3", account="ouder@example.test"))

    def test_it_forgets_after_the_window(self):
        for _ in range(3):
            is_rate_limited("login", ip="10.0.0.1")
        cache.clear()  # the window's keys expire; clearing is the same to the counter
        self.assertFalse(is_rate_limited("login", ip="10.0.0.1"))

    @override_settings(RATE_LIMITS_ENABLED=False)
    def test_it_can_be_switched_off(self):
        for _ in range(5):
            self.assertFalse(is_rate_limited("login", ip="10.0.0.1"))
