import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.statement import services_of
from core.audit import AuditEvent
from core.task_testing import OnTheDatabaseQueue
from posts.models import GroupTimelineSettings
from posts.tests.helpers import PostsTestCase
from translation.models import GlossaryTerm, ReadingPreference, SchoolTranslation, Translation
from translation.tests.helpers import TranslatingTestCase, peer_settings

BODY = "<p>Beste ouders, morgen is er <strong>geen school</strong>.</p>"


def url(kind, public_id, tail=""):
    return f"/translate/{kind}/{public_id}/{tail}"


class ControlTest(TranslatingTestCase):
    def setUp(self):
        super().setUp()
        self.the_post = self.post("teacher", title="Beste ouders", body=BODY)
        ReadingPreference.objects.create(user=self.world.parent, language="ar")

    def test_the_post_page_shows_the_control_in_the_readers_language(self):
        page = self.login("parent").get(f"/posts/{self.the_post.public_id}/")
        self.assertContains(page, 'data-testid="translate"')
        self.assertContains(page, f'hx-get="{url("post", self.the_post.public_id)}?to=ar"')
        self.assertContains(page, "<strong>geen school</strong>", html=False)

    def test_without_a_language_the_control_asks_for_one_first(self):
        page = self.login("co_parent").get(f"/posts/{self.the_post.public_id}/")
        self.assertContains(page, 'data-testid="translate-choose"')

    def test_with_the_engine_off_the_control_is_absent(self):
        SchoolTranslation.objects.update(engine="off")
        page = self.login("parent").get(f"/posts/{self.the_post.public_id}/")
        self.assertNotContains(page, "translate-")
        self.assertEqual(self.login("parent").get(url("post", self.the_post.public_id)).status_code, 422)

    def test_the_translation_is_labelled_right_to_left_with_the_original_a_tap_away(self):
        client = self.login("parent")
        with self.captureOnCommitCallbacks(execute=True):
            client.get(url("post", self.the_post.public_id))
        fragment = client.get(url("post", self.the_post.public_id)).content.decode()
        self.assertIn('lang="ar" dir="rtl"', fragment)
        self.assertIn('data-testid="machine-label"', fragment)
        self.assertIn("<strong>لا مدرسة</strong>", fragment)
        self.assertIn(f'hx-get="{url("post", self.the_post.public_id, "original/")}"', fragment)
        original = client.get(url("post", self.the_post.public_id, "original/")).content.decode()
        self.assertIn("<strong>geen school</strong>", original)
        self.assertIn('data-testid="translate"', original)

    def test_always_translate_shows_the_cached_translation_in_the_page_itself(self):
        client = self.login("parent")
        with self.captureOnCommitCallbacks(execute=True):
            client.get(url("post", self.the_post.public_id))
        plain_page = f"/posts/{self.the_post.public_id}/"
        with CaptureQueriesContext(connection) as before:
            client.get(plain_page)
        ReadingPreference.objects.filter(user=self.world.parent).update(always=True)
        with CaptureQueriesContext(connection) as after:
            page = client.get(plain_page)
        self.assertContains(page, "<strong>لا مدرسة</strong>", html=False)
        self.assertNotContains(page, 'data-testid="always"')
        # The reader's preference and the school's engine are asked either way; the cache is one more query.
        self.assertEqual(len(after.captured_queries), len(before.captured_queries) + 1)

    def test_always_translate_without_a_cached_one_fetches_it_after_the_page(self):
        ReadingPreference.objects.filter(user=self.world.parent).update(always=True)
        page = self.login("parent").get(f"/posts/{self.the_post.public_id}/")
        self.assertContains(page, 'hx-trigger="load"')
        self.assertEqual(self.peer.calls, 0)

    def test_the_always_button_saves_the_preference_and_goes_back(self):
        answer = self.login("parent").post(
            "/translate/preferences/", {"language": "ar", "always": "on", "next": "/posts/"}
        )
        self.assertRedirects(answer, "/posts/", fetch_redirect_response=False)
        self.assertTrue(ReadingPreference.objects.get(user=self.world.parent).always)

    def test_comments_and_messages_have_the_control(self):
        from conversations.tests.helpers import class_conversation
        from posts.comment_actions import check_comment

        GroupTimelineSettings.objects.create(group=self.world.group3, comments_enabled=True)
        check_comment(acting_user=self.world.class_parent, post=self.the_post, body="tot morgen")
        page = self.login("parent").get(f"/posts/{self.the_post.public_id}/")
        self.assertContains(page, 'id="tr-comment-')
        conversation = class_conversation(self.world)
        page = self.login("parent").get(f"/messages/{conversation.public_id}/")
        self.assertContains(page, 'id="tr-message-')

    def test_a_teacher_sees_both_texts_of_a_message(self):
        from conversations.tests.helpers import class_conversation

        conversation = class_conversation(self.world, body="شكرا جزيلا")
        message = conversation.messages.get()
        client = self.login("teacher")
        with self.captureOnCommitCallbacks(execute=True):
            client.get(url("message", message.public_id) + "?to=nl")
        fragment = client.get(url("message", message.public_id) + "?to=nl").content.decode()
        self.assertIn("dank je wel", fragment)
        self.assertIn('data-testid="original-beside"', fragment)
        self.assertIn("شكرا جزيلا", fragment)

    def test_outsiders_get_404(self):
        for persona in ("outsider", "other_school_parent", "other_board_parent"):
            with self.subTest(persona):
                client = self.login(persona)
                self.assertEqual(client.get(url("post", self.the_post.public_id) + "?to=ar").status_code, 404)
                self.assertEqual(
                    client.get(url("post", self.the_post.public_id, "original/")).status_code, 404
                )


