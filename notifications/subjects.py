"""Who may read the delivery report of an event's subject: the app that owns the subject decides.

The owning app registers its subject type with the subjects a viewer may see, as conversations does for
its threads (in `conversations/apps.py`); notifications never imports the app:

    register_subject("conversation", visible_to=conversations_visible_to)

visible_to(viewer) -> QuerySet      subjects the viewer may see, filtered here by `public_id`

The report's own rule (the event's staff author, or the school's director and office) still applies; a
registered owner can only narrow it, so a private thread's report stays with the people in the thread.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_visible_to: dict[str, Callable[..., QuerySet]] = {}


def register_subject(subject_type: str, *, visible_to: Callable[..., QuerySet]) -> None:
    _visible_to[subject_type] = visible_to


def may_see_subject(viewer, subject_type: str, subject_id: str) -> bool:
    """Whether the subject's owner lets the viewer see it (yes for a type no app registered)."""
    visible_to = _visible_to.get(subject_type)
    return visible_to is None or visible_to(viewer).filter(public_id=subject_id).exists()
