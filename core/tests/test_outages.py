"""An unreachable dependency answers 503 with Retry-After on pages and in the API, never 500."""

from django.db import OperationalError, ProgrammingError, connection
from django.test import Client, override_settings
from django.urls import reverse

from core.outages import RETRY_AFTER_SECONDS, is_outage
from core.testing import PersonaTestCase, sign_in

# Nothing listens on port 1: connecting is refused at once, as with a stopped Redis.
DEAD_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def database_down(execute, sql, params, many, context):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def database_bug(execute, sql, params, many, context):
    raise ProgrammingError('column "nope" does not exist')


class TestOutages(PersonaTestCase):
    def client_for(self, persona: str) -> Client:
        # Answer as the server would, instead of raising the exception into the test.
        return sign_in(Client(raise_request_exception=False), getattr(self.world, persona))

    def assert_unavailable(self, response):
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], str(RETRY_AFTER_SECONDS))
        self.assertEqual(response["Cache-Control"], "no-store")

    @override_settings(CACHES=DEAD_REDIS, RATE_LIMITS_ENABLED=True)
    def test_redis_down_is_a_503_page_not_a_500(self):
        client = Client(raise_request_exception=False)
        response = client.post(reverse("accounts:login"), {"email": "a@example.net", "password": "x" * 12})
        self.assert_unavailable(response)
        self.assertIn("Tijdelijk niet beschikbaar", response.content.decode())

    def test_the_database_down_is_a_503_page_even_in_middleware(self):
        client = self.client_for("parent")
        with connection.execute_wrapper(database_down):
            response = client.get(reverse("core:home"))  # the session is read (and fails) in middleware
        self.assert_unavailable(response)
        self.assertIn("Tijdelijk niet beschikbaar", response.content.decode())

    def test_the_api_answers_503_in_its_own_shape(self):
        client = self.client_for("parent")
        with connection.execute_wrapper(database_down):
            response = client.get("/api/v1/groups")
        self.assert_unavailable(response)
        self.assertEqual(response.json()["code"], "unavailable")
        self.assertIn("detail", response.json())

    def test_a_bug_is_still_a_500(self):
        client = self.client_for("parent")
        with connection.execute_wrapper(database_bug):
            response = client.get(reverse("core:home"))
        self.assertEqual(response.status_code, 500)
        self.assertFalse(response.has_header("Retry-After"))


def test_an_outage_is_recognised_through_the_exceptions_it_caused():
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as refused:
            raise RuntimeError("sending failed") from refused
    except RuntimeError as error:
        assert is_outage(error)
    assert not is_outage(ValueError("a bug"))
    assert not is_outage(None)
