"""The conference planner: pure decisions, no database. Data in, an assignment and its quality report out.

What it guarantees (and `conferences/tests/test_planner.py` checks on generated schools):
- no teacher, room or family member is in two places at once, and a family member's talks are at least
  the walking buffer apart;
- flagged families (priority) are placed before everyone else, so they get a slot whenever any exists;
- siblings' talks are chained back to back (the next starts between `buffer` and `buffer + BACK_TO_BACK_SLACK`
  after the previous one ends) whenever their teachers have such times free;
- teachers get their breaks: their slots are cut from their availability with a break after every
  `break_after` minutes (`teacher_slots`), so no run of talks is longer;
- nobody is favoured by the moment they answered: that moment is not an input. Families are taken in order
  of need (flagged, then siblings, then those with the fewest possible times) and ties are broken by a
  lottery drawn from `seed`, which is recorded, so the same input and seed give the same assignment.
Families that gave no preferences are placed last, in what is left.
"""

import datetime
import itertools
import math
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

POSSIBLE, UNMARKED, IMPOSSIBLE = 2, 1, 0
BACK_TO_BACK_SLACK = datetime.timedelta(minutes=10)


# --- Input ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One unit of one teacher's time, in their room."""

    teacher: str
    start: datetime.datetime
    end: datetime.datetime
    room: str


@dataclass(frozen=True)
class Block:
    """A time a guardian marked: they can (True) or cannot (False) come."""

    start: datetime.datetime
    end: datetime.datetime
    can: bool


@dataclass(frozen=True)
class Request:
    """One talk to plan: who comes, about whom, with which teacher(s), how long."""

    key: str
    guardians: frozenset[str]
    pupils: tuple[str, ...]
    # Each option is a set of teachers who sit in the talk together (duo teachers "together": one option
    # with both; "apart": one option per teacher).
    options: tuple[tuple[str, ...], ...]
    minutes: int
    priority: bool = False


@dataclass
class Problem:
    slots: list[Slot]
    requests: list[Request]
    # Per guardian who answered, the blocks they marked (an answer with no blocks: any time is fine).
    availability: dict[str, list[Block]]
    buffer: datetime.timedelta = datetime.timedelta(minutes=5)
    seed: int = 0


@dataclass(frozen=True)
class PupilIn:
    """A pupil in the round, as make_requests needs them."""

    key: str
    group: str
    guardians: tuple[str, ...]
    priority: bool = False
    long_talk: bool = False
    parents_apart: bool = False


@dataclass(frozen=True)
class GroupIn:
    key: str
    teachers: tuple[str, ...]
    slot_minutes: int
    duo_together: bool = True


def make_requests(
    pupils: list[PupilIn], groups: dict[str, GroupIn], *, apart_separately: bool
) -> list[Request]:
    """The talks a round needs: one per pupil and household, siblings with the same teacher merged.

    Separated parents (`parents_apart`) get one talk each when the school chose so (`apart_separately`),
    otherwise one together. Siblings in one group whose guardians come together share one longer talk.
    """
    merged: dict[tuple, dict] = {}
    for pupil in sorted(pupils, key=lambda p: p.key):
        group = groups[pupil.group]
        if not group.teachers or not pupil.guardians:
            continue
        households = (
            [frozenset([g]) for g in sorted(pupil.guardians)]
            if pupil.parents_apart and apart_separately
            else [frozenset(pupil.guardians)]
        )
        minutes = group.slot_minutes * (2 if pupil.long_talk else 1)
        for household in households:
            entry = merged.setdefault(
                (household, group.key), {"pupils": [], "minutes": 0, "priority": False, "group": group}
            )
            entry["pupils"].append(pupil.key)
            entry["minutes"] += minutes
            entry["priority"] |= pupil.priority
    requests = []
    for (household, group_key), entry in merged.items():
        group = entry["group"]
        options = (tuple(group.teachers),) if group.duo_together else tuple((t,) for t in group.teachers)
        key = f"{group_key}:{'+'.join(entry['pupils'])}:{'+'.join(sorted(household))}"
        requests.append(
            Request(key, household, tuple(entry["pupils"]), options, entry["minutes"], entry["priority"])
        )
    return sorted(requests, key=lambda r: r.key)


