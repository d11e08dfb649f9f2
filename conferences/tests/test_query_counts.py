"""The pages a whole school opens in the same days cost a fixed number of queries, however big the round."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from conferences.tests.helpers import ConferenceTestCase, make_round
from core.testing import make_child


def queries(client, path: str) -> int:
    client.get(path)  # the first request of a session also renews it: count a later one
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


class TestQueryCounts(ConferenceTestCase):
    def grow(self, families: int) -> None:
        """More families in Groep 3 and 6 (the parent gets two more children as well)."""
        w = self.world
        for n in range(families):
            guardian = User.objects.create_user(f"extra{n}@example.test", "x", first_name=f"E{n}")
            make_child(w.school, w.group3 if n % 2 else w.group6, f"Kind{n}", "Extra", guardian)

    def test_a_parents_preferences_page_is_constant(self):
        round_ = make_round(self.world)
        client = self.login("parent")
        path = f"/conferences/{round_.public_id}/"
        small = queries(client, path)
        self.grow(12)
        assert queries(client, path) == small <= 30

    def test_a_parents_times_and_a_teachers_evening_are_constant(self):
        w = self.world
        small_round = make_round(w, phase="published", name="Klein")
        parent, teacher = self.login("parent"), self.client_for("teacher")
        small = (
            queries(parent, f"/conferences/{small_round.public_id}/"),
            queries(teacher, f"/conferences/{small_round.public_id}/evening/"),
        )
        self.grow(8)
        make_child(w.school, w.group3, "Pim", "Mulder", w.parent)
        big_round = make_round(w, phase="published", name="Groot")
        big = (
            queries(parent, f"/conferences/{big_round.public_id}/"),
            queries(teacher, f"/conferences/{big_round.public_id}/evening/"),
        )
        assert big == small, (small, big)
        assert max(big) <= 30
