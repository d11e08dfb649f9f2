"""The planner on generated schools: its guarantees, its reproducibility, and a property test."""

import datetime
import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from conferences import synthetic
from conferences.planner import (
    IMPOSSIBLE,
    Block,
    GroupIn,
    Problem,
    PupilIn,
    Request,
    fit,
    make_requests,
    plan,
    shortages,
    teacher_slots,
)

T0 = datetime.datetime(2026, 11, 16, 17, 0, tzinfo=datetime.UTC)


def minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def assert_no_double_booking(problem: Problem, result) -> None:
    """No teacher, room or family member in two places at once; a family member's talks a buffer apart."""
    own = {(s.teacher, s.start) for s in problem.slots}
    by_key = {r.key: r for r in problem.requests}
    taken, rooms, guardians = set(), {}, {}
    for key, placement in result.placements.items():
        request = by_key[key]
        assert placement.teachers in request.options
        for teacher in placement.teachers:
            for start in placement.slot_starts:
                assert (teacher, start) in own, "a talk outside the teacher's slots"
                assert (teacher, start) not in taken, f"{teacher} double-booked at {start}"
                taken.add((teacher, start))
        rooms.setdefault(placement.room, []).append((placement.start, placement.end))
        for g in request.guardians:
            guardians.setdefault(g, []).append((placement.start, placement.end))
    for spans in rooms.values():
        for (s1, e1), (s2, e2) in itertools.combinations(spans, 2):
            assert not (s1 < e2 and s2 < e1), "a room double-booked"
    for spans in guardians.values():
        for (s1, e1), (s2, e2) in itertools.combinations(spans, 2):
            assert not (s1 < e2 + problem.buffer and s2 < e1 + problem.buffer), "a parent without buffer"


def test_the_demo_school_is_planned_with_every_guarantee():
    problem = synthetic.generate(synthetic.DEMO)
    assert shortages(problem) == []
    result = plan(problem)
    report = result.report
    assert_no_double_booking(problem, result)
    assert report.talks_placed == report.talks == len(problem.requests) > 200
    assert report.priority_placed == report.priority_families > 0
    assert report.siblings_back_to_back == report.sibling_families > 10
    assert report.families_in_impossible_time == 0
    assert report.families_in_possible_time / report.families_answered > 0.7
    assert max(report.longest_run.values()) <= 60


def test_a_hard_school_with_siblings_duo_teachers_and_tight_times():
    problem = synthetic.generate(synthetic.HARD)
    assert shortages(problem) == []
    result = plan(problem)
    report = result.report
    assert_no_double_booking(problem, result)
    assert report.unplaced == []
    assert report.priority_placed == report.priority_families
    assert report.sibling_families / report.families > 0.12  # 30% of pupils have a sibling
    assert report.siblings_back_to_back == report.sibling_families
    assert report.families_in_impossible_time == 0
    assert report.families_in_possible_time / report.families_answered > 0.6
    assert max(report.longest_run.values()) <= 60


def test_too_few_slots_are_reported_with_how_many_short_before_planning():
    problem = synthetic.generate(replace(synthetic.HARD, evening_hours=2))
    found = shortages(problem)
    assert found and all(s.short > 0 for s in found)
    assert sum(s.short for s in found) >= len(plan(problem).report.unplaced) > 0


def test_the_same_seed_gives_the_same_assignment_and_answer_order_does_not_matter():
    problem = synthetic.generate(synthetic.DEMO)
    first = plan(problem)
    # The order in which families answered is not an input: shuffling rows changes nothing.
    shuffled = Problem(
        slots=list(reversed(problem.slots)),
        requests=list(reversed(problem.requests)),
        availability=dict(reversed(list(problem.availability.items()))),
        seed=problem.seed,
    )
    assert plan(shuffled).placements == first.placements
    assert plan(problem).order == first.order
    assert plan(replace(problem, seed=2)).order != first.order


