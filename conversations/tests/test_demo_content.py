from django.test import TestCase

from conversations.models import Conversation
from conversations.queries import inbox, unread_count
from core.clock import school_today
from core.viewer import verified
from demo.personas import access_persona
from demo.seed import seed_demo


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=school_today())

    def test_it_gives_every_persona_conversations(self):
        for persona in ("parent", "classparent", "teacher", "director", "office"):
            user = verified(access_persona(persona))
            self.assertTrue(list(inbox(user)), persona)

    def test_it_gives_the_parent_an_unread_reply_and_an_archived_thread(self):
        parent = access_persona("parent")
        self.assertGreaterEqual(unread_count(parent), 1)
        self.assertEqual([c.subject for c in inbox(parent, archive=True)], ["Afscheid juf"])

    def test_it_gives_the_teacher_a_class_inbox_with_news_and_a_closed_thread(self):
        teacher = verified(access_persona("teacher"))
        conversations = list(inbox(teacher))
        self.assertGreaterEqual(len(conversations), 4)
        self.assertTrue(any(c.unread for c in conversations))
        self.assertTrue(any(c.is_closed for c in conversations))
        self.assertTrue(Conversation.objects.filter(group__isnull=True, started_by=teacher).exists())

    def test_it_adds_the_director_to_a_worried_parents_thread(self):
        director = verified(access_persona("director"))
        self.assertIn("Vervelende situatie op het plein", [c.subject for c in inbox(director)])
