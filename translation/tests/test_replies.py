from conversations.actions import check_send_message
from conversations.tests.helpers import class_conversation
from core import events
from translation.models import ReadingPreference, Translation
from translation.subscribers import on_event
from translation.tests.helpers import TranslatingTestCase


class RepliesTest(TranslatingTestCase):
    """A parent writes in Arabic; the teacher reads it in Dutch beside the original; the answer goes back."""

    def setUp(self):
        super().setUp()
        events.subscribe(on_event)
        ReadingPreference.objects.create(user=self.world.parent, language="ar", always=True)

    def test_the_parents_message_is_translated_for_the_teacher_who_sees_both_texts(self):
        with self.captureOnCommitCallbacks(execute=True):
            conversation = class_conversation(self.world, body="شكرا جزيلا")
        self.assertEqual(Translation.objects.get().language, "nl")
        page = self.login("teacher").get(f"/messages/{conversation.public_id}/").content.decode()
        self.assertIn("dank je wel", page)
        self.assertIn('data-testid="original-beside"', page)
        self.assertIn("شكرا جزيلا", page)
        self.assertEqual(self.peer.calls, 1)

    def test_the_teachers_answer_is_translated_back(self):
        with self.captureOnCommitCallbacks(execute=True):
            conversation = class_conversation(self.world, body="شكرا جزيلا")
        with self.captureOnCommitCallbacks(execute=True):
            check_send_message(acting_user=self.user("teacher"), conversation=conversation, body="tot morgen")
        answer = Translation.objects.get(language="ar")
        self.assertEqual(answer.texts, ["إلى الغد"])
        page = self.login("parent").get(f"/messages/{conversation.public_id}/").content.decode()
        self.assertIn('lang="ar" dir="rtl"', page)
        self.assertIn("إلى الغد", page)

    def test_the_parent_reads_her_own_message_as_written_without_an_engine_call(self):
        with self.captureOnCommitCallbacks(execute=True):
            conversation = class_conversation(self.world, body="شكرا جزيلا")
        calls = self.peer.calls
        with self.captureOnCommitCallbacks(execute=True):
            page = self.login("parent").get(f"/messages/{conversation.public_id}/").content.decode()
        self.assertIn("شكرا جزيلا", page)
        self.assertNotIn('data-testid="translated"', page)
        self.assertNotIn('hx-trigger="load"', page)  # nothing fetched after the page either
        self.assertEqual(self.peer.calls, calls)

    def test_nothing_is_sent_when_nobody_asked(self):
        ReadingPreference.objects.filter(user=self.world.parent).update(always=False)
        with self.captureOnCommitCallbacks(execute=True):
            conversation = class_conversation(self.world, body="tot morgen")
        self.assertEqual(self.peer.calls, 0)
        page = self.login("teacher").get(f"/messages/{conversation.public_id}/")
        self.assertContains(page, 'data-testid="translate"')  # the teacher can still ask, into Dutch
        self.assertContains(page, "?to=nl")

    def test_the_thread_reads_translations_in_one_query_however_many_messages(self):
        with self.captureOnCommitCallbacks(execute=True):
            conversation = class_conversation(self.world, body="شكرا جزيلا")
        client = self.login("teacher")
        client.get(f"/messages/{conversation.public_id}/")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            client.get(f"/messages/{conversation.public_id}/")
        for _ in range(5):
            with self.captureOnCommitCallbacks(execute=True):
                check_send_message(
                    acting_user=self.world.parent, conversation=conversation, body="شكرا جزيلا"
                )
        with CaptureQueriesContext(connection) as six:
            page = client.get(f"/messages/{conversation.public_id}/").content.decode()
        self.assertEqual(page.count('data-testid="original-beside"'), 6)
        ours = [q for q in six.captured_queries if "translation_" in q["sql"]]
        self.assertEqual(len(ours), len([q for q in one.captured_queries if "translation_" in q["sql"]]))
        self.assertEqual(
            len(ours), 3
        )  # the reader's preference, the school's engine, the cached translations
