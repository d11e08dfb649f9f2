"""NUL characters are taken out of text before any view reads it (PostgreSQL answered a 500 for them)."""

import json

from core.middleware import without_nul_json
from core.testing import PersonaTestCase
from posts.models import Post


class NulCharacterTest(PersonaTestCase):
    def test_a_query_parameter_with_nul_is_read_without_it(self):
        response = self.client_for("parent").get("/api/v1/posts", {"group": "\x00"})
        self.assertEqual(response.status_code, 200)

    def test_a_json_body_is_stored_without_nul(self):
        client = self.client_for("teacher")
        body = {
            "title": "Gym\u0000les",
            "body": "Morgen\u0000 gym",
            "groups": [self.world.group3.public_id],
        }
        response = client.post("/api/v1/posts", json.dumps(body), content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Post.objects.get().title, "Gymles")

    def test_a_form_field_is_read_without_nul(self):
        client = self.client_for("parent")
        client.post("/accounts/language/", "language=en%00", content_type="application/x-www-form-urlencoded")
        self.world.parent.refresh_from_db()
        self.assertEqual(self.world.parent.language, "en")

    def test_json_that_is_not_json_is_left_alone_and_escapes_survive(self):
        self.assertEqual(without_nul_json(b"{not json"), b"{not json")
        # A written-out backslash before "u0000" is text, not a NUL: it stays.
        self.assertEqual(json.loads(without_nul_json(b'{"a": "x\\\\u0000y\\u0000"}')), {"a": "x\\u0000y"})
