"""Fetch-and-authorize for absences: not-yours answers 404, exactly like missing."""

from django.db.models import Q

from absences.models import Absence, LeaveRequest, SchoolClosure
from absences.queries import staff_pupils
from schools.access import first_or_404
from schools.models import Pupil
from schools.queries import children_of, schools_administered_by, schools_directed_by


def access_child(viewer, public_id: str) -> Pupil:
    """One of the viewer's own children: only guardians report absences."""
    return first_or_404(children_of(viewer).select_related("school").filter(public_id=public_id))


def access_absence(viewer, public_id: str, *, write: bool = False, office: bool = False) -> Absence:
    """A report about the viewer's child; read-only also for the child's teachers and the office.

    With office=True the school's director and office may write too (closing a sick report they noted).
    """
    mine = Q(pupil__in=children_of(viewer))
    if office:
        mine |= Q(school__in=schools_administered_by(viewer))
    visible = mine if write else mine | Q(pupil__in=staff_pupils(viewer))
    absences = Absence.objects.filter(visible, public_id=public_id)
    return first_or_404(absences.select_related("pupil", "school", "reported_by", "changed_by"))


def access_leave(viewer, public_id: str, *, write: bool = False, decide: bool = False) -> LeaveRequest:
    """A leave request of the viewer's child, or of a school they run; deciding is the director's."""
    mine = Q(pupil__in=children_of(viewer))
    if decide:
        visible = Q(school__in=schools_directed_by(viewer))
    elif write:
        visible = mine
    else:
        visible = mine | Q(school__in=schools_administered_by(viewer))
    leave = LeaveRequest.objects.filter(visible, public_id=public_id)
    return first_or_404(leave.select_related("pupil", "school", "requested_by", "decided_by"))


def access_closure(viewer, school_id: str, public_id: str) -> SchoolClosure:
    closures = SchoolClosure.objects.filter(
        school__in=schools_administered_by(viewer).filter(public_id=school_id), public_id=public_id
    )
    return first_or_404(closures.select_related("school"))
