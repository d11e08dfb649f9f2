"""Demo content for conferences at De Schakel: an open round taking preferences, and last term's round.

Both are made through the actions with the moment they pretend to happen (`now=`), so the demo shows what
the planner really does: last term's round was planned by the planner from its families' answers and
published; the open one has answers from about half of the families (not the demo parent's: they try it).
"""

import datetime
import random

from django.utils import timezone

from conferences.actions import EveningIn, check_answer, check_create_round, check_plan, check_publish
from conferences.models import Round
from conferences.queries import blocks_of, pupils_of_round
from core.clock import SCHOOL_TZ, school_year_bounds
from core.viewer import verified
from schools.models import School, StaffRole
from schools.queries import current_classes_of


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SCHOOL_TZ)


def weekday(day: datetime.date, number: int) -> datetime.date:
    """The first given weekday (0 Monday) on or after `day`."""
    return day + datetime.timedelta(days=(number - day.weekday()) % 7)


def answer_some(round_: Round, *, share: float, now: datetime.datetime, skip: set[int], seed: int) -> None:
    """About `share` of the families answer: one stretch of an evening, some also a time they cannot."""
    rng = random.Random(seed)
    blocks = [start for start, _end in blocks_of(round_)]
    pupils = pupils_of_round(round_)
    guardians = sorted({g for p in pupils for g in p.guardian_ids} - skip)
    from accounts.models import User

    people = User.objects.in_bulk(guardians)
    # Most families answer once, by one parent: two answers made up apart would rarely agree.
    partners = {g: set(p.guardian_ids) - {g} for p in pupils for g in p.guardian_ids}
    answered: set[int] = set()
    for guardian_id in guardians:
        if rng.random() >= share or partners.get(guardian_id, set()) & answered:
            continue
        answered.add(guardian_id)
        first = rng.randrange(len(blocks))
        choices = {start: True for start in blocks[first : first + rng.randint(2, 4)]}
        if rng.random() < 0.3:
            choices[rng.choice(blocks)] = False
        interpreter = rng.choice(["Arabisch", "Turks", "Pools"]) if rng.random() < 0.04 else ""
        check_answer(
            acting_user=people[guardian_id], round_=round_, choices=choices, interpreter=interpreter, now=now
        )


def seed(*, school: School, today: datetime.date) -> None:
    director = StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR).first()
    if director is None:
        return
    director = verified(director.user)
    classes = list(current_classes_of(school).order_by("name"))
    if not classes:
        return
    from accounts.models import User
    from demo.personas import PERSONAS

    demo_parent = set(User.objects.filter(email=PERSONAS["parent"]).values_list("id", flat=True))
    now = timezone.now()

    # Last term's round: the start-of-year talks, planned from the answers and published.
    starts, _ends = school_year_bounds(today)
    first_evening = max(weekday(today - datetime.timedelta(days=56), 1), starts + datetime.timedelta(days=14))
    if first_evening + datetime.timedelta(days=2) < today:
        opens = moment(first_evening - datetime.timedelta(days=16), 8)
        closes = moment(first_evening - datetime.timedelta(days=6), 20)
        old = check_create_round(
            acting_user=director,
            school=school,
            name="Startgesprekken",
            topic="Kennismaken: hoe is het jaar begonnen, wat heeft uw kind nodig?",
            groups=classes,
            evenings=[
                EveningIn(first_evening, datetime.time(15, 0), datetime.time(17, 30)),
                EveningIn(
                    first_evening + datetime.timedelta(days=2), datetime.time(18, 30), datetime.time(21, 0)
                ),
            ],
            preferences_open_at=opens,
            preferences_close_at=closes,
            swaps_close_at=moment(first_evening - datetime.timedelta(days=1), 12),
        )
        answer_some(old, share=0.8, now=opens + datetime.timedelta(days=2), skip=set(), seed=1)
        check_plan(acting_user=director, round_=old, seed=2026, now=closes + datetime.timedelta(hours=1))
        check_publish(acting_user=director, round_=old, now=closes + datetime.timedelta(hours=1))
        Round.objects.filter(pk=old.pk).update(published_at=closes + datetime.timedelta(days=1))

    # The open round: preferences opened three days ago and close in ten; two evenings three weeks ahead.
    evening = weekday(today + datetime.timedelta(days=20), 1)
    open_round = check_create_round(
        acting_user=director,
        school=school,
        name="Rapportgesprekken",
        topic="Het eerste rapport en de doelen voor de rest van het jaar.",
        groups=classes,
        evenings=[
            EveningIn(evening, datetime.time(15, 0), datetime.time(17, 30)),
            EveningIn(evening + datetime.timedelta(days=2), datetime.time(18, 30), datetime.time(21, 0)),
        ],
        preferences_open_at=now - datetime.timedelta(days=3),
        preferences_close_at=moment(today + datetime.timedelta(days=10), 20),
        swaps_close_at=moment(evening - datetime.timedelta(days=1), 12),
    )
    answer_some(open_round, share=0.5, now=now, skip=demo_parent, seed=2)
