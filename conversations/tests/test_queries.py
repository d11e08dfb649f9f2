from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from conversations.models import Conversation
from conversations.queries import _visible_ids, conversations_visible_to, messages_visible_to
from conversations.tests.helpers import class_conversation, staff_conversation
from core.testing import PersonaTestCase
from core.viewer import verified

PERSONAS = ("teacher", "duo_teacher", "other_teacher", "director", "office", "parent", "co_parent")


def ids(queryset) -> set[int]:
    return set(queryset.values_list("id", flat=True))


class TestConversationsVisibleTo(PersonaTestCase):
    """The owner nests its rule as SQL compiled once for a stand-in (core.compiled): each viewer must get
    what the rule, built for them, answers; with and without two-factor, whoever asked first."""

    def test_it_answers_each_viewer_as_the_rule_built_for_them(self):
        in_class, with_office = class_conversation(self.world), staff_conversation(self.world)
        for persona in PERSONAS + tuple(reversed(PERSONAS)):
            user = getattr(self.world, persona)
            for viewer in (User.objects.get(pk=user.pk), verified(User.objects.get(pk=user.pk))):
                expected = ids(Conversation.objects.filter(id__in=_visible_ids(viewer)))
                self.assertEqual(ids(conversations_visible_to(viewer)), expected, persona)
                shown = set(messages_visible_to(viewer).values_list("conversation_id", flat=True))
                self.assertEqual(shown, expected, persona)
        teacher = User.objects.get(pk=self.world.teacher.pk)
        self.assertEqual(ids(conversations_visible_to(teacher)), set())  # a class's inbox needs two-factor
        self.assertEqual(ids(conversations_visible_to(verified(teacher))), {in_class.pk})
        self.assertEqual(ids(conversations_visible_to(self.world.co_parent)), {with_office.pk})
        self.assertFalse(conversations_visible_to(AnonymousUser()).exists())
