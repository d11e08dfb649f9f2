"""The school clock: stored times are UTC, school days are judged in Europe/Amsterdam."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


def now() -> datetime.datetime:
    return timezone.now()


def school_today() -> datetime.date:
    return timezone.localtime(timezone.now(), SCHOOL_TZ).date()


def school_year_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The usual Dutch school year around a date: 1 August to 31 July."""
    start_year = today.year if today.month >= 8 else today.year - 1
    return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)
