"""Staff working hours: when a staff member will read a message, and how to say so to a parent."""

import datetime

from django.utils.dates import WEEKDAYS
from django.utils.formats import time_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations.models import WORKDAYS, Availability, SchoolMessaging
from core.clock import SCHOOL_TZ


def default_availability(*, user, school) -> Availability:
    return Availability(user=user, school=school, days=WORKDAYS)


def availabilities_of(*, users, school) -> dict[int, Availability]:
    """User id → availability at the school (the default for those who set none): one query."""
    users = list(users)
    found = {a.user_id: a for a in Availability.objects.filter(school=school, user__in=[u.id for u in users])}
    return {user.id: found.get(user.id) or default_availability(user=user, school=school) for user in users}


def messaging_of(school) -> SchoolMessaging:
    """The school's reply promise and phone (the defaults when never set); one query."""
    found = SchoolMessaging.objects.filter(school=school).first()
    return found or SchoolMessaging(school=school, phone=school.phone)


def next_working_moment(availability: Availability, at: datetime.datetime) -> datetime.datetime | None:
    """The next start of working hours after `at`; None when `at` is inside working hours (or no days)."""
    local = at.astimezone(SCHOOL_TZ)
    days = availability.weekdays
    if not days:
        return None
    if local.isoweekday() in days and availability.starts_at <= local.time() < availability.ends_at:
        return None
    for offset in range(8):
        day = local.date() + datetime.timedelta(days=offset)
        if day.isoweekday() in days:
            start = datetime.datetime.combine(day, availability.starts_at, tzinfo=SCHOOL_TZ)
            if start > local:
                return start
    return None


def describe_days(days: list[int]) -> str:
    """'Monday to Wednesday' for a run of three or more days, else 'Monday, Tuesday and Thursday'."""
    names = [str(WEEKDAYS[day - 1]) for day in days]
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
    return str(get_text_list(names, _("and")))


def who_reads_lines(*, teachers, school) -> list[str]:
    """The notice before a parent sends: who reads it and when, the reply promise, the phone number."""
    teachers = list(teachers)
    availability = availabilities_of(users=teachers, school=school)
    lines = []
    for teacher in teachers:
        hours = availability[teacher.id]
        lines.append(
            _("%(name)s works %(days)s, %(start)s–%(end)s.")
            % {
                "name": teacher.full_name,
                "days": describe_days(hours.weekdays),
                "start": time_format(hours.starts_at, "H:i"),
                "end": time_format(hours.ends_at, "H:i"),
            }
        )
    messaging = messaging_of(school)
    lines.append(
        ngettext(
            "Expect a reply within %(count)d working day.",
            "Expect a reply within %(count)d working days.",
            messaging.reply_days,
        )
        % {"count": messaging.reply_days}
    )
    phone = messaging.phone or school.phone
    if phone:
        lines.append(_("Urgent? Call the school: %(phone)s") % {"phone": phone})
    return lines
