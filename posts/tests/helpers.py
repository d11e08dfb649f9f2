"""Shared helpers for the timeline tests: write a post through the real action, capture events."""

import datetime
from contextlib import contextmanager

from django.utils import timezone

from core import events
from core.testing import PersonaTestCase
from core.viewer import verified
from posts.actions import Draft, check_publish_post


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


class PostsTestCase(PersonaTestCase):
    def setUp(self):
        super().setUp()
        # Our events only: other apps' subscribers are tested in their own apps.
        saved = list(events._subscribers)
        events._subscribers.clear()
        self.addCleanup(events._subscribers.extend, saved)

    def user(self, persona: str):
        return verified(getattr(self.world, persona))

    def post(self, persona: str = "teacher", groups=None, media_files=(), **fields):
        """Publish a post through check_publish_post with on_commit callbacks run."""
        fields.setdefault("title", "Schoolreis")
        groups = groups if groups is not None else [self.world.group3]
        with self.captureOnCommitCallbacks(execute=True):
            return check_publish_post(
                acting_user=self.user(persona),
                groups=groups,
                draft=Draft(**fields),
                media_files=media_files,
            )

    def event(self, persona: str = "teacher", **fields):
        fields.setdefault("kind", "event")
        fields.setdefault("starts_at", in_days(7))
        fields.setdefault("respond_by", fields["starts_at"] - datetime.timedelta(days=2))
        return self.post(persona, **fields)

    def help_request(self, persona: str = "teacher", places: int = 2, **fields):
        fields.setdefault("kind", "help")
        fields.setdefault("tasks", [("Rijden naar het museum", places)])
        return self.post(persona, **fields)

    @contextmanager
    def published_events(self):
        """Collect the domain events published inside the block (run its actions' on_commit callbacks)."""
        seen: list[events.Event] = []
        events.subscribe(seen.append)
        try:
            yield seen
        finally:
            events._subscribers.remove(seen.append)


def class_news(w) -> None:
    """What a class's timeline holds on an ordinary week, for the browser walks: a teacher's post with three
    photos in Groep 3, and an invitation to the Christmas celebration that asks for an answer."""
    from media.actions import check_upload
    from media.tests.helpers import jpeg_bytes, upload_of

    teacher = verified(w.teacher)
    photos = [
        check_upload(
            acting_user=teacher, school=w.school, upload=upload_of(f"gym-{n}.jpg", jpeg_bytes(800, 600))
        )
        for n in range(3)
    ]
    check_publish_post(
        acting_user=teacher, groups=[w.group3], draft=Draft(title="Gymles in het bos"), media_files=photos
    )
    check_publish_post(
        acting_user=teacher,
        groups=[w.group3],
        draft=Draft(title="Kerstviering", kind="event", starts_at=in_days(10), respond_by=in_days(8)),
    )
