import time

from django.core.cache import cache
from django.http import Http404

from core.refusals import Invalid
from core.testing import make_child, make_user
from posts.actions import Draft, check_edit_post
from posts.comment_actions import check_comment
from posts.models import GroupTimelineSettings
from translation import actions
from translation.models import GlossaryTerm, SchoolTranslation, Translation
from translation.tests.helpers import TranslatingTestCase, peer_settings

BODY = "<p>Beste ouders, morgen is er <strong>geen school</strong>.</p><ul><li>Groep 8</li></ul>"


class CachingTest(TranslatingTestCase):
    def test_forty_families_reading_in_arabic_cost_one_engine_call(self):
        post = self.post("director", groups=[self.world.wide], title="Studiedag", body=BODY)
        readers = []
        for number in range(40):
            parent = make_user(f"lezer{number}@example.test", "Ouder", f"{number}")
            make_child(self.world.school, self.world.group4, "Kind", f"{number}", parent)
            readers.append(parent)
        outcomes = [self.translated(reader, "post", post.public_id) for reader in readers]
        self.assertEqual(self.peer.calls, 1)
        self.assertEqual({outcome.state for outcome in outcomes}, {"ready"})
        self.assertEqual(Translation.objects.count(), 1)

    def test_one_request_carries_the_title_and_the_body_and_the_markup_is_kept(self):
        post = self.post("teacher", title="Beste ouders", body=BODY)
        outcome = self.translated("parent", "post", post.public_id)
        self.assertEqual(outcome.texts[0], "أعزائي الآباء")
        self.assertEqual(
            outcome.texts[1],
            "<p>أعزائي الآباء, غدًا يوجد <strong>لا مدرسة</strong>.</p><ul><li>الصف 8</li></ul>",
        )
        self.assertEqual(self.peer.requests[0]["format"], "html")
        self.assertEqual(len(self.peer.requests[0]["q"]), 2)

    def test_an_edited_post_is_translated_again(self):
        post = self.post("teacher", title="Beste ouders", body="<p>morgen</p>")
        self.assertEqual(self.translated("parent", "post", post.public_id).texts[1], "<p>غدًا</p>")
        check_edit_post(
            acting_user=self.user("teacher"),
            post=post,
            draft=Draft(title="Beste ouders", body="<p>geen school</p>"),
        )
        self.assertEqual(self.translated("parent", "post", post.public_id).texts[1], "<p>لا مدرسة</p>")
        self.assertEqual(self.peer.calls, 2)
        self.assertEqual(Translation.objects.count(), 1)  # the old version's translation is gone

    def test_each_language_is_its_own_call(self):
        post = self.post("teacher", title="Beste ouders", body="<p>morgen</p>")
        self.assertEqual(self.translated("parent", "post", post.public_id, "pl").texts[0], "Drodzy rodzice")
        self.assertEqual(self.translated("parent", "post", post.public_id, "tr").texts[0], "Sevgili veliler")
        self.assertEqual(self.peer.calls, 2)


class ProtectedTextTest(TranslatingTestCase):
    def test_pupils_staff_and_school_names_are_kept_and_the_glossary_wins(self):
        roos = make_child(self.world.school, self.world.group3, "Roos", "Groep", self.world.outsider)
        GlossaryTerm.objects.create(
            school=self.world.school, term="groep 8", language="ar", translation="الصف الثامن"
        )
        post = self.post(
            "teacher", title="De Schakel", body="<p>Roos heeft een roos getekend. Anna Jansen, Groep 8.</p>"
        )
        outcome = self.translated("parent", "post", post.public_id)
        self.assertEqual(outcome.texts[0], "De Schakel")
        self.assertEqual(outcome.texts[1], "<p>Roos رسمت وردة اليوم. Anna Jansen, الصف الثامن.</p>")
        sent = self.peer.requests[0]["q"][1]
        self.assertIn('<span translate="no" data-keep="0">الصف الثامن</span>', sent)
        self.assertIn(f'<span translate="no" data-keep="1">{roos.first_name}</span>', sent)

    def test_kept_names_come_back_from_an_engine_that_ignores_translate_no(self):
        self.peer.honour_no = False
        make_child(self.world.school, self.world.group3, "Roos", "Mulder", self.world.outsider)
        post = self.post("teacher", title="x", body="<p>Roos heeft een roos getekend.</p>")
        self.assertEqual(
            self.translated("parent", "post", post.public_id).texts[1], "<p>Roos رسمت وردة اليوم.</p>"
        )

    def test_a_glossary_change_translates_again(self):
        post = self.post("teacher", title="x", body="<p>Groep 8</p>")
        self.assertEqual(self.translated("parent", "post", post.public_id).texts[1], "<p>الصف 8</p>")
        actions.check_add_glossary_term(
            acting_user=self.world.director,
            school=self.world.school,
            term="Groep 8",
            language="ar",
            translation="الثامن",
        )
        self.assertEqual(self.translated("parent", "post", post.public_id).texts[1], "<p>الثامن</p>")

    def test_engine_output_is_cleaned_through_the_posts_allowlist(self):
        self.peer.translate_one = lambda text, target, format: (
            text + '<img src=x onerror="alert(1)"><script>x</script>'
        )
        post = self.post("teacher", title="x", body="<p>hoi</p>")
        outcome = self.translated("parent", "post", post.public_id)
        self.assertEqual(outcome.texts, ["x", "<p>hoi</p>"])


