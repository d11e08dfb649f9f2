"""Viewer-scoped reads about conference rounds and talks, and the round's families as the planner sees them.

Who is whose comes from `schools.queries` (children, staffed groups, administered schools); nothing here
re-derives it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from conferences.models import Answer, Evening, PupilFlag, Round, RoundGroup, Slot, SwapRequest, Talk
from core.clock import SCHOOL_TZ
from schools.models import Guardianship, TeachingAssignment
from schools.queries import (
    child_ids_of,
    current_enrolments,
    enrolled_now,
    groups_staffed_by,
    schools_administered_by,
    staff_roles_of,
)


def child_group_ids(viewer):
    """The current classes of the viewer's children, as a subquery."""
    return current_enrolments().filter(pupil_id__in=child_ids_of(viewer)).values("group_id")


def rounds_visible_to(viewer) -> QuerySet[Round]:
    """Staff: the rounds of the groups they staff (a teacher's classes; every group for director and office).
    Guardians: rounds with a class of one of their children, once preferences have opened."""
    if not getattr(viewer, "is_authenticated", False):
        return Round.objects.none()
    staffed = RoundGroup.objects.filter(group__in=groups_staffed_by(viewer)).values("round_id")
    family = RoundGroup.objects.filter(group_id__in=child_group_ids(viewer)).values("round_id")
    visible = (
        Q(id__in=staffed)
        | Q(school__in=schools_administered_by(viewer))
        | Q(id__in=family, preferences_open_at__lte=timezone.now())
    )
    return Round.objects.filter(visible)


def rounds_managed_by(viewer) -> QuerySet[Round]:
    """Director and office manage their school's rounds; a teacher the rounds they made at their school."""
    own = Q(created_by=viewer, school_id__in=staff_roles_of(viewer).values("school_id"))
    return Round.objects.filter(Q(school__in=schools_administered_by(viewer)) | own)


def is_round_staff(viewer, round_: Round) -> bool:
    staffed = RoundGroup.objects.filter(round=round_, group__in=groups_staffed_by(viewer))
    return staffed.exists() or schools_administered_by(viewer).filter(pk=round_.school_id).exists()


def talks_visible_to(viewer) -> QuerySet[Talk]:
    """A family sees its own talks once published; staff the talks of the groups they staff."""
    if not getattr(viewer, "is_authenticated", False):
        return Talk.objects.none()
    own = Q(guardians=viewer, round__published_at__isnull=False)
    staff = Q(group__in=groups_staffed_by(viewer))
    return Talk.objects.filter(Q(id__in=Talk.objects.filter(own).values("id")) | staff)


def talks_managed_by(viewer) -> QuerySet[Talk]:
    """Staff of the talk's group move and place talks by hand."""
    return Talk.objects.filter(group__in=groups_staffed_by(viewer))


def swaps_visible_to(viewer) -> QuerySet[SwapRequest]:
    mine = Q(talk__guardians=viewer) | Q(other__guardians=viewer)
    return SwapRequest.objects.filter(id__in=SwapRequest.objects.filter(mine).values("id"))


# --- The round's shape --------------------------------------------------------------------------------------


def local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=SCHOOL_TZ)


