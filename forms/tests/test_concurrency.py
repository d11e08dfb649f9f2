"""Two guardians changing the same answer at the same moment, each on their own connection (PostgreSQL)."""

import threading
import unittest

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase

from core.refusals import Invalid
from core.testing import build_world
from core.viewer import verified
from forms.actions import check_answer
from forms.models import Form, Response
from forms.tests.helpers import permission_slip

pytestmark = pytest.mark.postgres


@unittest.skipUnless(
    connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway"
)
class TwoGuardiansAtOnceTest(TransactionTestCase):
    def race(self, form, guardians, answers, version):
        barrier = threading.Barrier(len(guardians))
        outcomes = []

        def press(guardian, answer):
            try:
                barrier.wait()
                fresh = Form.objects.select_related("school").get(pk=form.pk)
                check_answer(
                    acting_user=guardian, form=fresh, pupil=self.world.child, answers=answer, version=version
                )
                outcomes.append(("ok", guardian.first_name))
            except Invalid as refused:
                outcomes.append((refused.code, guardian.first_name))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press, args=pair) for pair in zip(guardians, answers, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(outcomes)

    def test_one_change_wins_and_the_other_is_told(self):
        self.world = build_world()
        verified(self.world.teacher)
        form = permission_slip(self.world)
        first = form.questions.first().public_id
        yes, no = {first: {"yes": True}}, {first: {"yes": False, "reason": "Liever niet"}}
        guardians = [self.world.parent, self.world.co_parent]
        # Both answer first at once: one creates the answer, the other is refused (no second row).
        outcomes = self.race(form, guardians, [yes, no], None)
        self.assertEqual([code for code, _ in outcomes], ["changed_meanwhile", "ok"])
        self.assertEqual(Response.objects.filter(form=form).count(), 1)
        # Both change version 1 at once: exactly one change goes through, to version 2.
        outcomes = self.race(form, guardians, [no, yes], 1)
        self.assertEqual([code for code, _ in outcomes], ["changed_meanwhile", "ok"])
        response = Response.objects.get(form=form)
        self.assertEqual(response.version, 2)
        winner = next(name for code, name in outcomes if code == "ok")
        self.assertEqual(response.answered_by.first_name, winner)
        self.assertEqual(response.answers.count(), 1)
