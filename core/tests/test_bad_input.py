"""Bad input anywhere gets a clear, translated answer and never a 500."""

from django.test import Client

from accounts.actions import check_create_api_token
from core.testing import PersonaTestCase


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


class TestOversizedRequests(PersonaTestCase):
    def test_it_refuses_an_oversized_form_post_with_a_clear_page(self):
        with self.settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000):
            response = Client().post(
                "/accounts/login/", {"email": "x@example.test", "password": "p" * 20_000}
            )
        assert response.status_code == 400
        assert "Er klopte iets niet aan dit verzoek" in response.content.decode()

    def test_it_refuses_an_oversized_api_body_and_changes_nothing(self):
        _, secret = check_create_api_token(acting_user=self.world.parent, name="phone")
        with self.settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000):
            response = Client().patch(
                "/api/v1/me",
                {"first_name": "a" * 20_000},
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}"},
            )
        assert response.status_code == 400
        assert response.json() == {"detail": "Het verzoek is te groot.", "code": "bad_request"}
        self.world.parent.refresh_from_db()
        assert self.world.parent.first_name == "Sanne"


class TestUnparsableApiBody(PersonaTestCase):
    def test_it_says_the_body_is_not_json(self):
        _, secret = check_create_api_token(acting_user=self.world.parent, name="phone")
        response = Client().patch(
            "/api/v1/me",
            "{not json",
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert response.status_code == 400
        assert response.json() == {
            "detail": "De inhoud van het verzoek is geen geldige JSON.",
            "code": "bad_request",
        }


class TestCsrfFailure(PersonaTestCase):
    def test_it_refuses_an_api_write_from_the_session_without_the_token(self):
        client = self.client_for("parent")
        client.handler.enforce_csrf_checks = True
        response = client.patch("/api/v1/me", {"first_name": "X"}, content_type="application/json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
        self.world.parent.refresh_from_db()
        assert self.world.parent.first_name == "Sanne"

    def test_it_explains_an_expired_form_in_dutch(self):
        response = Client(enforce_csrf_checks=True).post(
            "/accounts/login/", {"email": "a@b.test", "password": "x"}
        )
        assert response.status_code == 403
        assert "Deze pagina is verlopen" in response.content.decode()

    def test_it_explains_an_expired_form_in_english_for_an_english_user(self):
        self.world.parent.language = "en"
        self.world.parent.save(update_fields=["language"])
        client = self.client_for("parent")
        client.handler.enforce_csrf_checks = True
        response = client.post("/accounts/language/", {"language": "nl"})
        assert response.status_code == 403
        assert "This page has expired" in response.content.decode()


class TestMalformedIds(PersonaTestCase):
    def test_it_answers_404_for_a_malformed_id_in_a_page_url(self):
        client = self.login("parent")
        for path in ("/groups/not-an-id/", "/groups/%27%3B--/", "/groups/" + "A" * 16 + "/"):
            assert client.get(path).status_code == 404, path

    def test_it_answers_404_json_for_a_malformed_id_in_the_api(self):
        client = self.login("parent")
        response = client.get("/api/v1/groups/not-an-id")
        assert response.status_code == 404
        assert response.json()["detail"]

    def test_it_answers_the_same_404_for_someone_elses_group(self):
        client = self.login("outsider")
        mine = client.get(f"/groups/{self.world.group3.public_id}/")
        missing = client.get("/groups/" + "B" * 16 + "/")
        assert mine.status_code == missing.status_code == 404
        assert main_text(mine) == main_text(missing)