class FailureTest(TranslatingTestCase):
    def test_a_dead_engine_gives_unavailable_and_is_asked_again_later(self):
        self.peer.fail = True
        post = self.post("teacher", title="x", body="<p>morgen</p>")
        self.assertEqual(self.translated("parent", "post", post.public_id).state, "unavailable")
        self.assertEqual(self.peer.calls, 2)  # one retry
        self.peer.fail = False
        Translation.objects.update(
            updated_at=Translation.objects.get().updated_at - actions.RETRY_FAILED_AFTER
        )
        self.assertEqual(self.translated("parent", "post", post.public_id).state, "ready")

    def test_the_breaker_opens_and_then_nobody_waits_for_the_engine(self):
        self.peer.fail = True
        posts = [self.post("teacher", title=f"x{n}", body="<p>morgen</p>") for n in range(3)]
        for post in posts[:2]:
            self.translated("parent", "post", post.public_id)
        self.assertEqual(self.peer.calls, 3)  # the third failure in a row opened it
        started = time.monotonic()
        self.assertEqual(self.ask("parent", "post", posts[2].public_id).state, "unavailable")
        self.assertLess(time.monotonic() - started, 0.2)
        self.assertEqual(self.peer.calls, 3)
        cache.clear()  # the breaker's time is up
        self.peer.fail = False
        self.assertEqual(self.translated("parent", "post", posts[2].public_id).state, "ready")

    def test_a_slow_engine_times_out(self):
        self.peer.delay = 2
        post = self.post("teacher", title="x", body="<p>morgen</p>")
        with peer_settings(self.peer, timeout=0.3, retries=0):
            started = time.monotonic()
            self.assertEqual(self.translated("parent", "post", post.public_id).state, "unavailable")
            self.assertLess(time.monotonic() - started, 1.5)


