"""The school clock: stored times are UTC, school days are judged in Europe/Amsterdam."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


def now() -> datetime.datetime:
    return timezone.now()


def school_today() -> datetime.date:
    return timezone.localtime(timezone.now(), SCHOOL_TZ).date()