def test_siblings_in_one_group_share_one_longer_talk_and_parents_apart_get_one_each():
    groups = {"g3": GroupIn("g3", ("anna", "bram"), 10, duo_together=True)}
    pupils = [
        PupilIn("daan", "g3", ("sanne", "joost")),
        PupilIn("eva", "g3", ("sanne", "joost")),
        PupilIn("yasmin", "g3", ("fatima", "karim"), parents_apart=True),
    ]
    apart = make_requests(pupils, groups, apart_separately=True)
    assert [(r.pupils, r.minutes, sorted(r.guardians)) for r in apart] == [
        (("daan", "eva"), 20, ["joost", "sanne"]),
        (("yasmin",), 10, ["fatima"]),
        (("yasmin",), 10, ["karim"]),
    ]
    assert all(r.options == (("anna", "bram"),) for r in apart)
    together = make_requests(pupils, groups, apart_separately=False)
    assert len(together) == 2
    duo_apart = {"g3": replace(groups["g3"], duo_together=False)}
    assert make_requests(pupils, duo_apart, apart_separately=False)[0].options == (("anna",), ("bram",))


def test_teachers_get_a_break_after_the_longest_run():
    slots = teacher_slots(
        "anna", "3", [(T0, T0 + minutes(150))], slot_minutes=10, break_after=60, break_minutes=15
    )
    starts = [s.start for s in slots]
    assert starts[5] == T0 + minutes(50) and starts[6] == T0 + minutes(75)  # 60 minutes, then 15 off
    assert len(slots) == 12  # 17:00-18:00 and 18:15-19:15; 19:15-19:30 would be a break again


def test_a_cannot_time_is_avoided_and_can_times_are_preferred():
    slots = teacher_slots(
        "anna", "3", [(T0, T0 + minutes(40))], slot_minutes=10, break_after=0, break_minutes=0
    )
    sanne = Request("r1", frozenset({"sanne"}), ("daan",), (("anna",),), 10)
    kees = Request("r2", frozenset({"kees"}), ("lars",), (("anna",),), 10)
    availability = {
        "sanne": [Block(T0 + minutes(20), T0 + minutes(30), True)],
        "kees": [Block(T0, T0 + minutes(40), False)],  # cannot at all: placed anyway, and reported
    }
    result = plan(Problem(slots, [sanne, kees], availability))
    assert result.placements["r1"].start == T0 + minutes(20)
    assert fit(kees, availability, result.placements["r2"].start, result.placements["r2"].end) == IMPOSSIBLE
    assert result.report.families_in_impossible_time == 1
    assert result.report.families_in_possible_time == 1


# --- Property: whatever the input, nobody is double-booked ------------------------------------------------

guardian_names = st.sampled_from([f"g{i}" for i in range(8)])


@st.composite
def problems(draw):
    teachers = draw(
        st.lists(st.sampled_from(["anna", "bram", "carla", "dirk"]), min_size=1, max_size=4, unique=True)
    )
    slots = []
    for teacher in teachers:
        offset = draw(st.sampled_from([0, 5, 10]))
        length = draw(st.integers(min_value=20, max_value=120))
        room = draw(st.sampled_from(["r1", "r2", teacher]))
        slots += teacher_slots(
            teacher,
            room,
            [(T0 + minutes(offset), T0 + minutes(offset + length))],
            slot_minutes=draw(st.sampled_from([10, 15])),
            break_after=draw(st.sampled_from([0, 30, 60])),
            break_minutes=10,
        )
    requests = []
    for index in range(draw(st.integers(min_value=1, max_value=14))):
        guardians = frozenset(draw(st.lists(guardian_names, min_size=1, max_size=2)))
        group = draw(st.lists(st.sampled_from(teachers), min_size=1, max_size=2, unique=True))
        options = (tuple(group),) if draw(st.booleans()) else tuple((t,) for t in group)
        requests.append(
            Request(
                f"r{index}",
                guardians,
                (f"p{index}",),
                options,
                draw(st.sampled_from([10, 15, 20, 30])),
                draw(st.booleans()),
            )
        )
    availability = {}
    for g in draw(st.lists(guardian_names, unique=True)):
        start = draw(st.integers(min_value=0, max_value=100))
        availability[g] = [Block(T0 + minutes(start), T0 + minutes(start + 30), draw(st.booleans()))]
    buffer = minutes(draw(st.sampled_from([0, 5, 10])))
    return Problem(slots, requests, availability, buffer=buffer, seed=draw(st.integers(0, 1000)))


@settings(max_examples=150, deadline=None)
@given(problems())
def test_no_assignment_double_books_a_teacher_a_room_or_a_family_member(problem):
    result = plan(problem)
    assert_no_double_booking(problem, result)
    assert set(result.placements) | set(result.report.unplaced) == {r.key for r in problem.requests}
