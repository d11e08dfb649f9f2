"""Fetch-and-authorize for roster imports: only the school's director and office; not-yours answers 404."""

from django.http import Http404

from core.refusals import NotFound
from roster.models import Placement, Rollover, RosterImport
from schools.access import access_school_admin
from schools.models import Group, School
from schools.queries import schools_administered_by


def access_roster_school(viewer, school_id: str) -> School:
    """A school whose roster the viewer may import: one they administer."""
    return access_school_admin(viewer, school_id)


def access_roster_import(viewer, school_id: str, public_id: str) -> RosterImport:
    roster_import = (
        RosterImport.objects.select_related("school", "created_by", "applied_by")
        .filter(school__in=schools_administered_by(viewer).filter(public_id=school_id), public_id=public_id)
        .first()
    )
    if roster_import is None:
        raise Http404
    return roster_import


# The rollover: the school's director and office, and only the year it opened (a class of the current year,
# or of another school, is not found here: 404 like a missing one).


def access_rollover(viewer, school_id: str) -> Rollover:
    """The rollover into the school's next year, which has not begun; 404 when none is open."""
    from roster.rollover import open_rollover_of

    rollover = open_rollover_of(access_roster_school(viewer, school_id))
    if rollover is None:
        raise NotFound
    return rollover


def access_new_group(viewer, school_id: str, group_id: str) -> tuple[Rollover, Group]:
    """A class of the new year the rollover prepares."""
    rollover = access_rollover(viewer, school_id)
    group = Group.objects.filter(
        school_year=rollover.to_year, kind=Group.Kind.CLASS, public_id=group_id
    ).first()
    if group is None:
        raise NotFound
    return rollover, group


def access_placement(viewer, school_id: str, pupil_id: str) -> tuple[Rollover, Placement]:
    """The rollover's place for one pupil of the school."""
    rollover = access_rollover(viewer, school_id)
    placement = (
        Placement.objects.select_related("pupil", "from_group", "group")
        .filter(rollover=rollover, pupil__public_id=pupil_id)
        .first()
    )
    if placement is None:
        raise NotFound
    return rollover, placement
