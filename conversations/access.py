"""Fetch-and-authorize for conversations: someone else's thread answers 404, exactly like a missing one."""

from django.http import Http404

from conversations.queries import (
    children_to_write_about,
    conversations_managed_by,
    conversations_visible_to,
    guardians_of,
    staff_pupils,
)
from schools.access import first_or_404
from schools.queries import staff_roles_of


def access_conversation(viewer, public_id: str, *, write: bool = False):
    """A conversation the viewer takes part in; with write=True, one the viewer may close as staff."""
    conversations = conversations_managed_by(viewer) if write else conversations_visible_to(viewer)
    related = conversations.select_related("school", "school_year", "pupil", "group")
    return first_or_404(related.filter(public_id=public_id))


def access_child_class(viewer, pupil_id: str):
    """The viewer's own child and its class this year (the enrolment); 404 for any other pupil."""
    return first_or_404(children_to_write_about(viewer).filter(pupil__public_id=pupil_id))


def access_staff_pupil(viewer, pupil_id: str):
    """A pupil the viewer may write to as staff (classes taught; the whole school for director, office)."""
    return first_or_404(staff_pupils(viewer).select_related("school").filter(public_id=pupil_id))


def access_guardians(pupil, guardian_ids: list[str]) -> list:
    """The named guardians of this pupil; an id that is not one of them answers 404."""
    guardians = {g.public_id: g for g in guardians_of(pupil)}
    wanted = list(dict.fromkeys(guardian_ids))
    if any(public_id not in guardians for public_id in wanted):
        raise Http404
    return [guardians[public_id] for public_id in wanted]


def access_staff_school(viewer, school_id: str):
    """A school where the viewer works (for their own availability)."""
    role = first_or_404(staff_roles_of(viewer).select_related("school").filter(school__public_id=school_id))
    return role.school


def access_addressable_pupil(viewer, pupil_id: str):
    """(enrolment, pupil) for the viewer's own child in a class; (None, pupil) for a pupil they teach/run."""
    enrolment = children_to_write_about(viewer).filter(pupil__public_id=pupil_id).first()
    if enrolment is not None:
        return enrolment, enrolment.pupil
    return None, access_staff_pupil(viewer, pupil_id)