class AccessTest(TranslatingTestCase):
    def test_you_can_only_translate_what_you_can_see(self):
        post = self.post("teacher", title="x", body="<p>morgen</p>")  # Groep 3
        for persona in ("outsider", "other_school_parent", "other_board_parent"):
            with self.subTest(persona), self.assertRaises(Http404):
                self.ask(persona, "post", post.public_id)
        self.assertEqual(self.peer.calls, 0)

    def test_a_hidden_comment_is_only_for_staff_and_its_author(self):
        GroupTimelineSettings.objects.create(group=self.world.group3, comments_enabled=True)
        post = self.post("teacher", title="x", body="<p>morgen</p>")
        comment = check_comment(acting_user=self.world.class_parent, post=post, body="tot morgen")
        self.assertEqual(self.translated("parent", "comment", comment.public_id).texts, ["إلى الغد"])
        type(comment).objects.filter(id=comment.id).update(hidden_at=post.published_at)
        with self.assertRaises(Http404):
            self.ask("parent", "comment", comment.public_id)
        self.assertEqual(self.ask("class_parent", "comment", comment.public_id).state, "ready")
        self.assertEqual(self.ask("teacher", "comment", comment.public_id).state, "ready")

    def test_a_message_only_for_those_in_the_conversation(self):
        from conversations.tests.helpers import class_conversation

        conversation = class_conversation(self.world, body="شكرا جزيلا")
        message = conversation.messages.get()
        self.assertEqual(
            self.translated("teacher", "message", message.public_id, "nl").texts, ["dank je wel"]
        )
        for persona in ("outsider", "other_teacher", "class_parent"):
            with self.subTest(persona), self.assertRaises(Http404):
                self.ask(persona, "message", message.public_id, "nl")

    def test_an_unknown_kind_is_not_found_and_a_bad_language_is_invalid(self):
        post = self.post("teacher", title="x", body="<p>morgen</p>")
        with self.assertRaises(Http404):
            self.ask("parent", "pupil", post.public_id)
        with self.assertRaises(Invalid):
            self.ask("parent", "post", post.public_id, "<script>")

    def test_with_the_engine_off_nothing_leaves(self):
        SchoolTranslation.objects.filter(school=self.world.school).update(engine="off")
        post = self.post("teacher", title="x", body="<p>morgen</p>")
        with self.assertRaises(Invalid) as refused:
            self.ask("parent", "post", post.public_id)
        self.assertEqual(refused.exception.code, "translation_off")
        self.assertEqual(self.peer.calls, 0)


class SweepTest(TranslatingTestCase):
    def test_a_deleted_posts_translations_go_with_the_next_tick(self):
        kept = self.post("teacher", title="Beste ouders", body="<p>morgen</p>")
        gone = self.post("teacher", title="Beste ouders", body="<p>geen school</p>")
        for post in (kept, gone):
            self.translated("parent", "post", post.public_id)
        gone.delete()
        from translation.periodic import run

        self.assertEqual(run(), {"translations_swept": 1})
        self.assertEqual(list(Translation.objects.values_list("object_id", flat=True)), [kept.public_id])


class DeepLSchoolTest(TranslatingTestCase):
    def test_a_school_on_deepl_translates_through_its_api_with_the_key_from_the_settings(self):
        from django.test import override_settings

        from translation.testing import DeepLPeer

        SchoolTranslation.objects.update(engine="deepl")
        GlossaryTerm.objects.create(
            school=self.world.school, term="Groep 8", language="en", translation="Year 8"
        )
        post = self.post(
            "teacher", title="Beste ouders", body="<p>morgen is er <em>geen school</em> voor groep 8</p>"
        )
        with (
            DeepLPeer() as peer,
            override_settings(TRANSLATION_DEEPL_URL=peer.url, TRANSLATION_DEEPL_API_KEY=peer.api_key),
        ):
            outcome = self.translated("parent", "post", post.public_id, "en")
        self.assertEqual(
            outcome.texts, ["Dear parents", "<p>tomorrow there is <em>no school</em> voor Year 8</p>"]
        )
        self.assertEqual(outcome.engine, "deepl")
        self.assertEqual((peer.calls, self.peer.calls), (1, 0))
        self.assertEqual(peer.requests[0]["tag_handling"], "html")


class LanguageTest(TranslatingTestCase):
    def test_only_a_language_the_engine_offers(self):
        post = self.post("teacher", title="x", body="<p>morgen</p>")
        for language in ("xx", "zz-abc"):
            with self.subTest(language), self.assertRaises(Invalid) as refused:
                self.ask("parent", "post", post.public_id, language)
            self.assertEqual(refused.exception.code, "language")
        with self.assertRaises(Invalid):
            actions.check_set_preference(acting_user=self.world.parent, language="xx", always=True)
        self.assertEqual(self.peer.calls, 0)

    def test_the_offered_languages_come_from_the_engine_through_a_task_and_never_keep_a_page_waiting(self):
        from translation.queries import offered_languages

        self.peer.languages = ["ar", "nl", "so"]
        self.peer.delay = 0.5
        started = time.monotonic()
        with self.settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            first = [code for code, _name in offered_languages()]  # queued, not asked: the stand-in list
        self.assertLess(time.monotonic() - started, 0.3)
        self.assertIn("tr", first)
        cache.delete("translation:languages-asked:libretranslate")
        offered_languages()  # this test backend runs the task at once
        self.assertEqual({code for code, _name in offered_languages()}, {"ar", "nl", "so"})
