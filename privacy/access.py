"""Fetch-and-authorize for exports, retention and erasure; not-yours answers 404 like does-not-exist.

A parent reaches only exports they asked for. The school's retention table is read by its director and
office; changing it, exporting on someone's behalf and erasing an account are the director's.
"""

from accounts.models import User
from core.refusals import NotFound
from privacy.models import DataExport
from schools.access import first_or_404
from schools.models import Pupil, School
from schools.queries import schools_administered_by, schools_directed_by


def access_own_export(viewer, public_id: str) -> DataExport:
    if not getattr(viewer, "is_authenticated", False):
        raise NotFound
    return first_or_404(
        DataExport.objects.select_related("subject_user", "subject_pupil").filter(
            requested_by=viewer, public_id=public_id
        )
    )


def access_privacy_school(viewer, school_id: str, *, write: bool = False) -> School:
    """A school whose retention and erasures the viewer sees (director, office) or runs (director)."""
    schools = schools_directed_by(viewer) if write else schools_administered_by(viewer)
    return first_or_404(schools.filter(public_id=school_id))


def access_school_guardian(viewer, school_id: str, public_id: str) -> tuple[School, User]:
    """A guardian of a pupil (present or left) of a school the viewer directs."""
    school = access_privacy_school(viewer, school_id, write=True)
    guardian = first_or_404(
        User.objects.filter(guardianships__pupil__school=school, public_id=public_id).distinct()
    )
    return school, guardian


def access_school_pupil(viewer, school_id: str, public_id: str) -> tuple[School, Pupil]:
    school = access_privacy_school(viewer, school_id, write=True)
    return school, first_or_404(
        Pupil.objects.select_related("school").filter(school=school, public_id=public_id)
    )
