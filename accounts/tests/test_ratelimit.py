import time

from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from core.ratelimit import address_delay, is_rate_limited


@override_settings(
    RATE_LIMITS={"login": (2, 900)}, RATE_LIMITS_ENABLED=True, RATE_LIMIT_DELAY=0.05, RATE_LIMIT_MAX_DELAY=0.1
)
class TestIsRateLimited(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_it_refuses_an_account_over_its_limit_from_any_address(self):
        is_rate_limited("login", ip="10.0.0.1", account="Ouder@Example.test")
        is_rate_limited("login", ip="10.0.0.2", account="ouder@example.test ")
        self.assertTrue(is_rate_limited("login", ip="10.0.0.3", account="ouder@example.test"))
        self.assertFalse(is_rate_limited("login", ip="10.0.0.3", account="ander@example.test"))

    def test_it_never_refuses_an_address_but_answers_it_later(self):
        for _ in range(2):
            started = time.monotonic()
            self.assertFalse(is_rate_limited("login", ip="10.0.0.1"))
            self.assertLess(time.monotonic() - started, 0.05)
        started = time.monotonic()
        self.assertFalse(is_rate_limited("login", ip="10.0.0.1", account="nieuw@example.test"))
        self.assertGreaterEqual(time.monotonic() - started, 0.05)

    def test_the_delay_grows_per_attempt_and_is_bounded(self):
        self.assertEqual([address_delay(n) for n in (-1, 0, 1, 2, 50)], [0, 0, 0.05, 0.1, 0.1])

    def test_it_forgets_after_the_window(self):
        for _ in range(3):
            is_rate_limited("login", ip="10.0.0.1", account="a@example.test")
        cache.clear()  # the window's keys expire; clearing is the same to the counter
        self.assertFalse(is_rate_limited("login", ip="10.0.0.1", account="a@example.test"))

    @override_settings(RATE_LIMITS_ENABLED=False)
    def test_it_can_be_switched_off(self):
        for _ in range(5):
            self.assertFalse(is_rate_limited("login", ip="10.0.0.1", account="a@example.test"))
