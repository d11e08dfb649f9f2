"""Fetch-and-authorize for roster imports: only the school's director and office; not-yours answers 404."""

from django.http import Http404

from roster.models import RosterImport
from schools.access import access_school_admin
from schools.models import School
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