def teacher_slots(
    teacher: str,
    room: str,
    windows: list[tuple[datetime.datetime, datetime.datetime]],
    *,
    slot_minutes: int,
    break_after: int,
    break_minutes: int,
) -> list[Slot]:
    """A teacher's slots cut from their available windows, with a break after every `break_after` minutes."""
    unit, slots = datetime.timedelta(minutes=slot_minutes), []
    for start, end in sorted(windows):
        moment, run = start, 0
        while moment + unit <= end:
            if break_after and run + slot_minutes > break_after:
                moment, run = moment + datetime.timedelta(minutes=break_minutes), 0
                continue
            slots.append(Slot(teacher, moment, moment + unit, room))
            moment, run = moment + unit, run + slot_minutes
    return slots


# --- Output -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    request: str
    teachers: tuple[str, ...]
    start: datetime.datetime
    end: datetime.datetime
    room: str
    # The start of every teacher slot the talk takes, per teacher.
    slot_starts: tuple[datetime.datetime, ...]


@dataclass
class Shortage:
    teachers: tuple[str, ...]
    talks: int
    places: int

    @property
    def short(self) -> int:
        return max(0, self.talks - self.places)


@dataclass
class Report:
    families: int = 0
    families_answered: int = 0
    families_in_possible_time: int = 0
    families_in_impossible_time: int = 0
    sibling_families: int = 0
    siblings_back_to_back: int = 0
    priority_families: int = 0
    priority_placed: int = 0
    talks: int = 0
    talks_placed: int = 0
    unplaced: list[str] = field(default_factory=list)
    # Per teacher: the longest run of talks without a free moment between them, in minutes.
    longest_run: dict[str, int] = field(default_factory=dict)
    seed: int = 0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Result:
    placements: dict[str, Placement]
    report: Report
    # The families in the order they were taken, with their lottery number: how a result is explained.
    order: list[tuple[str, float]]


# --- Capacity ---------------------------------------------------------------------------------------------


