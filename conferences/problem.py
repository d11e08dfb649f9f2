"""The round as the planner's input: teachers' slots, the talks to plan and the families' answers.

Reads only; the planner (`conferences.planner`) decides and `conferences.actions.check_plan` writes.
Keys are database ids as strings, so the result maps straight back onto rows.
"""

import datetime

from conferences.models import Answer, Choice, PupilFlag, Round, TeacherTime
from conferences.planner import Block, GroupIn, Problem, PupilIn, Slot, make_requests, teacher_slots
from conferences.queries import local, pupils_of_round, teachers_by_group


def problem_for(round_: Round, *, seed: int) -> tuple[Problem, dict]:
    """The planner's input for a round, and the teachers by id (for writing the result)."""
    evenings = list(round_.evenings.all())
    round_groups = list(round_.round_groups.select_related("group"))
    teachers = teachers_by_group(round_)
    flags = {f.pupil_id: f for f in PupilFlag.objects.filter(round=round_)}
    groups, teacher_of, slot_minutes, rooms = {}, {}, {}, {}
    for rg in round_groups:
        minutes = rg.slot_minutes or round_.slot_minutes
        staff = teachers.get(rg.group_id, [])
        groups[str(rg.group_id)] = GroupIn(
            str(rg.group_id), tuple(str(t.pk) for t in staff), minutes, round_.duo_together
        )
        for index, teacher in enumerate(staff):
            teacher_of[teacher.pk] = teacher
            # A teacher of two groups works in the shorter talk length and the first group's room.
            slot_minutes[teacher.pk] = min(slot_minutes.get(teacher.pk, minutes), minutes)
            room = rg.room or round_.default_room or rg.group.name
            if index and not round_.duo_together:
                room = f"{room} · {teacher.first_name}"
            rooms.setdefault(teacher.pk, room)
    pupils = []
    for p in pupils_of_round(round_):
        flag = flags.get(p.pupil_id)
        pupils.append(
            PupilIn(
                key=str(p.pupil_id),
                group=str(p.group_id),
                guardians=tuple(str(g) for g in p.guardian_ids),
                priority=bool(flag and flag.priority),
                long_talk=bool(flag and flag.long_talk),
                parents_apart=bool(flag and flag.parents_apart),
            )
        )
    requests = make_requests(pupils, groups, apart_separately=round_.apart_separately)
    windows, whole = {}, [(local(e.date, e.starts), local(e.date, e.ends)) for e in evenings]
    for time in TeacherTime.objects.filter(round=round_).select_related("evening"):
        windows.setdefault(time.teacher_id, []).append(
            (local(time.evening.date, time.starts), local(time.evening.date, time.ends))
        )
    slots: list[Slot] = []
    for teacher_id in sorted(teacher_of):
        slots += teacher_slots(
            str(teacher_id),
            rooms[teacher_id],
            windows.get(teacher_id, whole),
            slot_minutes=slot_minutes[teacher_id],
            break_after=round_.break_after_minutes,
            break_minutes=round_.break_minutes,
        )
    availability: dict[str, list[Block]] = {
        str(a): [] for a in Answer.objects.filter(round=round_).values_list("guardian_id", flat=True)
    }
    for guardian_id, starts_at, ends_at, can in Choice.objects.filter(answer__round=round_).values_list(
        "answer__guardian_id", "starts_at", "ends_at", "can"
    ):
        availability[str(guardian_id)].append(Block(starts_at, ends_at, can))
    problem = Problem(
        slots=slots,
        requests=requests,
        availability=availability,
        buffer=datetime.timedelta(minutes=round_.buffer_minutes),
        seed=seed,
    )
    return problem, teacher_of
