import datetime

from django.core.exceptions import ValidationError

from absences.actions import check_change_absence, check_report_absence, check_withdraw_absence
from absences.models import Absence, AbsencePolicy
from absences.tests.helpers import (
    EnglishTestCase,
    captured_events,
    make_absence,
    make_closure,
    monday_ahead,
    school_moment,
    weekday_ahead,
)


class TestCheckReportAbsence(EnglishTestCase):
    def report(self, day, now=None, **extra):
        values = {"kind": "dentist", "note": "Controle"} | extra
        return check_report_absence(
            acting_user=self.world.parent, pupil=self.world.child, day=day, now=now, **values
        )

    def assertRefused(self, text, day, now=None, **extra):
        with self.assertRaisesMessage(ValidationError, text):
            self.report(day, now, **extra)
        self.assertFalse(Absence.objects.filter(pupil=self.world.child, starts_on=day, note="Bad").exists())

    def test_it_accepts_a_dentist_visit_with_a_time_span(self):
        day = weekday_ahead()
        absence = self.report(day, from_time=datetime.time(10), until_time=datetime.time(11, 30))
        self.assertEqual(absence.starts_on, day)
        self.assertEqual(absence.ends_on, day)
        self.assertEqual(absence.reported_by, self.world.parent)
        self.assertFalse(absence.is_whole_day)

    def test_it_refuses_a_date_in_the_past(self):
        self.assertRefused("That date is in the past.", datetime.date(2020, 3, 2), note="Bad")

    def test_it_refuses_a_weekend(self):
        saturday = monday_ahead() + datetime.timedelta(days=5)
        self.assertRefused("There is no school at the weekend.", saturday, note="Bad")

    def test_it_refuses_a_study_day(self):
        closure = make_closure(self.world, name="Studiedag team")
        self.assertRefused("no school on that day (Studiedag team)", closure.starts_on, note="Bad")

    def test_it_refuses_the_same_day_with_the_phone_number(self):
        monday = monday_ahead()
        text = "It is too late to report this in the app. Please call the school: 071 123 45 67."
        self.assertRefused(text, monday, now=school_moment(monday, 7), note="Bad")

    def test_it_takes_the_day_before_until_the_cutoff_hour(self):
        tuesday = monday_ahead() + datetime.timedelta(days=1)
        self.report(tuesday, now=school_moment(tuesday - datetime.timedelta(days=1), 16, 59))
        wednesday = tuesday + datetime.timedelta(days=1)
        self.assertRefused("too late", wednesday, now=school_moment(tuesday, 17), note="Bad")

    def test_it_counts_school_days_back_over_the_weekend(self):
        monday = monday_ahead()
        friday = monday - datetime.timedelta(days=3)
        self.assertRefused("too late", monday, now=school_moment(friday, 18), note="Bad")
        self.report(monday, now=school_moment(friday, 12))

    def test_it_follows_the_school_lead_time(self):
        AbsencePolicy.objects.create(school=self.world.school, lead_school_days=3, cutoff_hour=12)
        thursday = monday_ahead() + datetime.timedelta(days=3)
        self.assertRefused("too late", thursday, now=school_moment(thursday - datetime.timedelta(days=3), 12))
        self.report(thursday, now=school_moment(thursday - datetime.timedelta(days=3), 11))

    def test_it_refuses_overlapping_reports(self):
        day = weekday_ahead()
        self.report(day, from_time=datetime.time(9), until_time=datetime.time(10))
        self.report(day, kind="doctor", from_time=datetime.time(10), until_time=datetime.time(11))
        self.assertRefused("Daan already has an absence reported at that time.", day, note="Bad")
        self.assertEqual(Absence.objects.filter(pupil=self.world.child).count(), 2)

    def test_it_refuses_half_a_time_span(self):
        self.assertRefused("Give both a start and an end time", weekday_ahead(), from_time=datetime.time(9))

    def test_it_refuses_an_end_before_the_start(self):
        self.assertRefused(
            "The end time must be after the start time.",
            weekday_ahead(),
            from_time=datetime.time(11),
            until_time=datetime.time(10),
        )

    def test_it_refuses_sick_as_a_planned_kind(self):
        self.assertRefused("Choose the kind of absence.", weekday_ahead(), kind="sick")


class TestCheckChangeAbsence(EnglishTestCase):
    def test_it_changes_and_tells_the_other_guardian(self):
        absence = make_absence(self.world)
        new_day = absence.starts_on + datetime.timedelta(days=1 if absence.starts_on.weekday() < 4 else 3)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_change_absence(
                acting_user=self.world.parent, absence=absence, kind="doctor", day=new_day, note="Huisarts"
            )
        absence.refresh_from_db()
        self.assertEqual(
            (absence.kind, absence.starts_on, absence.changed_by), ("doctor", new_day, self.world.parent)
        )
        [event] = seen
        self.assertEqual(event.kind, "absence.changed")
        self.assertEqual(event.recipient_ids, (self.world.co_parent.pk,))
        self.assertEqual(event.title_params, {"child": "Daan"})
        self.assertNotIn("Huisarts", event.title)

    def test_it_refuses_after_the_deadline(self):
        absence = make_absence(self.world)
        with self.assertRaisesMessage(ValidationError, "too late"):
            check_change_absence(
                acting_user=self.world.parent,
                absence=absence,
                kind="doctor",
                day=absence.starts_on,
                now=school_moment(absence.starts_on, 8),
            )
        absence.refresh_from_db()
        self.assertEqual(absence.kind, "dentist")


class TestCheckWithdrawAbsence(EnglishTestCase):
    def test_it_withdraws_and_tells_the_other_guardian(self):
        absence = make_absence(self.world)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_withdraw_absence(acting_user=self.world.co_parent, absence=absence)
        absence.refresh_from_db()
        self.assertIsNotNone(absence.withdrawn_at)
        [event] = seen
        self.assertEqual(event.recipient_ids, (self.world.parent.pk,))
        self.assertEqual(event.data, {"change": "withdrawn"})

    def test_it_refuses_a_second_withdrawal(self):
        absence = make_absence(self.world, withdrawn_at=school_moment(weekday_ahead(), 8))
        with self.assertRaisesMessage(ValidationError, "This report has been withdrawn."):
            check_withdraw_absence(acting_user=self.world.parent, absence=absence)
