"""The rollover's proposal, pure: which class of the new year each pupil moves up to, and the first day.

A pupil moves to the class that teaches the next grade (jaargroep + 1); groep 8 leaves. A combination class
(e.g. "Groep 1/2") keeps the pupils whose next grade it still teaches, so per pupil, by their own grade. Among
several classes of that grade, the one whose name ends like the old one ("3b" → "4b") is preferred. A class's
grades are read from its name ("Groep 5/6" teaches 5 and 6); a class named without digits ("De Vlinders")
keeps its pupils unless another class teaches their next grade. When the grade is not known, the pupil stays
in the class of the same name and the proposal asks the office to look.
"""

import datetime
import re
from dataclasses import dataclass

LAST_GRADE = 8


def grades_in_name(name: str) -> frozenset[int]:
    """The grades a class name states: "Groep 5/6" → {5, 6}, "Groep 1-2b" → {1, 2}, "Vlinders" → {}."""
    return frozenset(int(digits) for digits in re.findall(r"\d+", name) if 1 <= int(digits) <= LAST_GRADE)


def suffix_of(name: str) -> str:
    """The letters after a class's last digit: "Groep 3b" → "b" (parallel classes), "Groep 3" → ""."""
    match = re.search(r"\d\s*([A-Za-z]*)\s*$", name)
    return match.group(1).lower() if match else ""


def grade_of(grade: int | None, group_name: str) -> int | None:
    """A pupil's grade now: the recorded one, else the only grade their class's name states."""
    if grade is not None:
        return grade
    stated = grades_in_name(group_name)
    return next(iter(stated)) if len(stated) == 1 else None


@dataclass(frozen=True)
class Proposal:
    group_id: int | None  # None: leaves the school
    grade: int | None
    needs_check: bool = False


def propose(*, grade: int | None, group_name: str, new_groups: dict[int, str]) -> Proposal:
    """The proposal for one pupil now in `group_name` with `grade`; new_groups is the new year's id → name."""
    now = grade_of(grade, group_name)
    same_name = next((gid for gid, name in new_groups.items() if name.lower() == group_name.lower()), None)
    if now is None:
        return Proposal(group_id=same_name, grade=None, needs_check=True)
    if now >= LAST_GRADE:
        return Proposal(group_id=None, grade=None)
    nxt = now + 1
    teaching = [gid for gid, name in new_groups.items() if nxt in grades_in_name(name)]
    if same_name in teaching:
        return Proposal(group_id=same_name, grade=nxt)
    if teaching:
        suffix = suffix_of(group_name)
        teaching.sort(
            key=lambda gid: (
                suffix_of(new_groups[gid]) != suffix,
                len(grades_in_name(new_groups[gid])),
                new_groups[gid],
            )
        )
        return Proposal(group_id=teaching[0], grade=nxt)
    if same_name is not None and not grades_in_name(group_name):
        return Proposal(group_id=same_name, grade=nxt)  # a class named without digits keeps its pupils
    return Proposal(group_id=same_name, grade=nxt, needs_check=True)


def first_monday_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=7 - day.weekday())


def default_first_day(*, year_ends_on: datetime.date, holidays: list[tuple[datetime.date, datetime.date]]):
    """The first Monday after the summer holiday: the school's longest holiday of three weeks or more that
    ends within ten weeks of the year's last day; without one, the first Monday after the year's last day."""
    summer = [
        (start, end)
        for start, end in holidays
        if (end - start).days >= 20 and abs((end - year_ends_on).days) <= 70
    ]
    if summer:
        return first_monday_after(max(summer, key=lambda span: (span[1] - span[0], span[1]))[1])
    return first_monday_after(year_ends_on)


def next_year_name(first_day: datetime.date) -> str:
    return f"{first_day.year}-{first_day.year + 1}"
