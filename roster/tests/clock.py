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


def start_in_june(test) -> None:
    """Put a persona test in June of the world's school year, with `june`, `first_day` (the first Monday three
    weeks after the year ends: the next year's first day) and `clock` to move."""
    from roster.rollover_plan import first_monday_after

    year = test.world.year
    test.june = datetime.date(year.ends_on.year, 6, 15)
    test.first_day = first_monday_after(year.ends_on + datetime.timedelta(days=21))
    test.clock = test.enterContext(moving_clock(test.june))
