"""Fetch-and-authorize for schools, groups and pupils: not-yours answers 404, exactly like missing."""

from django.http import Http404

from schools.models import Group, Pupil, School
from schools.queries import (
    groups_staffed_by,
    groups_visible_to,
    pupils_visible_to,
    schools_administered_by,
)


def access_group(viewer, public_id: str, *, write: bool = False) -> Group:
    """A group the viewer belongs to; with write=True, one where the viewer acts as staff."""
    groups = groups_staffed_by(viewer) if write else groups_visible_to(viewer)
    group = groups.select_related("school", "school_year").filter(public_id=public_id).first()
    if group is None:
        raise Http404
    return group


def access_pupil(viewer, public_id: str, *, write: bool = False) -> Pupil:
    """A pupil the viewer may see; with write=True, only for the school's director or office."""
    pupils = (
        Pupil.objects.filter(school__in=schools_administered_by(viewer))
        if write
        else pupils_visible_to(viewer)
    )
    pupil = pupils.select_related("school").filter(public_id=public_id).first()
    if pupil is None:
        raise Http404
    return pupil


def access_school_admin(viewer, public_id: str) -> School:
    """A school the viewer administers (director or office)."""
    school = schools_administered_by(viewer).select_related("board").filter(public_id=public_id).first()
    if school is None:
        raise Http404
    return school
