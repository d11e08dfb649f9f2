"""Fetch-and-authorize for translation's own pages; the texts themselves go through their owners' access."""

from core.refusals import NotAllowed
from schools.access import access_school_admin, first_or_404
from schools.models import StaffRole
from schools.queries import schools_administered_by, staff_roles_of
from translation.models import GlossaryTerm


def access_translation_school(viewer, public_id: str):
    """A school whose translation settings the viewer keeps (director or office); 404 for any other."""
    return access_school_admin(viewer, public_id)


def check_may_choose_engine(viewer, school) -> None:
    """Only the director chooses the engine: it decides which processor receives the school's texts."""
    if not staff_roles_of(viewer).filter(school=school, role=StaffRole.Role.DIRECTOR).exists():
        raise NotAllowed()


def access_glossary_term(viewer, public_id: str) -> GlossaryTerm:
    terms = GlossaryTerm.objects.filter(school__in=schools_administered_by(viewer)).select_related("school")
    return first_or_404(terms.filter(public_id=public_id))
