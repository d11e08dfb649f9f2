import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from absences.actions import (
    check_record_sick_call,
    check_recovered,
    check_report_sick,
    check_withdraw_absence,
)
from absences.models import Absence, AbsencePolicy
from absences.tests.helpers import EnglishTestCase, captured_events, monday_ahead, school_moment
from core.models import AuditEvent


class SickTestCase(EnglishTestCase):
    def setUp(self):
        super().setUp()
        AbsencePolicy.objects.create(school=self.world.school, sick_reports=AbsencePolicy.SickReports.APP)
        self.monday = monday_ahead()

    def report(self, now, **extra):
        return check_report_sick(acting_user=self.world.parent, pupil=self.world.child, now=now, **extra)


class TestCheckReportSick(SickTestCase):
    def test_it_refuses_in_the_app_when_the_school_wants_a_phone_call(self):
        AbsencePolicy.objects.filter(school=self.world.school).update(sick_reports="phone")
        with self.assertRaisesMessage(ValidationError, "Sick reports go by phone: call 071 123 45 67 before"):
            self.report(school_moment(self.monday, 7))
        self.assertFalse(Absence.objects.exists())

    def test_it_takes_a_report_before_the_cutoff(self):
        absence = self.report(school_moment(self.monday, 8, 29), note="Koorts")
        self.assertTrue(absence.is_open)
        self.assertEqual(absence.starts_on, self.monday)

    def test_it_refuses_after_the_cutoff_with_the_phone_number(self):
        with self.assertRaisesMessage(ValidationError, "Please call the school: 071 123 45 67."):
            self.report(school_moment(self.monday, 8, 30))

    def test_it_takes_a_report_for_tomorrow_in_the_evening(self):
        absence = self.report(school_moment(self.monday, 20), day=self.monday + datetime.timedelta(days=1))
        self.assertEqual(absence.starts_on, self.monday + datetime.timedelta(days=1))

    def test_it_refuses_a_day_further_ahead(self):
        with self.assertRaisesMessage(
            ValidationError, "Report sick on the day itself, or the evening before."
        ):
            self.report(school_moment(self.monday, 7), day=self.monday + datetime.timedelta(days=2))

    def test_it_refuses_a_second_open_sick_report(self):
        self.report(school_moment(self.monday, 7))
        with self.assertRaisesMessage(ValidationError, "Daan is already reported sick."):
            self.report(school_moment(self.monday + datetime.timedelta(days=1), 7))
        self.assertEqual(Absence.objects.filter(pupil=self.world.child).count(), 1)

    def test_it_refuses_the_weekend(self):
        with self.assertRaisesMessage(ValidationError, "There is no school at the weekend."):
            self.report(school_moment(self.monday - datetime.timedelta(days=2), 7))


class TestCheckRecovered(SickTestCase):
    def test_it_closes_the_report_and_a_new_one_can_follow(self):
        absence = self.report(school_moment(self.monday, 7))
        wednesday = self.monday + datetime.timedelta(days=2)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_recovered(acting_user=self.world.parent, absence=absence, now=school_moment(wednesday, 7))
        absence.refresh_from_db()
        # Better before the morning cutoff: back at school on Wednesday, sick until Tuesday.
        self.assertEqual(absence.ends_on, self.monday + datetime.timedelta(days=1))
        self.assertFalse(absence.is_open)
        self.assertEqual(seen[0].recipient_ids, (self.world.co_parent.pk,))
        self.report(school_moment(self.monday + datetime.timedelta(days=7), 7))

    def test_it_refuses_a_closed_report(self):
        absence = self.report(school_moment(self.monday, 7))
        check_recovered(acting_user=self.world.parent, absence=absence, now=school_moment(self.monday, 12))
        with self.assertRaisesMessage(ValidationError, "not an open sick report"):
            check_recovered(
                acting_user=self.world.parent, absence=absence, now=school_moment(self.monday, 13)
            )


class TestWithdrawSickReport(SickTestCase):
    def test_it_tells_the_class_teachers_when_it_concerns_today(self):
        absence = self.report(school_moment(self.monday, 7))
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_withdraw_absence(
                acting_user=self.world.parent, absence=absence, now=school_moment(self.monday, 8)
            )
        [event] = seen
        self.assertEqual(
            set(event.recipient_ids),
            {self.world.co_parent.pk, self.world.teacher.pk, self.world.duo_teacher.pk},
        )

    def test_it_refuses_after_the_morning_cutoff(self):
        absence = self.report(school_moment(self.monday, 7))
        with self.assertRaisesMessage(ValidationError, "too late"):
            check_withdraw_absence(
                acting_user=self.world.parent, absence=absence, now=school_moment(self.monday, 9)
            )


class TestCheckRecordSickCall(SickTestCase):
    def call(self, persona="office", hour=9):
        return check_record_sick_call(
            acting_user=getattr(self.world, persona),
            pupil=self.world.child,
            now=school_moment(self.monday, hour),
        )

    def test_it_notes_the_call_after_the_morning_cutoff_too_and_audits_it(self):
        absence = self.call(hour=10)
        self.assertEqual(
            (absence.starts_on, absence.reported_by, absence.is_open), (self.monday, self.world.office, True)
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="absence.sick_call_recorded", actor=self.world.office).exists()
        )

    def test_it_keeps_one_open_sick_report(self):
        self.report(school_moment(self.monday, 7))
        with self.assertRaisesMessage(ValidationError, "Daan is already reported sick."):
            self.call()

    def test_it_is_for_the_office_only(self):
        with self.assertRaises(PermissionDenied):
            self.call("teacher")
        self.assertFalse(Absence.objects.exists())