class SlowEngineTest(OnTheDatabaseQueue, TranslatingTestCase):
    def test_the_page_answers_in_time_and_the_fragment_polls_a_bounded_number_of_times(self):
        self.peer.delay = 3
        post = self.post("teacher", title="Beste ouders", body=BODY)
        ReadingPreference.objects.create(user=self.world.parent, language="ar")
        client = self.login("parent")
        started = time.monotonic()
        first = client.get(url("post", post.public_id))
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertContains(first, 'data-testid="translating"')
        self.assertContains(first, "poll=1")
        self.assertContains(first, "<strong>geen school</strong>", html=False)
        last = client.get(url("post", post.public_id) + "?to=ar&poll=10")
        self.assertContains(last, 'data-testid="translation-unavailable"')
        self.assertNotContains(last, "hx-trigger")
        with peer_settings(self.peer, timeout=0.3, retries=0):
            self.drain()
        self.assertEqual(Translation.objects.get().state, "failed")
        self.assertContains(client.get(url("post", post.public_id)), "translation-unavailable")
        self.peer.delay = 0
        Translation.objects.update(updated_at=Translation.objects.get().updated_at.replace(year=2000))
        client.get(url("post", post.public_id))
        self.drain()
        self.assertContains(client.get(url("post", post.public_id)), "لا مدرسة")