def blocks_of(
    round_: Round, evenings: list[Evening] | None = None
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The preference blocks parents answer: each evening cut into blocks of the round's length."""
    evenings = list(round_.evenings.all()) if evenings is None else evenings
    step = datetime.timedelta(minutes=round_.block_minutes)
    blocks = []
    for evening in evenings:
        start, end = local(evening.date, evening.starts), local(evening.date, evening.ends)
        while start < end:
            blocks.append((start, min(start + step, end)))
            start += step
    return blocks


@dataclass
class FamilyPupil:
    pupil_id: int
    public_id: str
    first_name: str
    group_id: int
    guardian_ids: tuple[int, ...]


def pupils_of_round(round_: Round) -> list[FamilyPupil]:
    """The pupils of the round's groups now (not excluded), with their guardians: two queries."""
    group_ids = list(round_.round_groups.values_list("group_id", flat=True))
    excluded = PupilFlag.objects.filter(round=round_, excluded=True).values("pupil_id")
    enrolments = (
        enrolled_now()
        .filter(group_id__in=group_ids)
        .exclude(pupil_id__in=excluded)
        .select_related("pupil")
        .order_by("pupil__first_name", "pupil_id")
    )
    guardians = defaultdict(list)
    for pupil_id, guardian_id in Guardianship.objects.filter(
        pupil_id__in=enrolments.values("pupil_id")
    ).values_list("pupil_id", "guardian_id"):
        guardians[pupil_id].append(guardian_id)
    return [
        FamilyPupil(
            e.pupil_id,
            e.pupil.public_id,
            e.pupil.first_name,
            e.group_id,
            tuple(sorted(guardians[e.pupil_id])),
        )
        for e in enrolments
    ]


def teachers_by_group(round_: Round) -> dict[int, list]:
    """Each round group's teachers (duo teachers are two), ordered by name."""
    found = defaultdict(list)
    assignments = TeachingAssignment.objects.filter(
        group__in=round_.round_groups.values("group_id")
    ).select_related("teacher")
    for a in assignments.order_by("teacher__last_name", "teacher__first_name", "teacher_id"):
        found[a.group_id].append(a.teacher)
    return found


def round_has_child_of(round_: Round, viewer) -> bool:
    """Whether one of the viewer's children has a talk to plan in the round: one query."""
    excluded = PupilFlag.objects.filter(round=round_, excluded=True).values("pupil_id")
    return (
        enrolled_now()
        .filter(group_id__in=round_.round_groups.values("group_id"), pupil_id__in=child_ids_of(viewer))
        .exclude(pupil_id__in=excluded)
        .exists()
    )


# --- Pages ------------------------------------------------------------------------------------------------


def answer_of(round_: Round, viewer) -> Answer | None:
    return Answer.objects.filter(round=round_, guardian=viewer).prefetch_related("choices").first()


def talks_of_family(round_: Round, viewer) -> list[Talk]:
    """The viewer's talks in a published round, with teachers and pupils: three queries."""
    return list(
        talks_visible_to(viewer)
        .filter(round=round_, guardians=viewer, starts_at__isnull=False)
        .select_related("group")
        .prefetch_related(
            "pupils",
            Prefetch("slots", queryset=Slot.objects.select_related("teacher").order_by("teacher_id")),
        )
    )


def teachers_of_talk(talk: Talk) -> list:
    """The talk's teachers, from its slots (prefetched on list pages)."""
    seen, teachers = set(), []
    for slot in talk.slots.all():
        if slot.teacher_id not in seen:
            seen.add(slot.teacher_id)
            teachers.append(slot.teacher)
    return teachers


def teacher_ids_of_talk(talk: Talk) -> list[int]:
    """Who holds the talk: its slots' teachers, or for a talk not placed yet its group's (duo teachers
    apart: the first; the other can move it later)."""
    ids = sorted({s.teacher_id for s in talk.slots.all()})
    if ids:
        return ids
    teachers = list(
        TeachingAssignment.objects.filter(group_id=talk.group_id)
        .order_by("teacher__last_name", "teacher__first_name", "teacher_id")
        .values_list("teacher_id", flat=True)
    )
    return sorted(teachers) if talk.round.duo_together else teachers[:1]


def free_starts_for(talk: Talk) -> list[datetime.datetime]:
    """The times the talk could move to now: its teachers' free slots long enough for it."""
    teacher_ids = teacher_ids_of_talk(talk)
    if not teacher_ids:
        return []
    slots = list(
        Slot.objects.filter(round_id=talk.round_id, teacher_id__in=teacher_ids).order_by("starts_at")
    )
    by_teacher = defaultdict(dict)
    for slot in slots:
        by_teacher[slot.teacher_id][slot.starts_at] = slot
    lead = by_teacher[teacher_ids[0]]
    starts = sorted(lead)
    if not starts:
        return []
    unit = lead[starts[0]].ends_at - lead[starts[0]].starts_at
    units = max(1, -(-datetime.timedelta(minutes=talk.minutes) // unit))
    found = []
    for i, start in enumerate(starts):
        run = starts[i : i + units]
        if len(run) < units or start == talk.starts_at:
            continue
        if any(lead[run[k + 1]].starts_at != lead[run[k]].ends_at for k in range(units - 1)):
            continue
        if all((s in by_teacher[t]) and by_teacher[t][s].talk_id is None for t in teacher_ids for s in run):
            found.append(start)
    return found


def swap_partners_for(talk: Talk) -> list[Talk]:
    """Other families' talks with the same teachers and length: the ones this family may ask to trade with."""
    teacher_ids = {s.teacher_id for s in talk.slots.all()}
    others = (
        Talk.objects.filter(round_id=talk.round_id, minutes=talk.minutes, starts_at__isnull=False)
        .exclude(pk=talk.pk)
        .filter(slots__teacher_id__in=teacher_ids)
        .distinct()
        .order_by("starts_at")
    )
    return [
        t
        for t in others
        if not set(t.guardians.values_list("id", flat=True))
        & set(talk.guardians.values_list("id", flat=True))
    ]


@dataclass
class GroupRow:
    pupil: object
    guardians: list
    talk: Talk | None
    interpreter: str
    video_call: bool
    answered: bool
    flag: PupilFlag | None


def group_overview(round_: Round, group) -> list[GroupRow]:
    """Per pupil of the group: who has a time, who does not, who asked for an interpreter: fixed queries."""
    pupils = [p for p in pupils_of_round(round_) if p.group_id == group.pk]
    talks = (
        Talk.objects.filter(round=round_, group=group)
        .prefetch_related("pupils", "guardians")
        .order_by("starts_at")
    )
    talk_of = {}
    for talk in talks:
        for pupil in talk.pupils.all():
            talk_of.setdefault(pupil.pk, talk)
    guardian_ids = {g for p in pupils for g in p.guardian_ids}
    answers = {a.guardian_id: a for a in Answer.objects.filter(round=round_, guardian_id__in=guardian_ids)}
    flags = {
        f.pupil_id: f
        for f in PupilFlag.objects.filter(round=round_, pupil_id__in=[p.pupil_id for p in pupils])
    }
    from accounts.models import User

    people = User.objects.in_bulk(guardian_ids)
    rows = []
    for p in pupils:
        mine = [answers[g] for g in p.guardian_ids if g in answers]
        rows.append(
            GroupRow(
                pupil=p,
                guardians=[people[g] for g in p.guardian_ids if g in people],
                talk=talk_of.get(p.pupil_id),
                interpreter=", ".join(sorted({a.interpreter for a in mine if a.interpreter})),
                video_call=any(a.video_call for a in mine),
                answered=bool(mine),
                flag=flags.get(p.pupil_id),
            )
        )
    return rows


def evening_of_teacher(round_: Round, teacher) -> list[Slot]:
    """A teacher's evening as a list: every slot with its talk (or free), in time order: three queries."""
    return list(
        Slot.objects.filter(round=round_, teacher=teacher)
        .select_related("talk", "talk__group")
        .prefetch_related("talk__pupils", "talk__guardians")
        .order_by("starts_at")
    )


def rounds_to_answer(viewer) -> list[Round]:
    """Rounds whose preferences are open now and that the viewer has not answered yet: one query."""
    now = timezone.now()
    return list(
        rounds_visible_to(viewer)
        .filter(preferences_open_at__lte=now, preferences_close_at__gt=now)
        .exclude(answers__guardian=viewer)
        .order_by("preferences_close_at")
        .only("public_id", "name", "preferences_close_at")
    )
