"""Director and office press "open" or "apply" at the same moment, each on their own connection."""

import threading
import unittest

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase

from core.refusals import Invalid
from core.testing import build_world
from roster.models import Placement, Rollover
from roster.rollover import check_apply_rollover, check_open_next_year
from schools.models import Enrolment, SchoolYear

pytestmark = pytest.mark.postgres


def at_once(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(repr(call()))
        except Invalid as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@unittest.skipUnless(
    connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway"
)
class TestRolloverConcurrency(TransactionTestCase):
    def test_the_next_year_is_opened_once(self):
        w = build_world()
        outcomes = at_once(
            lambda: check_open_next_year(acting_user=w.director, school=w.school),
            lambda: check_open_next_year(acting_user=w.office, school=w.school),
        )
        self.assertEqual(outcomes.count("already_open"), 1, outcomes)
        self.assertEqual(Rollover.objects.count(), 1)
        self.assertEqual(SchoolYear.objects.filter(school=w.school).count(), 3)

    def test_two_applies_at_once_place_every_pupil_once(self):
        w = build_world()
        rollover = check_open_next_year(acting_user=w.director, school=w.school)
        at_once(
            lambda: check_apply_rollover(acting_user=w.director, rollover=rollover),
            lambda: check_apply_rollover(acting_user=w.office, rollover=rollover),
        )
        placed = Placement.objects.filter(rollover=rollover, group__isnull=False).count()
        self.assertEqual(Enrolment.objects.filter(school_year=rollover.to_year).count(), placed)
