"""Notifications in the reader's language: the in-app list, the email per item and the digest, for a parent
who chose "always translate". Always from the cache (a page or an email never waits on the engine); the
engine is asked ahead when the notice is planned, and what is not there in time goes as written."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import events
from notifications import actions as notification_actions
from notifications import digest
from notifications.actions import receive_event
from notifications.models import Dispatch
from posts.tests.helpers import PostsTestCase
from translation import breaker
from translation.models import ReadingPreference, SchoolTranslation, Translation
from translation.subscribers import on_event
from translation.tests.helpers import TranslatingTestCase

BODY = "<p>Beste ouders, morgen is er <strong>geen school</strong>.</p>"
FRIDAY_1601 = timezone.make_aware(datetime.datetime(2030, 1, 11, 16, 1))


class NoticeTestCase(TranslatingTestCase):
    """Posts published for real, with notifications listening and a real SMTP server in this process."""

    @pytest.fixture(autouse=True)
    def _smtp(self, smtp_server):
        self.inbox = smtp_server

    def setUp(self):
        super().setUp()
        self.listen(receive_event)  # PostsTestCase leaves only the posts' own subscribers
        ReadingPreference.objects.create(user=self.world.parent, language="ar", always=True)

    def listen(self, subscriber) -> None:
        """Subscribe for this test only (PostsTestCase puts the saved subscribers back after it)."""
        events.subscribe(subscriber)
        self.addCleanup(events._subscribers.remove, subscriber)

    def publish(self, **fields):
        post = self.post("teacher", title="Beste ouders", body=BODY, **fields)
        return post, Dispatch.objects.get(subject_id=post.public_id, kind="post.published")

    def want_email(self, user):
        notification_actions.do_set_preference(
            acting_user=user, kind="post.published", group=None, push=False, email=True, digest=False
        )


def translate_url(dispatch) -> str:
    return f"/translate/notice/{dispatch.public_id}/"


class InAppListTest(NoticeTestCase):
    """Each line carries the control posts have: the title as written in the line, its translation under it
    (for "always" readers at once, for others a tap away), labelled, with the original one tap back."""

    def test_an_always_reader_sees_the_translation_labelled_with_the_original_a_tap_away(self):
        _post, dispatch = self.publish()
        # Planned ahead: the notice and the post, one request each, for the one language asked.
        self.assertEqual(self.peer.calls, 2)
        sent_title = self.peer.requests[0]["q"][0]
        self.assertIn('translate="no"', sent_title)  # "Groep 3", a value put into the title, is kept
        client = self.login("parent")
        page = client.get("/notifications/")
        self.assertContains(page, 'data-testid="translated"', count=1)
        self.assertContains(page, "<strong>Groep 3: أعزائي الآباء</strong>", html=False)
        self.assertContains(page, 'data-testid="machine-label"')
        self.assertContains(page, "Groep 3: Beste ouders")  # the original stays in the line itself
        original_url = f"{translate_url(dispatch)}original/"
        self.assertContains(page, f'hx-get="{original_url}"')
        headline = 'lang="ar" dir="rtl" data-testid="headline-translated">أعزائي الآباء'
        self.assertContains(page, headline, html=False)
        self.assertEqual(self.peer.calls, 2)  # the page asked the engine nothing
        original = client.get(original_url)  # "Show original": the line as written, with the control
        self.assertNotContains(original, 'data-testid="translated"')
        self.assertContains(original, f'hx-get="{translate_url(dispatch)}?to=ar"')

    def test_a_reader_without_always_gets_the_control_and_the_translation_through_it(self):
        ReadingPreference.objects.filter(user=self.world.parent).update(always=False)
        _post, dispatch = self.publish()
        self.assertEqual(self.peer.calls, 0)
        client = self.login("parent")
        page = client.get("/notifications/")
        self.assertContains(page, "Groep 3: Beste ouders")
        self.assertNotContains(page, 'data-testid="translated"')
        control = f'data-testid="translate" hx-get="{translate_url(dispatch)}?to=ar"'
        self.assertContains(page, control, html=False)
        with self.captureOnCommitCallbacks(execute=True):  # the tap; the task runs at once here
            client.get(f"{translate_url(dispatch)}?to=ar")
        fragment = client.get(f"{translate_url(dispatch)}?to=ar")  # htmx asks again until it is there
        self.assertContains(fragment, "<strong>Groep 3: أعزائي الآباء</strong>", html=False)
        self.assertContains(fragment, 'data-testid="machine-label"')
        self.assertContains(fragment, 'data-testid="show-original"')
        self.assertContains(fragment, 'data-testid="always"')
        self.assertEqual(self.peer.calls, 1)  # the notice's title (and text), nothing else

    def test_a_parent_without_a_language_is_asked_to_choose_one(self):
        self.publish()
        page = self.login("co_parent").get("/notifications/")
        self.assertContains(page, 'data-testid="translate-choose"')

    def test_with_the_engine_off_the_list_has_no_control(self):
        SchoolTranslation.objects.update(engine="off")
        ReadingPreference.objects.filter(user=self.world.parent).update(always=False)
        _post, dispatch = self.publish()
        page = self.login("parent").get("/notifications/")
        self.assertContains(page, "Groep 3: Beste ouders")
        self.assertNotContains(page, 'data-testid="translatable"')
        self.assertNotContains(page, "/translate/notice/")
        answer = self.login("parent").get(f"{translate_url(dispatch)}?to=ar")
        self.assertEqual(answer.status_code, 422)

    def test_a_missing_translation_is_fetched_after_the_page_and_shows_as_written_meanwhile(self):
        ReadingPreference.objects.filter(user=self.world.parent).update(always=False)
        _post, dispatch = self.publish()
        ReadingPreference.objects.filter(user=self.world.parent).update(always=True)
        client = self.login("parent")
        with self.captureOnCommitCallbacks(execute=False) as asked:
            page = client.get("/notifications/")
        self.assertContains(page, "Groep 3: Beste ouders")
        self.assertNotContains(page, 'data-testid="translated"')
        self.assertNotContains(page, "notice-machine")
        self.assertEqual(self.peer.calls, 0)  # the page did not wait on the engine
        self.assertEqual(len(asked), 1)  # the posts' headlines, asked in the background
        self.assertContains(page, f'hx-get="{translate_url(dispatch)}?to=ar" hx-trigger="load"', html=False)
        with self.captureOnCommitCallbacks(execute=True):
            client.get(f"{translate_url(dispatch)}?to=ar")  # what the line asks for once it is shown
            for callback in asked:
                callback()
        self.assertEqual(self.peer.calls, 2)
        page = client.get("/notifications/")
        self.assertContains(page, "<strong>Groep 3: أعزائي الآباء</strong>", html=False)

    def test_a_page_of_notifications_costs_a_fixed_number_of_queries(self):
        ReadingPreference.objects.create(user=self.world.co_parent, language="ar")  # the control, no always

        def queries_with(persona, count):
            client = self.login(persona)
            for _number in range(count):
                self.publish()
            client.get("/notifications/")
            with CaptureQueriesContext(connection) as seen:
                page = client.get("/notifications/").content.decode()
            shown = page.count('data-testid="translated"') + page.count('data-testid="translate"')
            return shown, len(seen.captured_queries)

        for persona in ("parent", "co_parent"):
            with self.subTest(persona):
                Dispatch.objects.all().delete()
                shown, one = queries_with(persona, 1)
                self.assertEqual(shown, 1)
                shown, three = queries_with(persona, 2)
                self.assertEqual(shown, 3)
                self.assertEqual(one, three)

    def test_the_notices_and_their_posts_translations_are_read_in_one_query(self):
        self.publish()
        self.publish()

        def queries(persona):
            client = self.login(persona)
            client.get("/notifications/")
            with CaptureQueriesContext(connection) as seen:
                page = client.get("/notifications/").content.decode()
            return seen.captured_queries, page

        translated, page = queries("parent")
        self.assertEqual(page.count('data-testid="headline-translated"'), 2)
        self.assertEqual(page.count('data-testid="translated"'), 2)
        self.assertEqual(len([q for q in translated if "translation_translation" in q["sql"]]), 1)
        plain, _page = queries("co_parent")  # reads Dutch: no lookup of translations at all
        self.assertEqual(len(translated), len(plain) + 1)

    def test_only_the_recipients_of_a_notice_may_translate_it(self):
        _post, dispatch = self.publish()
        payload = {"kind": "notice", "id": dispatch.public_id, "language": "ar"}
        answer = self.login("outsider").post("/api/v1/translations", payload, content_type="application/json")
        self.assertEqual(answer.status_code, 404)
        answer = self.login("parent").post("/api/v1/translations", payload, content_type="application/json")
        self.assertEqual(answer.json()["texts"][0], "Groep 3: أعزائي الآباء")


class EmailTest(NoticeTestCase):
    def test_the_email_carries_the_translation_with_the_original_below(self):
        self.want_email(self.world.parent)
        self.want_email(self.world.co_parent)
        self.publish()
        mails = {message["To"]: message for message in self.inbox.messages}
        translated = mails["ouder@example.test"]
        self.assertEqual(translated["Subject"], "Groep 3: أعزائي الآباء")
        html = translated.get_body(("html",)).get_content()
        text = translated.get_body(("plain",)).get_content()
        self.assertIn('lang="ar" dir="rtl"', html)
        self.assertIn("أعزائي الآباء, غدًا يوجد لا مدرسة.", text)
        self.assertIn("Machinevertaling naar", text)
        self.assertIn("Beste ouders, morgen is er geen school.", text)  # the original, below
        plain = mails["ouder2@example.test"]
        self.assertEqual(plain["Subject"], "Groep 3: Beste ouders")
        self.assertNotIn("Machinevertaling", plain.get_body(("plain",)).get_content())

    def test_with_the_engine_down_the_email_goes_in_dutch_at_once(self):
        self.want_email(self.world.parent)
        self.peer.fail = True
        self.publish()
        [message] = self.inbox.messages
        self.assertEqual(message["Subject"], "Groep 3: Beste ouders")
        self.assertNotIn("Machinevertaling", message.get_body(("plain",)).get_content())

    def test_a_message_between_people_never_sends_its_body_to_the_email_nor_its_translation(self):
        from conversations.tests.helpers import staff_conversation

        self.listen(on_event)
        ReadingPreference.objects.create(user=self.world.co_parent, language="ar", always=True)
        notification_actions.do_set_preference(
            acting_user=self.world.co_parent,
            kind="message.created",
            group=None,
            push=False,
            email=True,
            digest=False,
        )
        with self.captureOnCommitCallbacks(execute=True):
            staff_conversation(self.world, body="Beste ouders, morgen is er geen school")
        [message] = self.inbox.messages
        content = message.get_body(("plain",)).get_content()
        self.assertNotIn("geen school", content)
        self.assertNotIn("لا مدرسة", content)
        notice = Translation.objects.get(kind="notice")
        self.assertEqual(len(notice.texts), 1)  # the title only: a message's body is no part of it
        self.assertIn(notice.texts[0], message["Subject"])


class DigestTest(NoticeTestCase):
    def test_the_weekly_digest_is_translated_from_the_cache_and_falls_back_to_dutch(self):
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601 - datetime.timedelta(days=1)):
            self.publish()
            self.addCleanup(breaker.record_success, "libretranslate")
            for _attempt in range(3):
                breaker.record_failure("libretranslate")  # the engine is down for the second post
            self.post("teacher", title="Morgen", body="<p>Morgen</p>")
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY_1601):
            self.assertGreaterEqual(digest.do_run_due_digests(), 2)
        mails = {message["To"]: message for message in self.inbox.messages}
        text = mails["ouder@example.test"].get_body(("plain",)).get_content()
        self.assertIn("* Groep 3: أعزائي الآباء", text)
        self.assertIn("Origineel: Groep 3: Beste ouders", text)
        self.assertEqual(text.count("Machinevertaling"), 1)  # the second item goes as written
        # The translation is a block of its own direction, so Arabic aligns right in the Dutch email.
        html = mails["ouder@example.test"].get_body(("html",)).get_content()
        self.assertIn('<div lang="ar" dir="rtl" style="text-align:right">', html)
        self.assertNotIn("Machinevertaling", mails["ouder2@example.test"].get_body(("plain",)).get_content())

    def test_the_preview_shows_what_the_digest_will_hold(self):
        self.publish()
        page = self.login("parent").get("/notifications/digest/")
        self.assertContains(page, "Groep 3: أعزائي الآباء")
        self.assertContains(page, 'class="digest-title" lang="ar" dir="rtl"')
        self.assertContains(page, "Origineel:")


class ApiListTest(NoticeTestCase):
    def test_the_api_list_carries_the_cached_translation_of_each_title(self):
        self.publish()
        mine = self.login("parent").get("/api/v1/notifications/").json()["items"]
        self.assertEqual(
            (mine[0]["translated_title"], mine[0]["translated_language"]), ("Groep 3: أعزائي الآباء", "ar")
        )
        theirs = self.login("co_parent").get("/api/v1/notifications/").json()["items"]
        self.assertEqual(theirs[0]["title"], "Groep 3: Beste ouders")
        self.assertEqual(theirs[0]["translated_title"], "")


class ErasureTest(NoticeTestCase):
    def test_an_erased_parents_name_does_not_outlive_in_a_translated_notice(self):
        from conversations.tests.helpers import class_conversation
        from privacy.erasure import do_erase_account

        ReadingPreference.objects.create(user=self.world.teacher, language="ar", always=True)
        with self.captureOnCommitCallbacks(execute=True):
            class_conversation(self.world)  # the parent writes; the teacher's notice names them
        notice = Translation.objects.get(kind="notice")
        self.assertIn(self.world.parent.first_name, notice.texts[0])
        do_erase_account(acting_user=self.world.director, user_id=self.world.parent.id, reason="test")
        self.assertFalse(Translation.objects.filter(kind="notice").exists())


class NoEngineOnTheServerTest(PostsTestCase):
    def test_the_list_has_no_control_and_asks_nothing_about_translation(self):
        events.subscribe(receive_event)
        self.addCleanup(events._subscribers.remove, receive_event)
        ReadingPreference.objects.create(user=self.world.parent, language="ar", always=True)
        self.post("teacher", title="Beste ouders", body=BODY)
        client = self.login("parent")
        client.get("/notifications/")
        with CaptureQueriesContext(connection) as seen:
            page = client.get("/notifications/")
        self.assertContains(page, "Groep 3: Beste ouders")
        self.assertNotContains(page, 'data-testid="translatable"')
        self.assertFalse([q for q in seen.captured_queries if "translation_" in q["sql"]])
