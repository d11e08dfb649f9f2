"""A school that translates with a local LibreTranslate peer, and the ways to ask for a translation."""

from django.test import override_settings

from core.viewer import verified
from posts.tests.helpers import PostsTestCase
from translation import actions
from translation.models import SchoolTranslation
from translation.testing import LibreTranslatePeer


def peer_settings(peer, **extra):
    return override_settings(
        TRANSLATION_LIBRETRANSLATE_URL=peer.url,
        TRANSLATION_TIMEOUT=extra.pop("timeout", 1.0),
        TRANSLATION_RETRIES=extra.pop("retries", 1),
        **extra,
    )


class TranslatingTestCase(PostsTestCase):
    """The persona world, with De Schakel translating through a peer started for each test."""

    def setUp(self):
        super().setUp()
        self.peer = LibreTranslatePeer().__enter__()
        self.addCleanup(self.peer.__exit__, None, None, None)
        settings = peer_settings(self.peer)
        settings.enable()
        self.addCleanup(settings.disable)
        SchoolTranslation.objects.create(school=self.world.school, engine="libretranslate")

    def ask(self, persona_or_user, kind: str, public_id: str, language: str = "ar"):
        """Ask as a reader, running the task the request enqueues (the test backend runs it at once)."""
        user = getattr(self.world, persona_or_user) if isinstance(persona_or_user, str) else persona_or_user
        with self.captureOnCommitCallbacks(execute=True):
            outcome = actions.check_request_translation(
                viewer=verified(user), kind=kind, public_id=public_id, language=language
            )
        return outcome

    def translated(self, persona, kind, public_id, language="ar"):
        """Ask until ready (the second ask reads what the first one's task stored)."""
        first = self.ask(persona, kind, public_id, language)
        return first if first.state == "ready" else self.ask(persona, kind, public_id, language)
