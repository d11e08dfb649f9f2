"""Changes to a conference round up to its publication: the round, flags, answers, planning, publishing.

`check_*` validates and raises a refusal (`core.refusals`) before anything is saved; each runs in one
transaction, so a refusal leaves nothing half-saved. Moves and swaps after publication are in
`conferences/moves.py`.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from conferences.models import (
    Answer,
    Choice,
    Evening,
    Phase,
    PlanRun,
    PupilFlag,
    Round,
    RoundGroup,
    Slot,
    Talk,
    TeacherTime,
)
from conferences.planner import plan, shortages
from conferences.problem import problem_for
from conferences.queries import blocks_of, round_has_child_of
from core.audit import record
from core.events import Event, publish_on_commit
from core.refusals import Invalid, NotAllowed
from schools.models import Group, Pupil, School
from schools.queries import current_classes_of, groups_staffed_by, schools_administered_by

# What may change after publication: nothing that moves a talk (a move goes talk by talk and is told).
CHANGEABLE_AFTER_PUBLISHING = {"name", "topic", "default_room", "swaps_close_at"}


@dataclass(frozen=True)
class EveningIn:
    date: datetime.date
    starts: datetime.time
    ends: datetime.time


def round_url(round_: Round) -> str:
    return f"/conferences/{round_.public_id}/"


def families_of(round_: Round) -> list[int]:
    """Every guardian with a talk in the round (the people told about the round's changes)."""
    from accounts.models import User

    return list(User.objects.filter(conference_talks__round=round_).distinct().values_list("id", flat=True))


def announce(round_: Round, *, kind: str, actor, recipients, title: str, url: str = "", **params) -> None:
    if recipients:
        publish_on_commit(
            Event(
                kind=kind,
                actor_id=getattr(actor, "pk", None),
                school_id=round_.school_id,
                recipient_ids=tuple(sorted(set(recipients))),
                subject_type="conference_round",
                subject_id=round_.public_id,
                url=url or round_url(round_),
                title=title,
                title_params={"round": round_.name, **params},
            )
        )


# --- The round ----------------------------------------------------------------------------------------------


def _check_groups(acting_user, school: School, groups: list[Group]) -> None:
    if not groups:
        raise Invalid(_("Choose at least one group."), code="no_groups")
    classes = set(current_classes_of(school).values_list("id", flat=True))
    if any(g.pk not in classes for g in groups):
        raise Invalid(_("Choose groups of this school year."), code="wrong_group")
    if not schools_administered_by(acting_user).filter(pk=school.pk).exists():
        staffed = set(groups_staffed_by(acting_user).values_list("id", flat=True))
        if any(g.pk not in staffed for g in groups):
            raise NotAllowed(_("A teacher can only plan talks for their own groups."))


def _check_shape(
    *, evenings: list[EveningIn], preferences_open_at, preferences_close_at, swaps_close_at, **numbers
):
    if not evenings:
        raise Invalid(_("Add at least one evening or afternoon."), code="no_evenings")
    for evening in evenings:
        if evening.ends <= evening.starts:
            raise Invalid(_("An evening must end after it starts."), code="evening_order")
    first = min(datetime.datetime.combine(e.date, e.starts) for e in evenings)
    if not (preferences_open_at < preferences_close_at < swaps_close_at):
        raise Invalid(
            _("The dates must follow each other: preferences open, preferences close, swaps close."),
            code="phase_order",
        )
    if timezone.localtime(preferences_close_at).replace(tzinfo=None) > first:
        raise Invalid(_("Preferences must close before the first evening."), code="phase_order")
    if not 5 <= numbers.get("slot_minutes", 10) <= 60:
        raise Invalid(_("A talk lasts between 5 and 60 minutes."), code="slot_minutes")
    if not 10 <= numbers.get("block_minutes", 30) <= 120:
        raise Invalid(_("Preference blocks last between 10 and 120 minutes."), code="block_minutes")


def check_create_round(
    *,
    acting_user,
    school: School,
    name: str,
    groups: list[Group],
    evenings: list[EveningIn],
    preferences_open_at: datetime.datetime,
    preferences_close_at: datetime.datetime,
    swaps_close_at: datetime.datetime,
    **settings,
) -> Round:
    """A new round for some of the school's groups; a teacher may make one for their own groups."""
    _check_groups(acting_user, school, groups)
    _check_shape(
        evenings=evenings,
        preferences_open_at=preferences_open_at,
        preferences_close_at=preferences_close_at,
        swaps_close_at=swaps_close_at,
        **settings,
    )
    with transaction.atomic():
        round_ = Round.objects.create(
            school=school,
            name=name,
            created_by=acting_user,
            preferences_open_at=preferences_open_at,
            preferences_close_at=preferences_close_at,
            swaps_close_at=swaps_close_at,
            **settings,
        )
        RoundGroup.objects.bulk_create(RoundGroup(round=round_, group=g) for g in groups)
        Evening.objects.bulk_create(
            Evening(round=round_, date=e.date, starts=e.starts, ends=e.ends) for e in evenings
        )
        record(actor=acting_user, action="conference.round_created", target=round_, school=school)
    return round_


def check_update_round(
    *, acting_user, round_: Round, evenings: list[EveningIn] | None = None, **changes
) -> Round:
    """Change a round. After publication only what moves no talk; a new room is told to every family."""
    changes = {k: v for k, v in changes.items() if getattr(round_, k) != v}
    current = [EveningIn(e.date, e.starts, e.ends) for e in round_.evenings.all()]
    if evenings == current:
        evenings = None
    if round_.published_at is not None and (
        evenings is not None or set(changes) - CHANGEABLE_AFTER_PUBLISHING
    ):
        raise Invalid(
            _(
                "The schedule is published: its times can no longer change for everyone at once. "
                "Move talks one by one; each family is told."
            ),
            code="published",
        )
    shape = {
        "evenings": evenings if evenings is not None else current,
        "preferences_open_at": changes.get("preferences_open_at", round_.preferences_open_at),
        "preferences_close_at": changes.get("preferences_close_at", round_.preferences_close_at),
        "swaps_close_at": changes.get("swaps_close_at", round_.swaps_close_at),
        "slot_minutes": changes.get("slot_minutes", round_.slot_minutes),
        "block_minutes": changes.get("block_minutes", round_.block_minutes),
    }
    if round_.published_at is None or "swaps_close_at" in changes:
        _check_shape(**shape)
    old_room = round_.default_room
    with transaction.atomic():
        for field, value in changes.items():
            setattr(round_, field, value)
        round_.save()
        if evenings is not None:
            round_.evenings.all().delete()
            Evening.objects.bulk_create(
                Evening(round=round_, date=e.date, starts=e.starts, ends=e.ends) for e in evenings
            )
        record(
            actor=acting_user,
            action="conference.round_changed",
            target=round_,
            school=round_.school,
            changed=sorted(changes),
        )
        if round_.published_at is not None and "default_room" in changes:
            moved = Talk.objects.filter(round=round_, room=old_room or "")
            recipients = list(moved.values_list("guardians", flat=True))
            Slot.objects.filter(round=round_, room=old_room or "").update(room=round_.default_room)
            for talk in moved:
                talk.room, talk.sequence = round_.default_room, talk.sequence + 1
                talk.save(update_fields=["room", "sequence"])
            announce(
                round_,
                kind="conference.changed",
                actor=acting_user,
                recipients=[r for r in recipients if r],
                title=gettext_noop("Your talk for %(round)s has a new room"),
            )
        elif round_.published_at is not None and changes:
            announce(
                round_,
                kind="conference.changed",
                actor=acting_user,
                recipients=families_of(round_),
                title=gettext_noop("%(round)s has changed"),
            )
    return round_


def _check_before_publication(round_: Round) -> None:
    if round_.published_at is not None:
        raise Invalid(
            _("The schedule is published: place or move the family by hand instead."), code="published"
        )


def check_flag_pupil(
    *,
    acting_user,
    round_: Round,
    pupil: Pupil,
    priority: bool,
    long_talk: bool,
    excluded: bool,
    parents_apart: bool,
) -> PupilFlag:
    """A teacher's note on a pupil of their group: a talk needed, a longer one, none, or parents apart."""
    _check_before_publication(round_)
    staffed = RoundGroup.objects.filter(round=round_, group__in=groups_staffed_by(acting_user)).values(
        "group_id"
    )
    from schools.queries import enrolled_now

    if not enrolled_now().filter(pupil=pupil, group_id__in=staffed).exists():
        raise NotAllowed(_("You can only flag pupils of your own groups."))
    if priority and excluded:
        raise Invalid(_("A pupil cannot both need a talk and have none."), code="flag_conflict")
    with transaction.atomic():
        flag, _created = PupilFlag.objects.update_or_create(
            round=round_,
            pupil=pupil,
            defaults={
                "priority": priority,
                "long_talk": long_talk,
                "excluded": excluded,
                "parents_apart": parents_apart,
            },
        )
        record(
            actor=acting_user,
            action="conference.pupil_flagged",
            target=round_,
            school=round_.school,
            pupil=pupil.public_id,
            priority=priority,
            long_talk=long_talk,
            excluded=excluded,
        )
    return flag


# --- Families' answers -------------------------------------------------------------------------------------


def check_answer(
    *,
    acting_user,
    round_: Round,
    choices: dict[datetime.datetime, bool],
    interpreter: str = "",
    video_call: bool = False,
    now: datetime.datetime | None = None,
) -> Answer:
    """A guardian's preferences, once for all their children in the round; a new answer replaces the old."""
    if round_.phase_at(now or timezone.now()) != Phase.PREFERENCES:
        raise Invalid(_("Preferences for this round are not open."), code="closed")
    if not round_has_child_of(round_, acting_user):
        raise NotAllowed(_("Only parents of pupils in this round give preferences."))
    blocks = dict(blocks_of(round_))
    outside = [start for start in choices if start not in blocks]
    if outside:
        raise Invalid(
            _("Some times are outside this round's evenings. Reload the page and choose again."),
            code="outside_times",
            problems=[{"starts_at": start.isoformat()} for start in outside],
        )
    with transaction.atomic():
        answer, _created = Answer.objects.update_or_create(
            round=round_,
            guardian=acting_user,
            defaults={"interpreter": interpreter.strip()[:60], "video_call": video_call},
        )
        answer.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(answer=answer, starts_at=start, ends_at=blocks[start], can=can)
            for start, can in choices.items()
        )
    return answer


