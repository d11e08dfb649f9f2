"""Rollover API (jaarovergang): the same actions and access layer as the wizard's pages.

Open the next year (POST), shape its classes, change pupils' places and teachers, then apply. Everything
answers 404 when the school has no open rollover or is not the caller's to run.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from core.refusals import Invalid
from roster import rollover as actions
from roster.access import access_new_group, access_placement, access_rollover, access_roster_school
from roster.models import Placement, Rollover
from schools.models import Group

router = Router(tags=["rollover"])
BASE = "/schools/{school_id}/rollover"


class RolloverTeacherOut(Schema):
    id: str
    name: str


class RolloverGroupOut(Schema):
    id: str
    name: str
    teachers: list[RolloverTeacherOut]
    placed: int


class RolloverOut(Schema):
    id: str
    from_year: str
    school_year: str
    first_day: datetime.date
    readable_months: int = Field(
        description="Months parents still read last year's classes after the first day"
    )
    applied_at: datetime.datetime | None
    replaced_by_import: str | None = Field(description="The applied roster import of the new year, if any")
    counts: dict[str, int]
    groups: list[RolloverGroupOut]


class RolloverPupilRef(Schema):
    id: str
    first_name: str
    last_name: str


class PlacementOut(Schema):
    pupil: RolloverPupilRef
    from_group: str
    from_grade: int | None
    group: str | None = Field(description="The new class's id; null: the pupil leaves the school")
    group_name: str
    grade: int | None
    chosen: bool = Field(description="The office's own choice rather than the proposal")
    needs_check: bool


class RolloverSettingsIn(Schema):
    first_day: datetime.date | None = None
    readable_months: int | None = None


class RolloverNameIn(Schema):
    name: str = Field(..., max_length=200)


class RolloverMergeIn(Schema):
    into: str


class RolloverSplitIn(Schema):
    name: str = Field(..., max_length=200)
    pupils: list[str]


class RolloverTeachersIn(Schema):
    teachers: list[str]


class RolloverPlaceIn(Schema):
    group: str | None = Field(None, description="A class of the new year; null: the pupil leaves")
    grade: int | None = None


class RolloverAppliedOut(Schema):
    placed: int
    moved: int
    left: int


def group_out(group: Group, placed: int | None = None) -> dict:
    return {
        "id": group.public_id,
        "name": group.name,
        "teachers": [
            {"id": a.teacher.public_id, "name": a.teacher.full_name or a.teacher.email}
            for a in group.teaching.select_related("teacher").order_by("teacher__last_name")
        ],
        "placed": placed if placed is not None else Placement.objects.filter(group=group).count(),
    }


def rollover_out(rollover: Rollover) -> dict:
    rollover.school.refresh_from_db(fields=["former_classes_months"])
    return {
        "id": rollover.public_id,
        "from_year": rollover.from_year.name,
        "school_year": rollover.to_year.name,
        "first_day": rollover.to_year.starts_on,
        "readable_months": rollover.school.former_classes_months,
        "applied_at": rollover.applied_at,
        "replaced_by_import": rollover.replaced_by.public_id if rollover.replaced_by_id else None,
        "counts": actions.rollover_counts(rollover),
        "groups": [group_out(group, group.placed) for group in actions.new_groups_of(rollover)],
    }


def placement_out(placement: Placement) -> dict:
    return {
        "pupil": {
            "id": placement.pupil.public_id,
            "first_name": placement.pupil.first_name,
            "last_name": placement.pupil.last_name,
        },
        "from_group": placement.from_group.name,
        "from_grade": placement.from_grade,
        "group": placement.group.public_id if placement.group_id else None,
        "group_name": placement.group.name if placement.group_id else "",
        "grade": placement.grade,
        "chosen": placement.chosen,
        "needs_check": placement.needs_check,
    }


def _new_group(rollover: Rollover, group_id: str, field: str) -> Group:
    group = Group.objects.filter(
        school_year=rollover.to_year, kind=Group.Kind.CLASS, public_id=group_id
    ).first()
    if group is None:
        raise Invalid(_("Choose a class of the new year."), code=field)
    return group


@router.get(BASE, response={200: RolloverOut})
def get_rollover(request, school_id: str):
    """The open rollover: the new year, its first day, its classes with teachers and the counts."""
    return rollover_out(access_rollover(request.auth, school_id))


@router.post(BASE, response={201: RolloverOut})
def open_next_year(request, school_id: str, payload: RolloverSettingsIn):
    """Open the next school year: classes and teachers are copied and every pupil gets a proposed place.

    Without `first_day` the first Monday after the summer holiday (the school's holidays) is taken.
    """
    school = access_roster_school(request.auth, school_id)
    rollover = actions.check_open_next_year(
        acting_user=request.auth, school=school, first_day=payload.first_day, months=payload.readable_months
    )
    return Status(201, rollover_out(rollover))


@router.patch(BASE, response={200: RolloverOut})
def change_settings(request, school_id: str, payload: RolloverSettingsIn):
    """Move the first day, or set how many months parents still read last year's classes."""
    rollover = access_rollover(request.auth, school_id)
    actions.check_change_settings(
        acting_user=request.auth,
        rollover=rollover,
        first_day=payload.first_day,
        months=payload.readable_months,
    )
    return rollover_out(access_rollover(request.auth, school_id))


@router.post(f"{BASE}/groups", response={201: RolloverGroupOut})
def add_group(request, school_id: str, payload: RolloverNameIn):
    """Add a class to the new year (a new combination class, say)."""
    rollover = access_rollover(request.auth, school_id)
    return Status(
        201,
        group_out(actions.check_add_group(acting_user=request.auth, rollover=rollover, name=payload.name)),
    )


@router.patch(BASE + "/groups/{group_id}", response={200: RolloverGroupOut})
def rename_group(request, school_id: str, group_id: str, payload: RolloverNameIn):
    rollover, group = access_new_group(request.auth, school_id, group_id)
    return group_out(
        actions.check_rename_group(
            acting_user=request.auth, rollover=rollover, group=group, name=payload.name
        )
    )


@router.post(BASE + "/groups/{group_id}/merge", response={200: RolloverGroupOut})
def merge_group(request, school_id: str, group_id: str, payload: RolloverMergeIn):
    """Merge this class into `into`: its pupils and teachers go there and this class is removed."""
    rollover, group = access_new_group(request.auth, school_id, group_id)
    into = _new_group(rollover, payload.into, "into")
    return group_out(
        actions.check_merge_groups(acting_user=request.auth, rollover=rollover, group=group, into=into)
    )


@router.post(BASE + "/groups/{group_id}/split", response={201: RolloverGroupOut})
def split_group(request, school_id: str, group_id: str, payload: RolloverSplitIn):
    """Split this class: a new class `name` gets the listed pupils (ids of pupils placed in this class)."""
    rollover, group = access_new_group(request.auth, school_id, group_id)
    new = actions.check_split_group(
        acting_user=request.auth, rollover=rollover, group=group, name=payload.name, pupil_ids=payload.pupils
    )
    return Status(201, group_out(new))


@router.put(BASE + "/groups/{group_id}/teachers", response={200: RolloverGroupOut})
def assign_teachers(request, school_id: str, group_id: str, payload: RolloverTeachersIn):
    """The class's teachers become exactly these (user ids of the school's teachers)."""
    rollover, group = access_new_group(request.auth, school_id, group_id)
    actions.check_assign_teachers(
        acting_user=request.auth, rollover=rollover, group=group, teacher_ids=payload.teachers
    )
    return group_out(group)


@router.get(f"{BASE}/pupils", response={200: list[PlacementOut]})
def list_placements(request, school_id: str):
    """Every pupil's proposed (or chosen) place next year."""
    rollover = access_rollover(request.auth, school_id)
    return [placement_out(placement) for placement in actions.placements_of(rollover)]


@router.put(BASE + "/pupils/{pupil_id}", response={200: PlacementOut})
def place_pupil(request, school_id: str, pupil_id: str, payload: RolloverPlaceIn):
    """Choose a pupil's place: another class, kept back (the same grade as now), or leaving (group null)."""
    rollover, placement = access_placement(request.auth, school_id, pupil_id)
    group = _new_group(rollover, payload.group, "group") if payload.group else None
    placement = actions.check_place_pupil(
        acting_user=request.auth, rollover=rollover, placement=placement, group=group, grade=payload.grade
    )
    return placement_out(placement)


@router.post(f"{BASE}/apply", response={200: RolloverAppliedOut})
def apply_rollover(request, school_id: str):
    """Write the places as next year's enrolments and mark the leavers; applying again changes nothing."""
    rollover = access_rollover(request.auth, school_id)
    return actions.check_apply_rollover(acting_user=request.auth, rollover=rollover)
