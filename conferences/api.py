"""Conferences API (/api/v1/conferences/): the same access layer and actions as the pages.

Times of preference blocks and talks are moments with their zone (ISO 8601); an evening's start and end are
wall-clock times of the school (`HH:MM`).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from conferences import actions, moves
from conferences.access import (
    access_own_talk,
    access_round,
    access_round_group,
    access_round_taught,
    access_swap,
    access_talk,
)
from conferences.queries import (
    answer_of,
    blocks_of,
    free_starts_for,
    group_overview,
    is_round_staff,
    rounds_visible_to,
    swap_partners_for,
    talks_visible_to,
    teachers_of_talk,
)
from core.api_schema import LocalTime
from core.refusals import Invalid, NotFound
from schools.access import access_pupil
from schools.models import Group
from schools.queries import groups_staffed_by, schools_administered_by, staff_roles_of

router = Router(tags=["conferences"])


class RoundGroupRef(Schema):
    public_id: str
    name: str


class EveningSchema(Schema):
    date: datetime.date
    starts: LocalTime
    ends: LocalTime


class RoundOut(Schema):
    public_id: str
    name: str
    topic: str
    school_id: str
    phase: str
    preferences_open_at: datetime.datetime
    preferences_close_at: datetime.datetime
    swaps_close_at: datetime.datetime
    published_at: datetime.datetime | None
    slot_minutes: int
    buffer_minutes: int
    break_after_minutes: int
    break_minutes: int
    block_minutes: int
    duo_together: bool
    apart_separately: bool
    default_room: str
    evenings: list[EveningSchema]
    groups: list[RoundGroupRef]

    @staticmethod
    def resolve_school_id(obj) -> str:
        return obj.school.public_id

    @staticmethod
    def resolve_phase(obj) -> str:
        return obj.phase_at(timezone.now())

    @staticmethod
    def resolve_evenings(obj) -> list:
        return list(obj.evenings.all())

    @staticmethod
    def resolve_groups(obj) -> list:
        return [rg.group for rg in obj.round_groups.select_related("group").order_by("group__name")]


class RoundSettings(Schema):
    slot_minutes: int = Field(10, ge=5, le=60)
    buffer_minutes: int = Field(5, ge=0, le=30)
    break_after_minutes: int = Field(60, ge=0, le=240)
    break_minutes: int = Field(10, ge=0, le=60)
    block_minutes: int = Field(30, ge=10, le=120)
    duo_together: bool = True
    apart_separately: bool = False
    default_room: str = Field("", max_length=60)


class RoundIn(RoundSettings):
    school_id: str
    name: str = Field(..., min_length=1, max_length=120)
    topic: str = Field("", max_length=300)
    group_ids: list[str] = Field(..., max_length=60)
    evenings: list[EveningSchema] = Field(..., max_length=10)
    preferences_open_at: datetime.datetime
    preferences_close_at: datetime.datetime
    swaps_close_at: datetime.datetime


class RoundChange(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    topic: str | None = Field(None, max_length=300)
    default_room: str | None = Field(None, max_length=60)
    preferences_open_at: datetime.datetime | None = None
    preferences_close_at: datetime.datetime | None = None
    swaps_close_at: datetime.datetime | None = None
    slot_minutes: int | None = Field(None, ge=5, le=60)
    buffer_minutes: int | None = Field(None, ge=0, le=30)
    evenings: list[EveningSchema] | None = Field(None, max_length=10)


class BlockOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class ChoiceSchema(Schema):
    starts_at: datetime.datetime
    can: bool


class ConferencePreferencesIn(Schema):
    choices: list[ChoiceSchema] = Field(..., max_length=200)
    interpreter: str = Field("", max_length=60)
    video_call: bool = False


class ConferencePreferencesOut(Schema):
    blocks: list[BlockOut]
    choices: list[ChoiceSchema]
    interpreter: str
    video_call: bool
    answered_at: datetime.datetime | None


class ConferencePlanOut(Schema):
    seed: int
    report: dict
    created_at: datetime.datetime


class TalkPupil(Schema):
    public_id: str
    first_name: str


class TalkOut(Schema):
    public_id: str
    round_id: str = Field(..., alias="round.public_id")
    group: str = Field(..., alias="group.name")
    pupils: list[TalkPupil]
    teachers: list[str]
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    minutes: int
    room: str
    sequence: int

    @staticmethod
    def resolve_pupils(obj) -> list:
        return list(obj.pupils.all())

    @staticmethod
    def resolve_teachers(obj) -> list[str]:
        return [t.full_name for t in teachers_of_talk(obj)]


class TalkOptionsOut(TalkOut):
    free_starts: list[datetime.datetime]
    swap_with: list[BlockOut]
    swap_ids: list[str]


class FlagIn(Schema):
    priority: bool = False
    long_talk: bool = False
    excluded: bool = False
    parents_apart: bool = False


class FlagOut(FlagIn):
    pupil_id: str = Field(..., alias="pupil.public_id")


class GroupRowOut(Schema):
    pupil: TalkPupil
    guardians: list[str]
    talk_id: str | None
    starts_at: datetime.datetime | None
    answered: bool
    interpreter: str
    video_call: bool


class TimeSchema(Schema):
    date: datetime.date
    starts: LocalTime | None = None
    ends: LocalTime | None = None
    absent: bool = False


class TimesIn(Schema):
    evenings: list[TimeSchema] = Field(..., max_length=10)


class TimeOut(Schema):
    date: datetime.date = Field(..., alias="evening.date")
    starts: LocalTime
    ends: LocalTime


class GroupSettingsSchema(Schema):
    slot_minutes: int | None = Field(None, ge=5, le=60)
    room: str = Field("", max_length=60)


class TalkMoveIn(Schema):
    starts_at: datetime.datetime


class SwapIn(Schema):
    other_id: str


class SwapAnswerIn(Schema):
    accept: bool


class SwapOut(Schema):
    public_id: str
    talk_id: str = Field(..., alias="talk.public_id")
    other_id: str = Field(..., alias="other.public_id")
    status: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None


def _options(viewer, talk) -> dict:
    own = talk.guardians.filter(pk=viewer.pk).exists()
    partners = swap_partners_for(talk) if own and talk.round.phase_at(timezone.now()) == "swaps" else []
    talk.free_starts = free_starts_for(talk)
    talk.swap_with = [{"starts_at": t.starts_at, "ends_at": t.ends_at} for t in partners]
    talk.swap_ids = [t.public_id for t in partners]
    return talk


# Fixed paths first: "{round_id}" would otherwise swallow them.


@router.get("/conferences/talks/{talk_id}", response=TalkOptionsOut)
def talk_detail(request, talk_id: str):
    """A talk of my family (or of a group I teach), with the free times it could move to."""
    return _options(request.auth, access_talk(request.auth, talk_id))


@router.post("/conferences/talks/{talk_id}/move", response=TalkOut)
def talk_move(request, talk_id: str, payload: TalkMoveIn):
    """My family's talk to a free time (at once, in the swap phase); staff place or move by hand."""
    talk = access_talk(request.auth, talk_id)
    if talk.guardians.filter(pk=request.auth.pk).exists():
        return moves.check_take_free_slot(acting_user=request.auth, talk=talk, starts_at=payload.starts_at)
    talk = access_talk(request.auth, talk_id, manage=True)
    return moves.check_move_by_hand(acting_user=request.auth, talk=talk, starts_at=payload.starts_at)


