"""Retention on the demo board: families and pupils still enrolled are never touched."""

from django.db.models import Count
from django.test import TestCase

from absences.models import Absence, LeaveRequest
from accounts.models import User
from conversations.models import Conversation
from core.clock import school_today
from demo.seed import seed_demo
from privacy import actions
from privacy.retention import months_before
from schools.models import Enrolment, Guardianship, Pupil


class TestRetentionOnTheDemoBoard(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(with_content=False)

    def test_only_families_whose_children_all_left_long_ago_go(self):
        long_ago = months_before(school_today(), 30)
        # Every tenth pupil left two and a half years ago; some of them have a brother or sister still here.
        leavers = list(Pupil.objects.order_by("id").values_list("id", flat=True)[::10])
        Enrolment.objects.filter(pupil_id__in=leavers).update(left_on=long_ago)
        staying = Pupil.objects.exclude(id__in=leavers)
        enrolled_families = set(
            Guardianship.objects.filter(pupil__in=staying).values_list("guardian_id", flat=True)
        )
        gone_families = (
            set(Guardianship.objects.filter(pupil_id__in=leavers).values_list("guardian_id", flat=True))
            - enrolled_families
        )
        self.assertTrue(gone_families)
        # Siblings: at least one family has a leaver and a child who stays.
        mixed = Guardianship.objects.filter(pupil_id__in=leavers, guardian_id__in=enrolled_families)
        self.assertTrue(mixed.exists())
        before = User.objects.count()
        staying_ids = list(staying.values_list("id", flat=True))
        still_named = {
            pupil_id
            for model in (Absence, LeaveRequest, Conversation)
            for pupil_id in model.objects.filter(pupil_id__in=leavers).values_list("pupil_id", flat=True)
        }

        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(force=True)

        remaining = set(User.objects.values_list("id", flat=True))
        self.assertLessEqual(enrolled_families, remaining)
        self.assertEqual(gone_families & remaining, set())
        self.assertEqual(User.objects.count(), before - len(gone_families))
        # The leavers' own records went too, but not one still named by an absence, leave or conversation
        # (kept for their own periods); no pupil still enrolled was touched.
        self.assertEqual(set(Pupil.objects.filter(id__in=leavers).values_list("id", flat=True)), still_named)
        self.assertEqual(Pupil.objects.filter(id__in=staying_ids).count(), len(staying_ids))
        self.assertFalse(
            Guardianship.objects.values("pupil")
            .annotate(n=Count("id"))
            .filter(pupil__in=staying, n=0)
            .exists()
        )
