"""Generated schools for the planner's tests and benchmark: pupils, siblings, duo teachers, evenings, answers.

Pure and seeded: the same arguments give the same school. Nothing here touches the database.
"""

import datetime
import random
from dataclasses import dataclass

from conferences.planner import Block, GroupIn, Problem, PupilIn, make_requests, teacher_slots

BLOCK = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Shape:
    pupils: int = 220
    groups: int = 8
    sibling_share: float = 0.2  # share of pupils with a brother or sister at the school
    duo_share: float = 0.25  # share of groups with two teachers
    duo_together: bool = True
    apart_share: float = 0.05  # share of pupils whose parents live apart (one talk each)
    answer_share: float = 0.8  # share of guardians who give preferences
    can_blocks: tuple[int, int] = (3, 6)  # how many half hours a guardian marks as possible
    cannot_share: float = 0.3  # share of those who also mark one half hour they cannot
    evenings: int = 2
    evening_hours: float = 3.5
    slot_minutes: int = 10
    priority_share: float = 0.05
    long_share: float = 0.03
    seed: int = 1


def evenings(shape: Shape) -> list[tuple[datetime.datetime, datetime.datetime]]:
    first = datetime.datetime(2026, 11, 16, 16, 0, tzinfo=datetime.UTC)
    length = datetime.timedelta(hours=shape.evening_hours)
    return [
        (first + datetime.timedelta(days=i), first + datetime.timedelta(days=i) + length)
        for i in range(shape.evenings)
    ]


def generate(shape: Shape) -> Problem:
    rng = random.Random(shape.seed)
    groups: dict[str, GroupIn] = {}
    teacher_count = 0
    for number in range(shape.groups):
        duo = rng.random() < shape.duo_share
        teachers = tuple(f"t{teacher_count + i}" for i in range(2 if duo else 1))
        teacher_count += len(teachers)
        groups[f"g{number}"] = GroupIn(f"g{number}", teachers, shape.slot_minutes, shape.duo_together)
    group_keys = list(groups)
    # Families: most have one child, a sibling family two or three, spread over different groups.
    pupils: list[PupilIn] = []
    family = 0
    sizes = dict.fromkeys(group_keys, 0)

    def smallest_group() -> str:
        fewest = min(sizes.values())
        key = rng.choice([k for k, n in sizes.items() if n == fewest])
        sizes[key] += 1
        return key

    while len(pupils) < shape.pupils:
        size = 1
        if rng.random() < shape.sibling_share / 1.8:  # a sibling family holds about 2.2 pupils
            size = rng.choice((2, 2, 2, 3))
        guardians = (f"f{family}a", f"f{family}b") if rng.random() < 0.7 else (f"f{family}a",)
        apart = len(guardians) == 2 and rng.random() < shape.apart_share
        for child in range(min(size, shape.pupils - len(pupils))):
            pupils.append(
                PupilIn(
                    key=f"p{family}-{child}",
                    group=smallest_group(),
                    guardians=guardians,
                    priority=rng.random() < shape.priority_share,
                    long_talk=rng.random() < shape.long_share,
                    parents_apart=apart,
                )
            )
        family += 1
    requests = make_requests(pupils, groups, apart_separately=True)
    slots = []
    for index, group in enumerate(groups.values()):
        for t_index, teacher in enumerate(group.teachers):
            slots += teacher_slots(
                teacher,
                f"room-{index}-{t_index}" if not group.duo_together else f"room-{index}",
                evenings(shape),
                slot_minutes=group.slot_minutes,
                break_after=60,
                break_minutes=10,
            )
    blocks = [
        (start + BLOCK * i, start + BLOCK * (i + 1))
        for start, end in evenings(shape)
        for i in range(int((end - start) / BLOCK))
    ]
    availability: dict[str, list[Block]] = {}
    for guardian in sorted({g for p in pupils for g in p.guardians}):
        if rng.random() >= shape.answer_share:
            continue
        count = rng.randint(*shape.can_blocks)
        day = rng.randrange(shape.evenings)
        same_day = [b for b in blocks if b[0].date() == evenings(shape)[day][0].date()]
        first = rng.randrange(max(1, len(same_day) - count + 1))
        chosen = same_day[first : first + count]
        marked = [Block(s, e, True) for s, e in chosen]
        if rng.random() < shape.cannot_share:
            others = [b for b in blocks if b not in chosen]
            s, e = rng.choice(others)
            marked.append(Block(s, e, False))
        availability[guardian] = marked
    return Problem(slots=slots, requests=requests, availability=availability, seed=shape.seed)


DEMO = Shape()
HARD = Shape(
    pupils=240,
    groups=8,
    sibling_share=0.3,
    duo_share=0.5,
    duo_together=False,
    can_blocks=(2, 3),
    evenings=2,
    evening_hours=3.25,
    seed=7,
)
BOARD = Shape(pupils=1140, groups=48, sibling_share=0.25, duo_share=0.3, seed=11)
