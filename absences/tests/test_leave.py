import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from absences.actions import check_decide_leave, check_request_leave, check_withdraw_leave
from absences.models import LeaveRequest
from absences.tests.helpers import EnglishTestCase, captured_events, make_leave, weekday_ahead
from core.models import AuditEvent


class TestCheckRequestLeave(EnglishTestCase):
    def request(self, **extra):
        first = weekday_ahead(20)
        values = {"kind": "extraordinary", "starts_on": first, "ends_on": first, "reason": "Bruiloft"} | extra
        return check_request_leave(acting_user=self.world.parent, pupil=self.world.child, **values)

    def test_it_records_a_pending_request(self):
        leave = self.request()
        self.assertTrue(leave.is_pending)
        self.assertTrue(
            AuditEvent.objects.filter(action="leave.requested", object_id=leave.public_id).exists()
        )

    def test_it_wants_holiday_leave_well_ahead(self):
        with self.assertRaisesMessage(ValidationError, "Holiday leave must be asked at least 56 days ahead."):
            self.request(kind="holiday")
        self.request(kind="holiday", starts_on=weekday_ahead(60), ends_on=weekday_ahead(65))

    def test_it_refuses_overlapping_leave(self):
        self.request()
        with self.assertRaisesMessage(ValidationError, "Daan already has leave asked for those days."):
            self.request(reason="Nog een keer")
        self.assertEqual(LeaveRequest.objects.count(), 1)

    def test_it_refuses_bad_dates_and_an_empty_reason(self):
        first = weekday_ahead(20)
        cases = [
            ({"reason": "  "}, "Give the reason for the leave."),
            (
                {"ends_on": first - datetime.timedelta(days=1)},
                "The last day must not be before the first day.",
            ),
            (
                {"starts_on": datetime.date(2020, 1, 6), "ends_on": datetime.date(2020, 1, 6)},
                "before the first day",
            ),
        ]
        for extra, text in cases:
            with self.subTest(text), self.assertRaisesMessage(ValidationError, text):
                self.request(**extra)
        self.assertFalse(LeaveRequest.objects.exists())

    def test_it_refuses_only_days_without_school(self):
        saturday = weekday_ahead(20)
        saturday += datetime.timedelta(days=5 - saturday.weekday())
        with self.assertRaisesMessage(ValidationError, "There is no school on those days."):
            self.request(starts_on=saturday, ends_on=saturday + datetime.timedelta(days=1))


class TestCheckDecideLeave(EnglishTestCase):
    def test_it_grants_with_a_reason_and_tells_both_guardians(self):
        leave = make_leave(self.world)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_decide_leave(acting_user=self.world.director, leave=leave, grant=True, reason="Akkoord")
        leave.refresh_from_db()
        self.assertEqual(
            (leave.status, leave.decision_reason, leave.decided_by),
            ("granted", "Akkoord", self.world.director),
        )
        [event] = seen
        self.assertEqual(event.kind, "absence.decided")
        self.assertEqual(set(event.recipient_ids), {self.world.parent.pk, self.world.co_parent.pk})
        self.assertEqual(event.title, "The leave request for %(child)s was granted")
        self.assertTrue(AuditEvent.objects.filter(action="leave.granted", actor=self.world.director).exists())

    def test_it_is_the_directors_decision(self):
        leave = make_leave(self.world)
        with self.assertRaises(PermissionDenied):
            check_decide_leave(acting_user=self.world.office, leave=leave, grant=True, reason="Akkoord")
        leave.refresh_from_db()
        self.assertTrue(leave.is_pending)

    def test_it_decides_once_and_wants_a_reason(self):
        leave = make_leave(self.world)
        with self.assertRaisesMessage(ValidationError, "Give the reason for the decision."):
            check_decide_leave(acting_user=self.world.director, leave=leave, grant=False, reason=" ")
        check_decide_leave(acting_user=self.world.director, leave=leave, grant=False, reason="Geen grond")
        with self.assertRaisesMessage(ValidationError, "already been dealt with"):
            check_decide_leave(acting_user=self.world.director, leave=leave, grant=True, reason="Toch wel")
        leave.refresh_from_db()
        self.assertEqual(leave.status, "refused")


class TestCheckWithdrawLeave(EnglishTestCase):
    def test_it_withdraws_and_tells_the_other_guardian(self):
        leave = make_leave(self.world)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_withdraw_leave(acting_user=self.world.parent, leave=leave)
        leave.refresh_from_db()
        self.assertEqual(leave.status, "withdrawn")
        self.assertEqual(seen[0].recipient_ids, (self.world.co_parent.pk,))

    def test_it_refuses_a_refused_request(self):
        leave = make_leave(self.world, status="refused")
        with self.assertRaisesMessage(ValidationError, "can no longer be withdrawn"):
            check_withdraw_leave(acting_user=self.world.parent, leave=leave)
