"""Fetch-and-authorize for forms: not-yours answers 404, exactly like missing."""

from core.refusals import NotFound
from forms.models import Form
from forms.queries import children_asked, forms_managed_by, forms_visible_to
from schools.access import first_or_404
from schools.models import Pupil


def access_form(viewer, public_id: str, *, manage: bool = False) -> Form:
    """A form the viewer may see (an opened one of their groups); with manage=True, one they manage."""
    forms = forms_managed_by(viewer) if manage else forms_visible_to(viewer)
    return first_or_404(forms.select_related("school", "post").filter(public_id=public_id))


def access_form_child(viewer, form: Form, public_id: str) -> Pupil:
    """One of the viewer's own children this form asks about (for a per-family form: the family's one)."""
    for child in children_asked(viewer, form):
        if child.public_id == public_id:
            return child
    raise NotFound
