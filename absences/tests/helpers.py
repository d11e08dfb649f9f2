"""Shared test data: school days that are safely ahead, and reports made straight in the database."""

import datetime
from contextlib import contextmanager

from django.utils import translation

from absences.models import Absence, LeaveRequest, SchoolClosure
from core import events
from core.clock import SCHOOL_TZ, school_today
from core.events import subscribe
from core.testing import PersonaTestCase


def weekday_ahead(days: int = 14) -> datetime.date:
    """A Monday–Friday at least `days` ahead, far past any lead time."""
    day = school_today() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def monday_ahead() -> datetime.date:
    """The Monday of the week two weeks ahead."""
    day = weekday_ahead(14)
    return day - datetime.timedelta(days=day.weekday())


def make_absence(w, pupil=None, *, day=None, kind=Absence.Kind.DENTIST, **extra) -> Absence:
    pupil = pupil or w.child
    day = day or weekday_ahead()
    values = {"ends_on": day} if kind != Absence.Kind.SICK else {}
    values.update(extra)
    return Absence.objects.create(
        school=pupil.school, pupil=pupil, kind=kind, starts_on=day, reported_by=w.parent, **values
    )


def make_leave(w, pupil=None, *, days: int = 30, **extra) -> LeaveRequest:
    pupil = pupil or w.child
    first = weekday_ahead(days)
    return LeaveRequest.objects.create(
        school=pupil.school,
        pupil=pupil,
        kind=extra.pop("kind", LeaveRequest.Kind.EXTRAORDINARY),
        starts_on=first,
        ends_on=first,
        reason="Bruiloft van een oom in Marokko",
        requested_by=w.parent,
        **extra,
    )


def make_closure(w, *, first=None, last=None, name="Studiedag") -> SchoolClosure:
    first = first or weekday_ahead(21)
    return SchoolClosure.objects.create(
        school=w.school,
        school_year=w.year,
        kind=SchoolClosure.Kind.STUDY_DAY,
        name=name,
        starts_on=first,
        ends_on=last or first,
    )


@contextmanager
def captured_events():
    """Collect the domain events published inside the block (subscribe a list; remove it afterwards)."""
    seen: list = []
    subscribe(seen.append)
    try:
        yield seen
    finally:
        events._subscribers.remove(seen.append)


def school_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on the school clock."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SCHOOL_TZ)


class EnglishTestCase(PersonaTestCase):
    """Action tests read the messages by their English msgids; the pages are tested in Dutch."""

    def setUp(self):
        super().setUp()
        translation.activate("en")
        self.addCleanup(translation.deactivate)
