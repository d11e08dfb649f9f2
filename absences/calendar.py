"""The school calendar: which days have school, and until when a day can still be reported in the app.

All judged on the school clock (Europe/Amsterdam); a school without a policy row gets the defaults.
"""

import datetime
from dataclasses import dataclass

from absences.models import AbsencePolicy, SchoolClosure
from core.clock import SCHOOL_TZ
from schools.models import School

# Far enough back to find the lead time's school days across any holiday.
LOOKBACK = datetime.timedelta(days=60)


def policy_of(school: School) -> AbsencePolicy:
    """The school's policy, or the defaults (unsaved) when it never set one."""
    policy = AbsencePolicy.objects.filter(school=school).first()
    return policy or AbsencePolicy(school=school)


@dataclass
class Calendar:
    """A school's days off between two dates, loaded in one query."""

    closures: list[SchoolClosure]

    @classmethod
    def of(cls, school: School, first: datetime.date, last: datetime.date) -> "Calendar":
        closures = SchoolClosure.objects.filter(school=school, starts_on__lte=last, ends_on__gte=first)
        return cls(list(closures))

    def closure_on(self, day: datetime.date) -> SchoolClosure | None:
        return next((c for c in self.closures if c.starts_on <= day <= c.ends_on), None)

    def is_school_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and self.closure_on(day) is None

    def school_day_before(self, day: datetime.date, count: int) -> datetime.date:
        """The `count`-th school day before `day` (count 0 is the day itself)."""
        while count > 0:
            day -= datetime.timedelta(days=1)
            if self.is_school_day(day):
                count -= 1
        return day

    def school_days(self, first: datetime.date, count: int) -> list[datetime.date]:
        """The first `count` school days from `first` on (within the loaded range)."""
        days, day = [], first
        while len(days) < count and day <= first + datetime.timedelta(days=count * 3 + 21):
            if self.is_school_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days


def calendar_around(school: School, day: datetime.date, *, ahead: int = 0) -> Calendar:
    return Calendar.of(school, day - LOOKBACK, day + datetime.timedelta(days=ahead))


def report_deadline(policy: AbsencePolicy, calendar: Calendar, day: datetime.date) -> datetime.datetime:
    """The last moment a planned absence on `day` can be reported, changed or withdrawn in the app."""
    last_day = calendar.school_day_before(day, policy.lead_school_days)
    midnight = datetime.datetime.combine(last_day, datetime.time(0), tzinfo=SCHOOL_TZ)
    return midnight + datetime.timedelta(hours=policy.cutoff_hour)


def sick_deadline(policy: AbsencePolicy, day: datetime.date) -> datetime.datetime:
    """Until when a sick report for `day` can be made (or withdrawn) in the app."""
    return datetime.datetime.combine(day, policy.sick_cutoff, tzinfo=SCHOOL_TZ)