def shortages(problem: Problem) -> list[Shortage]:
    """Teachers (linked by shared groups) whose slots cannot hold their talks, before planning starts."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for request in problem.requests:
        teachers = [t for option in request.options for t in option]
        for teacher in teachers[1:]:
            parent[find(teacher)] = find(teachers[0])
    minutes_of = defaultdict(int)
    for slot in problem.slots:
        minutes_of[slot.teacher] += int((slot.end - slot.start).total_seconds() // 60)
    needed, talks = defaultdict(int), defaultdict(int)
    for request in problem.requests:
        root = find(request.options[0][0])
        # A talk with duo teachers together costs each of them its minutes.
        needed[root] += request.minutes * len(request.options[0])
        talks[root] += 1
    found = []
    for root in sorted(needed):
        members = tuple(sorted(t for t in parent if find(t) == root))
        available = sum(minutes_of[t] for t in members)
        if needed[root] > available:
            average = needed[root] / talks[root]
            found.append(Shortage(members, talks[root], int(available // average)))
    return found


# --- Planning ---------------------------------------------------------------------------------------------


class _Board:
    """Who is busy when, during planning; placements can be tried and undone."""

    def __init__(self, problem: Problem):
        self.by_teacher: dict[str, list[Slot]] = defaultdict(list)
        for slot in sorted(problem.slots, key=lambda s: (s.teacher, s.start)):
            self.by_teacher[slot.teacher].append(slot)
        self.starts = {t: [s.start for s in slots] for t, slots in self.by_teacher.items()}
        self.index = {t: {s.start: i for i, s in enumerate(slots)} for t, slots in self.by_teacher.items()}
        self.teacher_busy: dict[str, set] = defaultdict(set)
        self.room_busy: dict[str, list] = defaultdict(list)
        self.guardian_busy: dict[str, list] = defaultdict(list)
        self.buffer = problem.buffer

    def candidates(self, request: Request, lo=None, hi=None):
        """Every placement of the request that is free now, optionally starting within [lo, hi]."""
        for option in request.options:
            lead = option[0]
            slots = self.by_teacher.get(lead, [])
            if not slots:
                continue
            unit = slots[0].end - slots[0].start
            units = max(1, math.ceil(datetime.timedelta(minutes=request.minutes) / unit))
            first = 0 if lo is None else bisect_left(self.starts[lead], lo)
            for i in range(first, len(slots) - units + 1):
                start = slots[i].start
                if hi is not None and start > hi:
                    break
                run = slots[i : i + units]
                if any(run[k + 1].start != run[k].end for k in range(units - 1)):
                    continue  # a break or a gap inside the talk
                starts = tuple(s.start for s in run)
                end = start + datetime.timedelta(minutes=request.minutes)
                if self.free(option, starts, start, end, run[0].room, request.guardians):
                    yield Placement(request.key, option, start, end, run[0].room, starts)

    def free(self, teachers, starts, start, end, room, guardians) -> bool:
        for teacher in teachers:
            index, busy = self.index.get(teacher, {}), self.teacher_busy[teacher]
            if any(s not in index or s in busy for s in starts):
                return False
        if any(start < e and s < end for s, e in self.room_busy[room]):
            return False
        buffer = self.buffer
        return not any(
            start < e + buffer and s < end + buffer for g in guardians for s, e in self.guardian_busy[g]
        )

    def occupy(self, placement: Placement, guardians) -> None:
        for teacher in placement.teachers:
            self.teacher_busy[teacher].update(placement.slot_starts)
        self.room_busy[placement.room].append((placement.start, placement.end))
        for g in guardians:
            self.guardian_busy[g].append((placement.start, placement.end))

    def release(self, placement: Placement, guardians) -> None:
        for teacher in placement.teachers:
            self.teacher_busy[teacher].difference_update(placement.slot_starts)
        self.room_busy[placement.room].remove((placement.start, placement.end))
        for g in guardians:
            self.guardian_busy[g].remove((placement.start, placement.end))


def guardian_fit(blocks: list[Block], start, end) -> int:
    """POSSIBLE, UNMARKED or IMPOSSIBLE for one guardian who answered.

    Marking any "can" time means other times are not possible; an answer without "can" times accepts
    any time that is not marked "cannot".
    """
    if any(not b.can and b.start < end and start < b.end for b in blocks):
        return IMPOSSIBLE
    cans = [b for b in blocks if b.can]
    if not cans:
        return POSSIBLE
    covered = start
    for block in sorted(cans, key=lambda b: b.start):
        if block.start <= covered < block.end:
            covered = block.end
    return POSSIBLE if covered >= end else UNMARKED


def fit(request: Request, availability: dict[str, list[Block]], start, end) -> int | None:
    """How well a time suits the request's guardians who answered (None if none of them answered)."""
    answered = [availability[g] for g in request.guardians if g in availability]
    if not answered:
        return None
    return min(guardian_fit(blocks, start, end) for blocks in answered)


def families_of(requests: list[Request]) -> list[list[Request]]:
    """Requests linked by a shared guardian form one family (siblings, and both parents of a child)."""
    parent: dict[str, str] = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for request in requests:
        guardians = sorted(request.guardians)
        for g in guardians[1:]:
            parent[find(g)] = find(guardians[0])
    families = defaultdict(list)
    for request in requests:
        families[find(min(request.guardians))].append(request)
    return [sorted(members, key=lambda r: r.key) for _, members in sorted(families.items())]


def family_key(family: list[Request]) -> str:
    return min(g for r in family for g in r.guardians)


