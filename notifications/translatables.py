"""What notifications offer for translation: a notice (an event's title, and the item's text where the
email may carry it), to its recipients only; one translation per event and language serves the in-app list,
the email and the digest.

The title is translated as the school writes it (Dutch); the values put into it (a class, a school, a
child's first name, a sender) are kept as they are, like the names of the pupils of the event's groups.
"""

from django.conf import settings
from django.utils import translation

from notifications.models import Dispatch
from notifications.sending import email_text
from schools.access import first_or_404
from schools.models import Group


def _access_notice(viewer, public_id: str) -> Dispatch:
    """An event of which the viewer has the notice; 404 for any other."""
    return first_or_404(Dispatch.objects.filter(public_id=public_id, notifications__user=viewer))


def notice_texts(dispatch: Dispatch) -> list[str]:
    """The title as the school's own language writes it (the source of every translation of it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [dispatch.display_title]


def notice_details(dispatch: Dispatch) -> list[tuple[str, str]]:
    """The item's text, for the kinds whose email may carry it (a post, an event reminder); none else."""
    text = email_text(dispatch)
    return [("text", text)] if text else []


def _names(dispatch: Dispatch) -> list[str]:
    from translation.queries import names_to_keep

    kept = [str(value) for key, value in dispatch.title_params.items() if key != "title" and value]
    if dispatch.school_id is None:
        return kept
    group_ids = dispatch.data.get("group_ids", [])
    groups = Group.objects.filter(public_id__in=group_ids, school_id=dispatch.school_id)
    return names_to_keep(dispatch.school_id, list(groups.values_list("id", flat=True)), extra=kept)


def register_translatables() -> None:
    from translation.sources import Kind, register_kind

    register_kind(
        Kind(
            name="notice",
            model=Dispatch,
            access=_access_notice,
            load=lambda public_id: Dispatch.objects.filter(public_id=public_id).first(),
            texts=notice_texts,
            html=(False,),
            school_id=lambda dispatch: dispatch.school_id,
            names=_names,
            details=notice_details,
            heading=True,  # the list line shows the title as written; the control adds its translation
        )
    )