# --- Planning and publishing -------------------------------------------------------------------------------


def check_plan(*, acting_user, round_: Round, seed: int | None = None, now=None) -> PlanRun:
    """Plan every talk once preferences have closed; says first how many talks are short of a slot."""
    if round_.phase_at(now or timezone.now()) != Phase.PLANNING:
        raise Invalid(
            _("A round is planned after its preferences close and before it is published."), code="phase"
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    problem, teachers = problem_for(round_, seed=seed)
    short = shortages(problem)
    if short:
        missing = sum(s.short for s in short)
        raise Invalid(
            ngettext(
                "The teachers have too few slots: %(count)d talk does not fit. Add time or a teacher first.",
                "The teachers have too few slots: %(count)d talks do not fit. Add time or a teacher first.",
                missing,
            )
            % {"count": missing},
            code="too_few_slots",
            problems=[
                {
                    "teachers": [str(teachers[int(t)]) for t in s.teachers],
                    "talks": s.talks,
                    "places": s.places,
                    "short": s.short,
                }
                for s in short
            ],
        )
    result = plan(problem)
    with transaction.atomic():
        _write_schedule(round_, problem, result)
        run = PlanRun.objects.create(
            round=round_,
            seed=seed,
            report=result.report.as_dict(),
            order=[[key, number] for key, number in result.order],
            created_by=acting_user,
        )
        record(actor=acting_user, action="conference.planned", target=round_, school=round_.school, seed=seed)
    return run


def _write_schedule(round_: Round, problem, result) -> None:
    """Replace the round's draft schedule with the planner's result: every slot, every talk."""
    Talk.objects.filter(round=round_).delete()
    Slot.objects.filter(round=round_).delete()
    requests = sorted(problem.requests, key=lambda r: r.key)
    talks = Talk.objects.bulk_create(
        Talk(
            round=round_,
            group_id=int(r.key.split(":")[0]),
            minutes=r.minutes,
            priority=r.priority,
            starts_at=result.placements[r.key].start if r.key in result.placements else None,
            ends_at=result.placements[r.key].end if r.key in result.placements else None,
            room=result.placements[r.key].room if r.key in result.placements else "",
        )
        for r in requests
    )
    Through = Talk.pupils.through
    Through.objects.bulk_create(
        Through(talk_id=talk.pk, pupil_id=int(p))
        for talk, r in zip(talks, requests, strict=True)
        for p in r.pupils
    )
    GuardianThrough = Talk.guardians.through
    GuardianThrough.objects.bulk_create(
        GuardianThrough(talk_id=talk.pk, user_id=int(g))
        for talk, r in zip(talks, requests, strict=True)
        for g in r.guardians
    )
    talk_at = {}
    for talk, r in zip(talks, requests, strict=True):
        placement = result.placements.get(r.key)
        if placement:
            for teacher in placement.teachers:
                for start in placement.slot_starts:
                    talk_at[(int(teacher), start)] = talk
    Slot.objects.bulk_create(
        Slot(
            round=round_,
            teacher_id=int(s.teacher),
            starts_at=s.start,
            ends_at=s.end,
            room=s.room,
            talk=talk_at.get((int(s.teacher), s.start)),
        )
        for s in problem.slots
    )


def check_publish(*, acting_user, round_: Round, now=None) -> Round:
    """Show the schedule to the families and tell each of them their time."""
    if round_.phase_at(now or timezone.now()) != Phase.PLANNING:
        raise Invalid(_("Only a planned round that is not yet published can be published."), code="phase")
    if not round_.plan_runs.exists():
        raise Invalid(_("Plan the round before publishing it."), code="not_planned")
    with transaction.atomic():
        if not Round.objects.filter(pk=round_.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        ):
            raise Invalid(_("This round is already published."), code="published")
        round_.refresh_from_db(fields=["published_at"])
        record(actor=acting_user, action="conference.published", target=round_, school=round_.school)
        announce(
            round_,
            kind="conference.published",
            actor=acting_user,
            recipients=families_of(round_),
            title=gettext_noop("Your time for %(round)s is known"),
        )
    return round_


# --- Teachers' times and the groups' own settings -------------------------------------------------------


@dataclass(frozen=True)
class TimeIn:
    """A teacher's time on one evening: from–until, or not there at all."""

    evening: Evening
    starts: datetime.time | None
    ends: datetime.time | None
    absent: bool = False


def _round_teacher_ids(round_: Round) -> set[int]:
    from schools.models import TeachingAssignment

    groups = round_.round_groups.values("group_id")
    return set(TeachingAssignment.objects.filter(group_id__in=groups).values_list("teacher_id", flat=True))


def check_set_teacher_times(*, acting_user, round_: Round, times: list[TimeIn]) -> list[TeacherTime]:
    """A teacher says when they are there each evening; the whole of every evening when nothing is said."""
    _check_before_publication(round_)
    if acting_user.pk not in _round_teacher_ids(round_):
        raise NotAllowed(_("Only the round's teachers set their own times."))
    rows = []
    for time in times:
        if time.evening.round_id != round_.pk:
            raise Invalid(_("That evening is not part of this round."), code="wrong_evening")
        if time.absent:
            continue
        starts, ends = time.starts or time.evening.starts, time.ends or time.evening.ends
        if not (time.evening.starts <= starts < ends <= time.evening.ends):
            raise Invalid(
                _("Your times must lie within the evening (%(starts)s–%(ends)s).")
                % {"starts": f"{time.evening.starts:%H:%M}", "ends": f"{time.evening.ends:%H:%M}"},
                code="outside_evening",
            )
        rows.append(
            TeacherTime(round=round_, teacher=acting_user, evening=time.evening, starts=starts, ends=ends)
        )
    if not rows:
        # No rows means "the whole of every evening" to the planner, so "never" cannot be said this way.
        raise Invalid(
            _("Choose at least one evening you are there. If you cannot come at all, tell the director."),
            code="no_times",
        )
    whole = len(rows) == round_.evenings.count() and all(
        (r.starts, r.ends) == (r.evening.starts, r.evening.ends) for r in rows
    )
    with transaction.atomic():
        TeacherTime.objects.filter(round=round_, teacher=acting_user).delete()
        if not whole:
            TeacherTime.objects.bulk_create(rows)
        record(actor=acting_user, action="conference.teacher_times", target=round_, school=round_.school)
    return rows


def check_set_group(
    *, acting_user, round_: Round, group: Group, slot_minutes: int | None, room: str
) -> RoundGroup:
    """A group's own talk length (e.g. 15 minutes for groep 8's advice talks) and room."""
    _check_before_publication(round_)
    if slot_minutes is not None and not 5 <= slot_minutes <= 60:
        raise Invalid(_("A talk lasts between 5 and 60 minutes."), code="slot_minutes")
    round_group = RoundGroup.objects.filter(round=round_, group=group).first()
    if round_group is None:
        raise Invalid(_("Choose groups of this school year."), code="wrong_group")
    with transaction.atomic():
        round_group.slot_minutes, round_group.room = slot_minutes, room.strip()[:60]
        round_group.save(update_fields=["slot_minutes", "room"])
        record(
            actor=acting_user,
            action="conference.group_set",
            target=round_,
            school=round_.school,
            group=group.public_id,
        )
    return round_group
