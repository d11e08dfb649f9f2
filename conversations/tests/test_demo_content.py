import datetime

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from conversations.demo_content import days_back_to
from conversations.models import Conversation, Message
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

    def test_no_message_is_dated_after_the_seeding(self):
        self.assertFalse(Message.objects.filter(created_at__gt=timezone.now()).exists())
        self.assertFalse(Conversation.objects.filter(last_message_at__gt=timezone.now()).exists())


class TestDaysBack(SimpleTestCase):
    """A thread seeded for today keeps its times of day; before its last message's time it is yesterday's."""

    def test_it_moves_a_reply_due_at_noon_back_a_day_in_the_morning(self):
        noon = datetime.datetime(2026, 12, 7, 12, 25, tzinfo=datetime.UTC)
        self.assertEqual(
            days_back_to(noon, now=noon - datetime.timedelta(hours=3)), datetime.timedelta(days=1)
        )
        self.assertEqual(
            days_back_to(noon, now=noon + datetime.timedelta(days=2, minutes=1)), datetime.timedelta(0)
        )
        self.assertEqual(
            days_back_to(noon, now=noon - datetime.timedelta(days=2)), datetime.timedelta(days=2)
        )
