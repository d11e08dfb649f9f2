import datetime
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase
from django.utils import translation

from conversations.availability import describe_days, next_working_moment, who_reads_lines
from conversations.models import Availability, SchoolMessaging
from core.testing import PersonaTestCase

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MON_TO_WED = Availability(days="123", starts_at=datetime.time(8, 0), ends_at=datetime.time(15, 0))


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in the week of Monday 16 November 2026."""
    return datetime.datetime(2026, 11, 15 + day, hour, minute, tzinfo=AMSTERDAM)


class TestNextWorkingMoment(SimpleTestCase):
    def test_it_is_none_inside_working_hours(self):
        self.assertIsNone(next_working_moment(MON_TO_WED, at(1, 8)))
        self.assertIsNone(next_working_moment(MON_TO_WED, at(3, 14, 59)))

    def test_it_waits_for_the_start_of_the_same_day(self):
        self.assertEqual(next_working_moment(MON_TO_WED, at(2, 6, 30)), at(2, 8))

    def test_it_waits_for_the_next_working_day_after_hours(self):
        self.assertEqual(next_working_moment(MON_TO_WED, at(1, 15)), at(2, 8))

    def test_it_waits_over_the_weekend_and_days_off(self):
        self.assertEqual(next_working_moment(MON_TO_WED, at(3, 20)), at(8, 8))
        self.assertEqual(next_working_moment(MON_TO_WED, at(5, 10)), at(8, 8))

    def test_it_answers_in_school_time_for_a_utc_moment(self):
        utc_evening = datetime.datetime(2026, 11, 16, 14, 30, tzinfo=datetime.UTC)  # 15:30 in Amsterdam
        self.assertEqual(next_working_moment(MON_TO_WED, utc_evening), at(2, 8))


class TestDescribeDays(SimpleTestCase):
    def test_it_says_a_run_of_days_as_a_range_in_dutch(self):
        with translation.override("nl"):
            self.assertEqual(describe_days([1, 2, 3]), "maandag t/m woensdag")
            self.assertEqual(describe_days([1, 2, 4]), "maandag, dinsdag en donderdag")
        with translation.override("en"):
            self.assertEqual(describe_days([1, 2, 3, 4, 5]), "Monday to Friday")


class TestWhoReadsLines(PersonaTestCase):
    def test_it_names_each_teacher_the_promise_and_the_phone(self):
        Availability.objects.create(
            user=self.world.teacher, school=self.world.school, days="123", ends_at=datetime.time(15, 0)
        )
        SchoolMessaging.objects.create(school=self.world.school, reply_days=2, phone="071 402 11 22")
        with translation.override("nl"):
            lines = who_reads_lines(
                teachers=[self.world.teacher, self.world.duo_teacher], school=self.world.school
            )
        self.assertEqual(
            lines,
            [
                "Anna Jansen werkt maandag t/m woensdag, 08:00–15:00.",
                "Bram Smit werkt maandag t/m vrijdag, 08:00–16:30.",
                "Verwacht binnen 2 werkdagen een antwoord.",
                "Dringend? Bel de school: 071 402 11 22",
            ],
        )

    def test_it_falls_back_to_the_school_phone(self):
        with translation.override("en"):
            lines = who_reads_lines(teachers=[], school=self.world.school)
        self.assertEqual(
            lines, ["Expect a reply within 2 working days.", "Urgent? Call the school: 071 123 45 67"]
        )