def plan(problem: Problem) -> Result:
    """Assign every talk; see the module docstring for what is guaranteed."""
    board = _Board(problem)
    availability = problem.availability
    families = families_of(problem.requests)
    rng = random.Random(problem.seed)
    lottery = {family_key(f): rng.random() for f in families}
    demand = _demand(problem, board)

    def score(placement: Placement, request: Request) -> int:
        value = fit(request, availability, placement.start, placement.end)
        return UNMARKED if value is None else value

    def options_count(family):
        return sum(1 for r in family for p in board.candidates(r) if score(p, r) == POSSIBLE)

    def answered(family) -> bool:
        return any(g in availability for r in family for g in r.guardians)

    def sibling(family) -> bool:
        return len({p for r in family for p in r.pupils}) > 1

    # Need first, never speed of answering: flagged, then siblings (their talks must chain, which gets hard
    # once the evening fills up; one who did not answer takes the chain nobody else asked for, by demand),
    # then the others, the least flexible first and those who did not answer last, in what is left.
    # The lottery breaks every tie.
    keyed = [
        (
            not any(r.priority for r in f),
            not sibling(f),
            not answered(f),
            options_count(f) if answered(f) else 0,
            lottery[family_key(f)],
            f,
        )
        for f in families
    ]
    keyed.sort(key=lambda k: k[:5])
    placements: dict[str, Placement] = {}
    for *_, family in keyed:
        for placement in _place_family(family, board, score, demand):
            placements[placement.request] = placement
    _place_leftovers(problem, board, placements)
    _improve(problem, board, placements, families)
    report = _report(problem, families, placements, board)
    return Result(placements, report, [(family_key(k[-1]), k[4]) for k in keyed])


def _demand(problem: Problem, board: _Board) -> dict[tuple, int]:
    """How many requests find each teacher slot possible: a family with a choice leaves those to others."""
    demand: dict[tuple, int] = defaultdict(int)
    for request in problem.requests:
        if not any(g in problem.availability for g in request.guardians):
            continue
        for placement in board.candidates(request):
            if fit(request, problem.availability, placement.start, placement.end) == POSSIBLE:
                demand[(placement.teachers[0], placement.start)] += 1
    return demand


def _place_family(family: list[Request], board: _Board, score, demand) -> list[Placement]:
    """The family's talks: back to back where possible, else each at its best free time."""

    def rank(placement, request):
        return (score(placement, request), -demand.get((placement.teachers[0], placement.start), 0))

    best_chain, best_key = None, None
    if len(family) > 1:
        for order in itertools.islice(itertools.permutations(family), 24):
            for chain in _chains(list(order), board, score):
                values = [score(p, r) for p, r in zip(chain, order, strict=True)]
                key = (min(values), sum(values), -sum(demand.get((p.teachers[0], p.start), 0) for p in chain))
                if best_key is None or key > best_key:
                    best_chain, best_key = chain, key
    singles = []
    for request in family:
        options = list(board.candidates(request))
        singles.append(max(options, key=lambda p: rank(p, request)) if options else None)
    if best_chain is not None:
        single_min = min((score(p, r) for p, r in zip(singles, family, strict=True) if p), default=0)
        # Back to back wins unless it would put the family in a time it cannot come while another would do.
        if best_key[0] > IMPOSSIBLE or single_min == IMPOSSIBLE:
            guardians = {p.request: r.guardians for r in family for p in best_chain if p.request == r.key}
            for placement in best_chain:
                board.occupy(placement, guardians[placement.request])
            return list(best_chain)
    placed = []
    for request in family:
        options = list(board.candidates(request))
        if options:
            choice = max(options, key=lambda p: rank(p, request))
            board.occupy(choice, request.guardians)
            placed.append(choice)
    return placed


def _chains(order: list[Request], board: _Board, score, limit: int = 400):
    """Placements of the requests in this order, each starting a walking buffer after the previous ends."""
    found = 0

    def extend(i, previous, chain):
        nonlocal found
        if found >= limit:
            return
        if i == len(order):
            found += 1
            yield tuple(chain)
            return
        request = order[i]
        lo = hi = None
        if previous is not None:
            lo = previous.end + board.buffer
            hi = lo + BACK_TO_BACK_SLACK
        for placement in board.candidates(request, lo, hi):
            if previous is None and score(placement, request) == IMPOSSIBLE:
                continue
            board.occupy(placement, request.guardians)
            try:
                yield from extend(i + 1, placement, chain + [placement])
            finally:
                board.release(placement, request.guardians)

    yield from extend(0, None, [])


