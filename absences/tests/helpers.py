"""Shared test data: school days that are safely ahead, and reports made straight in the database."""

import datetime

from absences.models import Absence, LeaveRequest, SchoolClosure
from core.clock import school_today


def weekday_ahead(days: int = 14) -> datetime.date:
    """A Monday–Friday at least `days` ahead, far past any lead time."""
    day = school_today() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


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