@router.post("/conferences/talks/{talk_id}/swaps", response={201: SwapOut})
def talk_swap(request, talk_id: str, payload: SwapIn):
    """Ask another family to trade times; `other_id` is one of the talk's `swap_ids`."""
    talk = access_own_talk(request.auth, talk_id)
    other = next((t for t in swap_partners_for(talk) if t.public_id == payload.other_id), None)
    if other is None:
        raise Invalid(_("That time can no longer be swapped. Choose again."), code="not_swappable")
    return Status(201, moves.check_ask_swap(acting_user=request.auth, talk=talk, other=other))


@router.post("/conferences/swaps/{swap_id}/answer", response=SwapOut)
def swap_answer(request, swap_id: str, payload: SwapAnswerIn):
    """Accept (the talks trade times) or decline a swap another family asked."""
    swap = access_swap(request.auth, swap_id)
    return moves.check_answer_swap(acting_user=request.auth, swap=swap, accept=payload.accept)


@router.get("/conferences", response=list[RoundOut])
def rounds(request):
    """The rounds I take part in: my children's, or those of the groups I staff."""
    return list(rounds_visible_to(request.auth).select_related("school").order_by("-preferences_open_at"))


@router.post("/conferences", response={201: RoundOut})
def create_round(request, payload: RoundIn):
    """A new round (director, office, or a teacher for their own groups)."""
    data = payload.dict()
    school = staff_roles_of(request.auth).filter(school__public_id=data.pop("school_id")).first()
    if school is None:
        raise NotFound
    ids = data.pop("group_ids")
    visible = groups_staffed_by(request.auth).filter(public_id__in=ids, kind=Group.Kind.CLASS)
    if schools_administered_by(request.auth).filter(pk=school.school_id).exists():
        visible = Group.objects.filter(school_id=school.school_id, public_id__in=ids)
    groups = list(visible)
    if len(groups) != len(set(ids)):
        raise Invalid(_("Choose groups of this school year."), code="wrong_group")
    data["evenings"] = [actions.EveningIn(e["date"], e["starts"], e["ends"]) for e in data["evenings"]]
    round_ = actions.check_create_round(acting_user=request.auth, school=school.school, groups=groups, **data)
    return Status(201, round_)


@router.get("/conferences/{round_id}", response=RoundOut)
def round_detail(request, round_id: str):
    return access_round(request.auth, round_id)


@router.patch("/conferences/{round_id}", response=RoundOut)
def change_round(request, round_id: str, payload: RoundChange):
    """Change a round; after publication only name, topic, room and the end of swaps (families are told)."""
    round_ = access_round(request.auth, round_id, manage=True)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "evenings" in data:
        data["evenings"] = [actions.EveningIn(e["date"], e["starts"], e["ends"]) for e in data["evenings"]]
    return actions.check_update_round(acting_user=request.auth, round_=round_, **data)


