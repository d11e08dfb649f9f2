"""Forty families open the same post in Arabic at the same moment, each on their own connection."""

import threading
import unittest

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase, override_settings

from core.task_testing import DB_TASKS, run_database_queue
from core.testing import build_world, make_child, make_user
from core.viewer import verified
from posts.actions import Draft, check_publish_post
from translation.actions import check_request_translation
from translation.models import SchoolTranslation, Translation
from translation.testing import LibreTranslatePeer


@pytest.mark.postgres
@unittest.skipUnless(
    connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway"
)
class TestOneEngineCallForReadersAtTheSameMoment(TransactionTestCase):
    def test_forty_readers_at_once_make_one_row_one_task_and_one_engine_call(self):
        from django_tasks_db.models import DBTaskResult

        world = build_world()
        SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
        post = check_publish_post(
            acting_user=verified(world.director),
            groups=[world.wide],
            draft=Draft(title="Studiedag", body="<p>morgen</p>"),
        )
        readers = []
        for number in range(40):
            reader = make_user(f"tegelijk{number}@example.test", "Ouder", f"{number}")
            make_child(world.school, world.group4, "Kind", f"{number}", reader)
            readers.append(reader)
        barrier = threading.Barrier(len(readers))
        states: list[str] = []

        def read(reader):
            try:
                barrier.wait()
                outcome = check_request_translation(
                    viewer=reader, kind="post", public_id=post.public_id, language="ar"
                )
                states.append(outcome.state)
            finally:
                connections.close_all()

        with (
            LibreTranslatePeer() as peer,
            override_settings(TRANSLATION_LIBRETRANSLATE_URL=peer.url, TASKS=DB_TASKS),
        ):
            threads = [threading.Thread(target=read, args=(reader,)) for reader in readers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.assertEqual(states, ["pending"] * 40)
            self.assertEqual(Translation.objects.count(), 1)
            self.assertEqual(DBTaskResult.objects.filter(task_path="translation.tasks.translate").count(), 1)
            run_database_queue()
            self.assertEqual(peer.calls, 1)
        self.assertEqual(Translation.objects.get().state, "ready")
