"""Two parents press the same free time at the same instant, each with their own request and connection."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client, TransactionTestCase

from conferences.models import Slot, Talk
from conferences.tests.helpers import make_round
from core.testing import build_world, sign_in


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises all writers"
)
class TestSameFreeSlot(TransactionTestCase):
    def test_exactly_one_gets_it_and_the_other_is_told_with_the_times_still_free(self):
        w = build_world()
        round_ = make_round(w, phase="published", groups=[w.group3])
        talks = {
            "parent": Talk.objects.get(round=round_, pupils=w.child),
            "class_parent": Talk.objects.get(round=round_, pupils=w.class_parent_child),
        }
        clients = {persona: sign_in(Client(), getattr(w, persona)) for persona in talks}
        free = list(
            Slot.objects.filter(round=round_, teacher=w.teacher, talk__isnull=True).order_by("-starts_at")
        )
        for attempt, target in enumerate(free[:5]):  # five races, each on another free slot
            barrier = threading.Barrier(2)
            pages: dict[str, str] = {}

            def press(persona, target=target, barrier=barrier, pages=pages):
                try:
                    barrier.wait()
                    response = clients[persona].post(
                        f"/conferences/talks/{talks[persona].public_id}/move/",
                        {"starts_at": target.starts_at.isoformat()},
                        follow=True,
                    )
                    pages[persona] = response.content.decode()
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=press, args=(persona,)) for persona in talks]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            holders = set(
                Slot.objects.filter(starts_at=target.starts_at, round=round_).values_list(
                    "talk_id", flat=True
                )
            )
            assert len(holders) == 1 and None not in holders, f"race {attempt}: {holders}"
            [winner] = [p for p, t in talks.items() if t.pk in holders]
            [loser] = [p for p in talks if p != winner]
            assert "Iemand anders heeft die tijd net genomen" in pages[loser]
            assert 'data-testid="free-times"' in pages[loser]  # the times still free, to choose again
            assert "Het gesprek heeft een nieuwe tijd" in pages[winner]
            # Every talk still holds exactly its two slots (duo teachers together), nothing half-moved.
            for talk in talks.values():
                assert Slot.objects.filter(talk=talk).count() == 2