def _place_leftovers(problem: Problem, board: _Board, placements: dict[str, Placement]) -> None:
    """A talk with no free time left: move one talk of the same teacher elsewhere to make room, if it can."""
    by_key = {r.key: r for r in problem.requests}
    # Only a one-talk family is moved: moving a sibling's talk would break their chain.
    alone = {f[0].key for f in families_of(problem.requests) if len(f) == 1}
    for request in problem.requests:
        if request.key in placements:
            continue
        for option in request.options:
            teachers = set(option)
            movable = [p for p in placements.values() if teachers & set(p.teachers) and p.request in alone]
            for other in movable:
                other_request = by_key[other.request]
                board.release(other, other_request.guardians)
                mine = next(board.candidates(request), None)
                if mine is not None:
                    board.occupy(mine, request.guardians)
                    moved = next(board.candidates(other_request), None)
                    if moved is not None:
                        board.occupy(moved, other_request.guardians)
                        placements[request.key], placements[other.request] = mine, moved
                        break
                    board.release(mine, request.guardians)
                board.occupy(other, other_request.guardians)
            if request.key in placements:
                break


def _improve(problem: Problem, board: _Board, placements: dict[str, Placement], families) -> None:
    """Swap two one-talk families of the same teacher where that suits one better and the other no worse."""
    availability = problem.availability
    singles = {f[0].key: f[0] for f in families if len(f) == 1}

    def value(request, placement):
        found = fit(request, availability, placement.start, placement.end)
        return UNMARKED if found is None else found

    by_teachers = defaultdict(list)
    for key, placement in placements.items():
        if key in singles:
            by_teachers[(placement.teachers, placement.end - placement.start)].append(key)
    for keys in by_teachers.values():
        for key in keys:
            request, mine = singles[key], placements[key]
            if fit(request, availability, mine.start, mine.end) in (None, POSSIBLE):
                continue
            for other_key in keys:
                other, theirs = singles[other_key], placements[other_key]
                if other_key == key or value(request, theirs) != POSSIBLE:
                    continue
                if value(other, mine) < value(other, theirs):
                    continue
                board.release(mine, request.guardians)
                board.release(theirs, other.guardians)
                swapped_mine = Placement(
                    key, mine.teachers, theirs.start, theirs.end, theirs.room, theirs.slot_starts
                )
                swapped_theirs = Placement(
                    other_key, theirs.teachers, mine.start, mine.end, mine.room, mine.slot_starts
                )
                board.occupy(swapped_mine, request.guardians)
                board.occupy(swapped_theirs, other.guardians)
                placements[key], placements[other_key] = swapped_mine, swapped_theirs
                break


def is_back_to_back(placements: list[Placement], buffer: datetime.timedelta) -> bool:
    ordered = sorted(placements, key=lambda p: p.start)
    return all(
        buffer <= b.start - a.end <= buffer + BACK_TO_BACK_SLACK for a, b in itertools.pairwise(ordered)
    )


def _report(problem: Problem, families, placements: dict[str, Placement], board: _Board) -> Report:
    report = Report(families=len(families), seed=problem.seed, talks=len(problem.requests))
    report.talks_placed = len(placements)
    report.unplaced = sorted(r.key for r in problem.requests if r.key not in placements)
    for family in families:
        placed = [placements[r.key] for r in family if r.key in placements]
        if any(r.priority for r in family):
            report.priority_families += 1
            report.priority_placed += len(placed) == len(family)
        if len({p for r in family for p in r.pupils}) > 1:
            report.sibling_families += 1
            if len(placed) == len(family):
                report.siblings_back_to_back += is_back_to_back(placed, problem.buffer)
        values = [
            fit(r, problem.availability, placements[r.key].start, placements[r.key].end)
            for r in family
            if r.key in placements
        ]
        values = [v for v in values if v is not None]
        if values:
            report.families_answered += 1
            report.families_in_possible_time += len(placed) == len(family) and min(values) == POSSIBLE
            report.families_in_impossible_time += min(values) == IMPOSSIBLE
    for teacher, slots in board.by_teacher.items():
        longest = run = 0
        previous_end = None
        for slot in slots:
            if slot.start not in board.teacher_busy[teacher]:
                run, previous_end = 0, None
                continue
            minutes = int((slot.end - slot.start).total_seconds() // 60)
            run = run + minutes if previous_end == slot.start else minutes
            previous_end = slot.end
            longest = max(longest, run)
        report.longest_run[teacher] = longest
    return report
