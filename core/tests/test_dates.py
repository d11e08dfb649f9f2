import datetime
import re
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from core.dates import STYLES, format_clock, format_when

WEDNESDAY = datetime.datetime(2026, 12, 16, 8, 30, tzinfo=datetime.UTC)  # 09:30 in Amsterdam


class TestFormatWhen(SimpleTestCase):
    def test_it_writes_dutch_months_and_days_in_lower_case(self):
        assert format_when(WEDNESDAY, "day", language="nl") == "16 dec"
        assert format_when(WEDNESDAY, "weekday", language="nl") == "woensdag 16 december"
        assert format_when(WEDNESDAY, "short_weekday", language="nl") == "wo 16 dec"
        assert format_when(WEDNESDAY, "day_time", language="nl") == "16 dec 09:30"

    def test_it_writes_english_months_and_days_capitalised(self):
        assert format_when(WEDNESDAY, "day", language="en") == "16 Dec"
        assert format_when(WEDNESDAY, "weekday", language="en") == "Wednesday 16 December"

    def test_it_shows_school_time_for_any_aware_moment(self):
        tokyo = WEDNESDAY.astimezone(ZoneInfo("Asia/Tokyo"))
        assert format_when(tokyo, "time", language="nl") == "09:30"

    def test_it_follows_the_active_language_in_templates(self):
        template = Template('{% load dates %}{{ moment|when:"day" }} · {{ day|when:"weekday" }}')
        context = Context({"moment": WEDNESDAY, "day": datetime.date(2026, 12, 4)})
        with translation.override("nl"):
            assert template.render(context) == "16 dec · vrijdag 4 december"
        with translation.override("en"):
            assert template.render(context) == "16 Dec · Friday 4 December"

    def test_every_style_has_an_english_format_and_empty_stays_empty(self):
        assert all("en" in formats for formats in STYLES.values())
        assert format_when(None, "day") == ""


class TestOneOwnerOfDateFormats(SimpleTestCase):
    def test_no_template_formats_a_date_for_people_itself(self):
        """Templates use |when (core.dates); |date only for machine formats (an ISO stamp, a year)."""
        from pathlib import Path

        root = Path(__file__).resolve().parents[2]
        offenders = [
            str(path.relative_to(root))
            for path in root.glob("*/templates/**/*.html")
            if re.search(r'\|date:"(?!c"|Y"|Y-m-d")', path.read_text())
        ]
        assert offenders == []


class TestFormatClock(SimpleTestCase):
    def test_it_writes_a_length_as_a_clock_shows_it(self):
        assert format_clock(41.6) == "0:42"
        assert format_clock(725) == "12:05"
        assert format_clock(3729) == "1:02:09"
        assert format_clock(None) == "" and format_clock(0) == "0:00"
