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


# What the in-app list shows of a subject beyond the event's title: its own title and first line, read now
# through the owner's visibility rule (a post hidden since it was announced shows nothing more). Only the
# in-app list uses it: email subjects and push titles keep the event's title, the same words in both.
_headlines: dict[str, Callable[..., dict]] = {}


def register_headline(subject_type: str, *, headlines: Callable[..., dict]) -> None:
    """headlines(viewer, public_ids, *, language) -> {public_id: (title, first line, language)} for the
    subjects the viewer sees; with a reading language, translated where the cache has it (language set)."""
    _headlines[subject_type] = headlines


def with_headlines(viewer, notifications, *, language: str = "") -> None:
    """Set `headline` (title, first line, language if translated) or None on each item: one query per
    subject type on the page (and the cached translations' for a reader who chose "always translate")."""
    wanted: dict[str, set[str]] = {}
    for item in notifications:
        if item.dispatch.subject_type in _headlines:
            wanted.setdefault(item.dispatch.subject_type, set()).add(item.dispatch.subject_id)
    found = {kind: _headlines[kind](viewer, ids, language=language) for kind, ids in wanted.items()}
    for item in notifications:
        item.headline = found.get(item.dispatch.subject_type, {}).get(item.dispatch.subject_id)