class SchoolPageTest(TranslatingTestCase):
    def test_the_director_chooses_the_engine_and_it_is_audited(self):
        client = self.login("director")
        page = client.get(f"/translate/school/{self.world.school.public_id}/")
        self.assertContains(page, "LibreTranslate")
        self.assertNotContains(page, "DeepL (")
        client.post(f"/translate/school/{self.world.school.public_id}/", {"engine": "off"})
        self.assertEqual(SchoolTranslation.objects.get().engine, "off")
        self.assertTrue(AuditEvent.objects.filter(action="translation.engine").exists())

    def test_turning_translation_off_forgets_the_schools_translations_so_no_email_shows_them(self):
        from translation.queries import cached_texts

        the_post = self.post("teacher", title="Beste ouders", body=BODY)
        ReadingPreference.objects.create(user=self.world.parent, language="ar")
        client = self.login("parent")
        with self.captureOnCommitCallbacks(execute=True):
            client.get(url("post", the_post.public_id))
        self.assertTrue(cached_texts("post", [the_post], "ar", ask_missing=False))
        other = Translation.objects.create(
            school=self.world.other_school, kind="post", object_id="x", source_hash="x", language="ar"
        )
        self.login("director").post(f"/translate/school/{self.world.school.public_id}/", {"engine": "off"})
        # What emails, the digest and the API read: nothing of this school now; other schools keep theirs.
        self.assertEqual(cached_texts("post", [the_post], "ar", ask_missing=False), {})
        self.assertFalse(Translation.objects.filter(school=self.world.school).exists())
        self.assertTrue(Translation.objects.filter(id=other.id).exists())

    def test_an_engine_that_is_not_configured_cannot_be_chosen(self):
        answer = self.login("director").post(
            f"/translate/school/{self.world.school.public_id}/", {"engine": "deepl"}
        )
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(SchoolTranslation.objects.get().engine, "libretranslate")

    def test_the_office_keeps_the_glossary_but_does_not_choose_the_engine(self):
        client = self.login("office")
        school = f"/translate/school/{self.world.school.public_id}/"
        self.assertEqual(client.post(school, {"engine": "off"}).status_code, 403)
        client.post(school, {"term": "studiedag", "language": "ar", "translation": "يوم دراسي للمعلمين"})
        term = GlossaryTerm.objects.get()
        again = client.post(school, {"term": "Studiedag", "language": "ar", "translation": "x"})
        self.assertContains(again, "heeft al een vertaling")
        client.post(f"/translate/glossary/{term.public_id}/delete/")
        self.assertFalse(GlossaryTerm.objects.exists())

    def test_teachers_and_parents_do_not_find_the_page(self):
        for persona in ("teacher", "parent"):
            with self.subTest(persona):
                self.assertEqual(
                    self.login(persona).get(f"/translate/school/{self.world.school.public_id}/").status_code,
                    404,
                )


class ApiTest(TranslatingTestCase):
    def test_a_post_in_arabic_through_the_api(self):
        post = self.post("teacher", title="Beste ouders", body=BODY)
        client = self.login("parent")
        payload = {"kind": "post", "id": post.public_id, "language": "ar"}
        with self.captureOnCommitCallbacks(execute=True):
            first = client.post("/api/v1/translations", payload, content_type="application/json")
        self.assertEqual(first.json()["state"], "pending")
        answer = client.post("/api/v1/translations", payload, content_type="application/json").json()
        self.assertEqual(answer["state"], "ready")
        self.assertEqual(answer["direction"], "rtl")
        self.assertEqual(answer["texts"][0], "أعزائي الآباء")
        self.assertTrue(answer["machine_translated"])
        self.assertEqual(self.peer.calls, 1)

    def test_outsiders_and_bad_input(self):
        post = self.post("teacher", title="Beste ouders", body=BODY)
        payload = {"kind": "post", "id": post.public_id, "language": "ar"}
        answer = self.login("outsider").post("/api/v1/translations", payload, content_type="application/json")
        self.assertEqual(answer.status_code, 404)
        payload["language"] = "<b>"
        answer = self.login("parent").post("/api/v1/translations", payload, content_type="application/json")
        self.assertEqual(answer.status_code, 422)

    def test_the_preference(self):
        client = self.login("parent")
        answer = client.put(
            "/api/v1/translations/preference",
            {"language": "uk", "always": True},
            content_type="application/json",
        )
        self.assertEqual(answer.json(), {"language": "uk", "always": True})
        self.assertEqual(
            client.get("/api/v1/translations/preference").json(), {"language": "uk", "always": True}
        )
        bad = client.put(
            "/api/v1/translations/preference",
            {"language": "??", "always": True},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 422)


class PrivacyPageTest(TranslatingTestCase):
    def test_the_privacy_page_names_the_engine_of_each_of_the_parents_schools(self):
        page = self.login("parent").get("/privacy/")
        self.assertContains(page, 'data-testid="translation-processors"')
        # Named as the school's privacy statement names it (one owner): the engine and where it runs.
        [statement] = [s.where for s in services_of(self.world.school) if s.key == "translation"]
        self.assertIn("127.0.0.1", statement)
        self.assertContains(page, statement)
        SchoolTranslation.objects.update(engine="off")
        self.assertContains(self.login("parent").get("/privacy/"), "er verlaat geen tekst Schoolplein")

    def test_the_settings_are_linked_from_the_account_and_the_administration(self):
        self.assertContains(self.login("parent").get("/accounts/settings/"), 'data-testid="reading-language"')
        admin = self.login("director").get(f"/school/{self.world.school.public_id}/")
        self.assertContains(admin, f"/translate/school/{self.world.school.public_id}/")


