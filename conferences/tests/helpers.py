"""Rounds made straight in the database, in the phase a test needs, for the persona world."""

import datetime

from django.utils import timezone

from absences.tests.helpers import EnglishTestCase
from conferences.actions import EveningIn, check_create_round, check_plan, check_publish
from conferences.models import Round
from core.clock import SCHOOL_TZ, school_today
from core.viewer import verified

DAY = datetime.timedelta(days=1)


def evening_day(days: int) -> datetime.date:
    return school_today() + datetime.timedelta(days=days)


def make_round(
    w, *, phase: str = "preferences", groups=None, name="Gespreksronde najaar", **settings
) -> Round:
    """A round of Groep 3 (duo teachers) and Groep 6 on one evening 18:00–20:00, in the given phase.

    preferences: open now, the evening in ten days; planning: closed, the evening in five days;
    published: planned and published (swaps open until the day before the evening).
    """
    now = timezone.now()
    verified(w.director)
    if phase == "preferences":
        opens, closes, day = now - DAY, now + 5 * DAY, evening_day(10)
    elif phase == "draft":
        opens, closes, day = now + DAY, now + 5 * DAY, evening_day(10)
    else:
        opens, closes, day = now - 10 * DAY, now - DAY, evening_day(5)
    swaps_close = datetime.datetime.combine(day - DAY, datetime.time(12), tzinfo=SCHOOL_TZ)
    round_ = check_create_round(
        acting_user=w.director,
        school=w.school,
        name=name,
        groups=groups if groups is not None else [w.group3, w.group6],
        evenings=[EveningIn(day, datetime.time(18), datetime.time(20))],
        preferences_open_at=opens,
        preferences_close_at=closes,
        swaps_close_at=swaps_close,
        **settings,
    )
    if phase in ("planned", "published"):
        check_plan(acting_user=w.director, round_=round_, seed=42)
    if phase == "published":
        check_publish(acting_user=w.director, round_=round_)
    return round_


def at(round_: Round, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on the round's (first) evening."""
    day = round_.evenings.first().date
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SCHOOL_TZ)


class ConferenceTestCase(EnglishTestCase):
    """Action tests act as staff with the proof of a two-factor session, as a signed-in page would."""

    def setUp(self):
        super().setUp()
        for persona in ("director", "office", "teacher", "duo_teacher", "other_teacher"):
            verified(getattr(self.world, persona))
