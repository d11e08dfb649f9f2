"""Domain events: apps announce what happened; subscribers (notifications, …) decide what follows.

An action publishes after its transaction commits, so nothing is announced for work that rolled back:

    publish_on_commit(Event(kind="post.published", actor=user, school=school, subject=post,
                            recipient_ids=[...], url="/posts/…/", title=gettext_noop("New post in %(group)s"),
                            title_params={"group": "Groep 3"}))

Every kind is registered with `notifications.rules.register_kind` (from the publishing app's `ready()`);
`registered_kinds()` lists them. The payload each carries is documented where it is published.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction


@dataclass(frozen=True)
class Event:
    kind: str
    actor_id: int | None
    school_id: int | None
    recipient_ids: tuple[int, ...]
    # What the event is about, by type and public id (never the row itself: events outlive requests).
    subject_type: str = ""
    subject_id: str = ""
    # Where a recipient goes to see it, relative to the site root ("/posts/abc/").
    url: str = ""
    # A short, privacy-safe title: no message body, no child photo. English msgid + params, so each
    # recipient's channel can translate it into their own language.
    title: str = ""
    title_params: dict = field(default_factory=dict)
    # Overrides preferences and quiet hours (director's urgent post); always audited by the publisher.
    urgent: bool = False
    # Not before this moment (staff working hours, reminders); None is now.
    deliver_after: str | None = None
    # data["note"]: words for the recipient in the app's list only (why a post was not approved); no email
    # or push carries it.
    data: dict = field(default_factory=dict)


Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(event: Event) -> None:
    for subscriber in list(_subscribers):
        subscriber(event)


def publish_on_commit(event: Event) -> None:
    transaction.on_commit(lambda: publish(event))
