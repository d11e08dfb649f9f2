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
