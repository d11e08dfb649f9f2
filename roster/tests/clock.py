"""A school clock the tests move: every reader of "now" (core.clock, posts, media) sees the chosen day."""

import datetime
from contextlib import contextmanager
from unittest import mock

from core.clock import SCHOOL_TZ


class MovingClock:
    def __init__(self, day: datetime.date):
        self.day = day

    def now(self) -> datetime.datetime:
        return datetime.datetime.combine(self.day, datetime.time(10), tzinfo=SCHOOL_TZ)


@contextmanager
def moving_clock(day: datetime.date):
    """Patch django.utils.timezone.now, which core.clock and the apps call as `timezone.now()`."""
    clock = MovingClock(day)
    with mock.patch("django.utils.timezone.now", side_effect=clock.now):
        yield clock
