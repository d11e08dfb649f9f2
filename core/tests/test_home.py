from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import PersonaTestCase, make_child
from schools.models import Group


class TestHomeView(PersonaTestCase):
    def test_it_shows_a_parent_their_children_and_groups(self):
        response = self.login("parent").get("/")
        assert response.status_code == 200
        text = response.content.decode()
        for expected in ("Daan", "Eva", "Groep 3", "Groep 6", "De Schakel"):
            assert expected in text
        assert "Groep 4" not in text

    def test_it_shows_an_outsider_only_their_own_class(self):
        text = self.login("outsider").get("/").content.decode()
        assert "Groep 4" in text
        assert "Groep 3" not in text and "Daan" not in text

    def test_it_sends_anonymous_visitors_to_login(self):
        response = self.client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_renders_in_constant_queries_however_many_children(self):
        client = self.login("parent")
        client.get("/")  # first request may refresh the sliding session

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/").status_code == 200
            return len(queries)

        baseline = count()
        w = self.world
        for n in range(4):
            group = Group.objects.create(school=w.school, school_year=w.year, name=f"Groep 8{n}")
            make_child(w.school, group, f"Kind{n}", "Mulder", w.parent)
        make_child(w.other_school, w.other_school_group, "Stijn", "Mulder", w.parent)
        assert count() == baseline
        with self.assertNumQueries(baseline):
            text = client.get("/").content.decode()
        assert "Groep 83" in text and "De Regenboog" in text
