"""Fetch-and-authorize for schools, groups and pupils: not-yours answers 404, exactly like missing."""

from core.refusals import NotFound
from schools.models import ClassParent, Group, Guardianship, Pupil, School, StaffRole, TeachingAssignment
from schools.queries import (
    current_classes_of,
    groups_staffed_by,
    groups_visible_to,
    pupils_visible_to,
    schools_administered_by,
    users_with_status,
)


def first_or_404(queryset):
    found = queryset.first()
    if found is None:
        raise NotFound
    return found


def access_group(viewer, public_id: str, *, write: bool = False) -> Group:
    """A group the viewer belongs to; with write=True, one where the viewer acts as staff."""
    groups = groups_staffed_by(viewer) if write else groups_visible_to(viewer)
    group = groups.select_related("school", "school_year").filter(public_id=public_id).first()
    if group is None:
        raise NotFound
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
        raise NotFound
    return pupil


def access_school_admin(viewer, public_id: str) -> School:
    """A school the viewer administers (director or office)."""
    school = schools_administered_by(viewer).select_related("board").filter(public_id=public_id).first()
    if school is None:
        raise NotFound
    return school


# The administration's objects: always inside a school the viewer runs, named by that school's id too,
# so an id from another school answers 404 even to a director of both.


def _administered(viewer, school_id: str):
    return schools_administered_by(viewer).filter(public_id=school_id)


def access_admin_pupil(viewer, school_id: str, public_id: str) -> Pupil:
    pupils = Pupil.objects.filter(school__in=_administered(viewer, school_id), public_id=public_id)
    return first_or_404(pupils.select_related("school"))


def access_admin_class(viewer, school_id: str, public_id: str) -> Group:
    """A class of the current school year of a school the viewer runs."""
    school = first_or_404(_administered(viewer, school_id))
    return first_or_404(current_classes_of(school).select_related("school").filter(public_id=public_id))


def access_admin_guardian(viewer, school_id: str, public_id: str):
    """A guardian of a pupil of a school the viewer runs (with their invitation status)."""
    guardians = users_with_status().filter(
        guardianships__pupil__school__in=_administered(viewer, school_id), public_id=public_id
    )
    return first_or_404(guardians.distinct())


def access_admin_guardianship(viewer, school_id: str, pupil_id: str, guardian_id: str) -> Guardianship:
    guardianships = Guardianship.objects.filter(
        pupil__school__in=_administered(viewer, school_id),
        pupil__public_id=pupil_id,
        guardian__public_id=guardian_id,
    )
    return first_or_404(guardianships.select_related("pupil__school", "guardian"))


def access_admin_teaching(viewer, school_id: str, public_id: str) -> TeachingAssignment:
    assignments = TeachingAssignment.objects.filter(
        group__school__in=_administered(viewer, school_id), public_id=public_id
    )
    return first_or_404(assignments.select_related("group__school", "teacher"))


def access_admin_class_parent(viewer, school_id: str, public_id: str) -> ClassParent:
    class_parents = ClassParent.objects.filter(
        group__school__in=_administered(viewer, school_id), public_id=public_id
    )
    return first_or_404(class_parents.select_related("group__school", "guardian"))


def access_admin_staff_role(viewer, school_id: str, public_id: str) -> StaffRole:
    roles = StaffRole.objects.filter(school__in=_administered(viewer, school_id), public_id=public_id)
    return first_or_404(roles.select_related("school", "user"))
