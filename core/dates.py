"""Dates and times as people read them, per language: the one owner of date formats on pages and in mail.

Django's ``M`` capitalises the month ("4 Dec"), which is right in English and wrong in Dutch ("4 dec"), so
each style names its format per language; a language without its own entry uses the English one.

    day            4 dec            4 Dec
    day_time       4 dec 09:30      4 Dec 09:30
    day_year       4 dec 2026       4 Dec 2026
    short_weekday  vr 4 dec         Fri 4 Dec
    weekday        vrijdag 4 december           Friday 4 December
    weekday_time   vrijdag 4 december 09:30     Friday 4 December 09:30
    date           4 december 2026  4 December 2026
    date_time      4 december 2026 09:30        4 December 2026 09:30
    month          december 2026    December 2026
    time           09:30            09:30

Templates: ``{% load dates %}{{ post.published_at|when:"day_time" }}``; Python: ``format_when(value, "day")``.
Aware datetimes are shown in the school's time zone (Europe/Amsterdam).

A length of time (a video's) is written as a clock shows it: ``{{ media.duration|clock }}`` gives "0:42",
"12:05" or "1:02:09".
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import get_language, override

from core.clock import SCHOOL_TZ

STYLES: dict[str, dict[str, str]] = {
    "day": {"en": "j M", "nl": "j b"},
    "day_time": {"en": "j M H:i", "nl": "j b H:i"},
    "day_year": {"en": "j M Y", "nl": "j b Y"},
    "day_year_time": {"en": "j M Y H:i", "nl": "j b Y H:i"},
    "short_weekday": {"en": "D j M", "nl": "D j b"},
    "short_weekday_year": {"en": "D j M Y", "nl": "D j b Y"},
    "day_month": {"en": "j F"},
    "day_month_time": {"en": "j F H:i"},
    "weekday": {"en": "l j F"},
    "weekday_time": {"en": "l j F H:i"},
    "weekday_year": {"en": "l j F Y"},
    "weekday_year_time": {"en": "l j F Y H:i"},
    "date": {"en": "j F Y"},
    "date_time": {"en": "j F Y H:i"},
    "month": {"en": "F Y"},
    "time": {"en": "H:i"},
}


def format_when(value, style: str = "day", *, language: str | None = None) -> str:
    """Format a date or datetime in the named style for the active (or given) language."""
    if value in (None, ""):
        return ""
    formats = STYLES[style]
    active = get_language()
    code = (language or active or "nl").split("-")[0]
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, SCHOOL_TZ)
    pattern = formats.get(code, formats["en"])
    if code == active:  # the common case (a page's own language): switching costs more than the format
        return django_format(value, pattern)
    with override(code):  # the month and day names follow the language of the format
        return django_format(value, pattern)


def format_clock(seconds) -> str:
    """A length in seconds as minutes:seconds, with hours when there are any; "" for none."""
    if seconds in (None, ""):
        return ""
    total = max(0, round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