class FragmentReturnTest(TranslatingTestCase):
    def test_always_translate_in_a_fragment_comes_back_to_the_page_that_asked(self):
        post = self.post("teacher", title="Beste ouders", body=BODY)
        ReadingPreference.objects.create(user=self.world.parent, language="ar")
        client = self.login("parent")
        with self.captureOnCommitCallbacks(execute=True):
            client.get(url("post", post.public_id) + "?to=ar")
        fragment = client.get(
            url("post", post.public_id) + "?to=ar",
            headers={"HX-Current-URL": f"http://testserver/posts/{post.public_id}/"},
        )
        self.assertContains(fragment, f'name="next" value="/posts/{post.public_id}/"')
        elsewhere = client.get(
            url("post", post.public_id) + "?to=ar", headers={"HX-Current-URL": "https://evil.example/x"}
        )
        self.assertContains(elsewhere, f'name="next" value="{url("post", post.public_id)}?to=ar"')


class NoEngineOnTheServerTest(PostsTestCase):
    def test_the_privacy_page_says_nothing_leaves_without_a_query(self):
        client = self.login("parent")
        client.get("/privacy/")
        with CaptureQueriesContext(connection) as seen:
            page = client.get("/privacy/")
        self.assertContains(page, "Schoolplein gebruikt hier geen machinevertaling")
        self.assertFalse([q for q in seen.captured_queries if "translation_" in q["sql"]])


class FeedTest(TranslatingTestCase):
    def test_the_feed_shows_cached_translations_in_a_fixed_number_of_queries(self):
        ReadingPreference.objects.create(user=self.world.parent, language="ar", always=True)
        client = self.login("parent")

        def feed_with(count):
            for number in range(count):
                post = self.post("teacher", title=f"Beste ouders {number}", body=BODY)
                self.translated("parent", "post", post.public_id)
            client.get("/posts/")
            with CaptureQueriesContext(connection) as seen:
                page = client.get("/posts/").content.decode()
            return page, [q for q in seen.captured_queries if "translation_" in q["sql"]]

        page, ours = feed_with(2)
        self.assertEqual(page.count('data-testid="translated"'), 2)
        self.assertEqual(
            len(ours), 3
        )  # the reader's preference, the school's engine, the cached translations
        page, ours = feed_with(4)
        self.assertEqual(page.count('data-testid="translated"'), 6)
        self.assertEqual(len(ours), 3)
        self.assertIn('dir="rtl"', page)

    def test_the_post_page_reads_the_posts_and_its_comments_translations_in_one_query(self):
        from posts.comment_actions import check_comment

        ReadingPreference.objects.create(user=self.world.parent, language="ar", always=True)
        GroupTimelineSettings.objects.create(group=self.world.group3, comments_enabled=True)
        post = self.post("teacher", title="Beste ouders", body=BODY)
        comments = [
            check_comment(acting_user=self.world.class_parent, post=post, body=text)
            for text in ("tot morgen", "dank je wel")
        ]
        self.translated("parent", "post", post.public_id)
        for comment in comments:
            self.translated("parent", "comment", comment.public_id)
        client = self.login("parent")
        client.get(f"/posts/{post.public_id}/")
        with CaptureQueriesContext(connection) as seen:
            page = client.get(f"/posts/{post.public_id}/").content.decode()
        self.assertEqual(page.count('data-testid="translated"'), 3)
        self.assertIn("إلى الغد", page)
        ours = [q for q in seen.captured_queries if "translation_translation" in q["sql"]]
        self.assertEqual(len(ours), 1)  # the post's and the comments' translations together
