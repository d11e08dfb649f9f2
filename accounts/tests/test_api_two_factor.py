"""The API demands the two-factor proof the pages demand, on every operation and through both doors."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import check_create_api_token
from accounts.models import ApiToken, hash_token
from accounts.tests.helpers import current_code, log_in
from core.testing import PersonaTestCase
from core.viewer import verified
from media.queries import rendition_url_of
from schoolplein.api import api
from schools.models import StaffRole

# What a staff member may do before two-factor, as on the pages: see who they are signed in as.
OPEN_BEFORE_TWO_FACTOR = {("get", "/api/v1/me")}


def every_operation() -> list[tuple[str, str]]:
    """Each (method, path) of the published API, path parameters filled with an id that exists nowhere."""
    paths = api.get_openapi_schema()["paths"]
    return [
        (method, re.sub(r"\{[^}]+\}", "AAAAAAAAAAAAAAAA", path))
        for path, operations in paths.items()
        for method in operations
    ]


def call(client: Client, method: str, path: str, **headers):
    if method == "get":
        return client.get(path, headers=headers)
    return getattr(client, method)(path, {}, content_type="application/json", headers=headers)


class TestSessionWithoutTwoFactor(PersonaTestCase):
    def setUp(self):
        log_in(self.client, "anna@schakel.test")  # the password only: no authenticator code yet

    def test_it_refuses_every_operation_but_who_am_i(self):
        operations = every_operation()
        self.assertGreater(len(operations), 100)
        for method, path in operations:
            with self.subTest(method=method, path=path):
                response = call(self.client, method, path)
                if (method, path) in OPEN_BEFORE_TWO_FACTOR:
                    self.assertEqual(response.status_code, 200)
                else:
                    self.assertEqual(response.status_code, 403)
                    self.assertIn("twee stappen", response.json()["detail"])

    def test_it_says_who_is_signed_in_and_that_the_code_is_missing(self):
        me = self.client.get("/api/v1/me").json()
        self.assertEqual((me["email"], me["is_two_factor_verified"]), ("anna@schakel.test", False))

    def test_the_same_session_works_once_the_code_is_given(self):
        self.assertEqual(self.client.get("/api/v1/conversations/").status_code, 403)
        device = TOTPDevice.objects.get(user=self.world.teacher)
        self.client.post("/accounts/two-factor/verify/", {"code": current_code(device)})
        self.assertEqual(self.client.get("/api/v1/conversations/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/notifications/").status_code, 200)

    def test_parents_are_never_asked(self):
        parent = Client()
        log_in(parent, "ouder@example.test")
        self.assertEqual(parent.get("/api/v1/conversations/").status_code, 200)


class TestTokensAndTwoFactor(PersonaTestCase):
    def bearer(self, secret: str, path: str = "/api/v1/conversations/"):
        return Client().get(path, headers={"Authorization": f"Bearer {secret}"})

    def test_a_staff_token_carries_the_proof_until_it_expires(self):
        token, secret = check_create_api_token(acting_user=verified(self.world.teacher), name="app")
        self.assertTrue(token.two_factor)
        self.assertAlmostEqual(
            token.expires_at, timezone.now() + timedelta(days=30), delta=timedelta(minutes=1)
        )
        self.assertEqual(self.bearer(secret).status_code, 200)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(self.bearer(secret).status_code, 401)
        self.assertEqual(self.bearer(secret, "/api/v1/me").status_code, 401)

    def test_a_parents_token_lives_longer(self):
        token, secret = check_create_api_token(acting_user=self.world.parent, name="telefoon")
        self.assertFalse(token.two_factor)
        self.assertAlmostEqual(
            token.expires_at, timezone.now() + timedelta(days=365), delta=timedelta(minutes=1)
        )
        self.assertEqual(self.bearer(secret).status_code, 200)

    def test_a_token_made_before_its_user_became_staff_has_no_proof(self):
        _token, secret = check_create_api_token(acting_user=self.world.parent, name="telefoon")
        StaffRole.objects.create(
            user=self.world.parent, school=self.world.school, role=StaffRole.Role.TEACHER
        )
        self.assertEqual(self.bearer(secret).status_code, 403)
        self.assertEqual(self.bearer(secret, "/api/v1/me").json()["is_two_factor_verified"], False)

    def test_a_photo_is_not_served_to_a_staff_token_without_proof(self):
        ApiToken.objects.create(user=self.world.teacher, name="x", token_hash=hash_token("tok"), prefix="tok")
        url = rendition_url_of("AAAAAAAAAAAAAAAA", 1, "400.webp")
        response = Client().get(url, headers={"Authorization": "Bearer tok"})
        self.assertEqual(response.status_code, 302)  # to the sign-in page, as for no token at all

    def test_a_token_cannot_make_a_younger_token(self):
        _token, secret = check_create_api_token(acting_user=verified(self.world.teacher), name="app")
        response = Client().post(
            "/api/v1/tokens",
            {"name": "verlengd"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(ApiToken.objects.count(), 1)