@router.get("/conferences/{round_id}/preferences", response=ConferencePreferencesOut)
def my_preferences(request, round_id: str):
    """The round's time blocks and what I marked (one answer for all my children)."""
    round_ = access_round(request.auth, round_id)
    answer = answer_of(round_, request.auth)
    return {
        "blocks": [{"starts_at": s, "ends_at": e} for s, e in blocks_of(round_)],
        "choices": list(answer.choices.all()) if answer else [],
        "interpreter": answer.interpreter if answer else "",
        "video_call": answer.video_call if answer else False,
        "answered_at": answer.answered_at if answer else None,
    }


@router.put("/conferences/{round_id}/preferences", response=ConferencePreferencesOut)
def give_preferences(request, round_id: str, payload: ConferencePreferencesIn):
    """Give or replace my preferences; each `starts_at` must be one of the round's blocks."""
    round_ = access_round(request.auth, round_id)
    choices = {}
    for choice in payload.choices:
        choices[choice.starts_at] = choice.can
    actions.check_answer(
        acting_user=request.auth,
        round_=round_,
        choices=choices,
        interpreter=payload.interpreter,
        video_call=payload.video_call,
    )
    return my_preferences(request, round_id)


@router.post("/conferences/{round_id}/plan", response=ConferencePlanOut)
def plan_round(request, round_id: str):
    """Plan every talk (after preferences close); 422 with the shortage per teacher if slots are too few."""
    round_ = access_round(request.auth, round_id, manage=True)
    return actions.check_plan(acting_user=request.auth, round_=round_)


@router.post("/conferences/{round_id}/publish", response=RoundOut)
def publish_round(request, round_id: str):
    round_ = access_round(request.auth, round_id, manage=True)
    return actions.check_publish(acting_user=request.auth, round_=round_)


@router.get("/conferences/{round_id}/talks", response=list[TalkOut])
def round_talks(request, round_id: str):
    """My family's talks (once published); for staff the talks of the groups they staff."""
    round_ = access_round(request.auth, round_id)
    talks = talks_visible_to(request.auth).filter(round=round_)
    if not is_round_staff(request.auth, round_):
        talks = talks.filter(guardians=request.auth)
    return list(
        talks.select_related("round", "group")
        .prefetch_related("pupils", "slots__teacher")
        .order_by("starts_at")
    )


@router.get("/conferences/{round_id}/groups/{group_id}", response=list[GroupRowOut])
def round_group(request, round_id: str, group_id: str):
    """Per pupil of a group I staff: who has a time, who has not, who asked for an interpreter."""
    round_ = access_round(request.auth, round_id)
    group = access_round_group(request.auth, round_, group_id)
    return [
        {
            "pupil": {"public_id": r.pupil.public_id, "first_name": r.pupil.first_name},
            "guardians": [g.full_name for g in r.guardians],
            "talk_id": r.talk.public_id if r.talk else None,
            "starts_at": r.talk.starts_at if r.talk else None,
            "answered": r.answered,
            "interpreter": r.interpreter,
            "video_call": r.video_call,
        }
        for r in group_overview(round_, group)
    ]


@router.put("/conferences/{round_id}/flags/{pupil_id}", response=FlagOut)
def flag_pupil(request, round_id: str, pupil_id: str, payload: FlagIn):
    """A teacher flags a pupil of their group: a talk needed, a longer one, none, or parents apart."""
    round_ = access_round(request.auth, round_id)
    pupil = access_pupil(request.auth, pupil_id)
    return actions.check_flag_pupil(acting_user=request.auth, round_=round_, pupil=pupil, **payload.dict())


@router.put("/conferences/{round_id}/my-times", response=list[TimeOut])
def my_times(request, round_id: str, payload: TimesIn):
    """A teacher's own times per evening (by date); an evening not named is the whole evening."""
    round_ = access_round_taught(request.auth, round_id)
    evenings = {e.date: e for e in round_.evenings.all()}
    named = {t.date: t for t in payload.evenings}
    if set(named) - set(evenings):
        raise Invalid(_("That evening is not part of this round."), code="wrong_evening")
    times = [
        actions.TimeIn(e, named[d].starts, named[d].ends, named[d].absent)
        if d in named
        else actions.TimeIn(e, None, None)
        for d, e in evenings.items()
    ]
    return actions.check_set_teacher_times(acting_user=request.auth, round_=round_, times=times)


@router.put("/conferences/{round_id}/groups/{group_id}/settings", response=GroupSettingsSchema)
def group_settings(request, round_id: str, group_id: str, payload: GroupSettingsSchema):
    """A group's own talk length and room (before publication), by a teacher of the group or the school."""
    round_ = access_round(request.auth, round_id)
    group = access_round_group(request.auth, round_, group_id)
    return actions.check_set_group(acting_user=request.auth, round_=round_, group=group, **payload.dict())
