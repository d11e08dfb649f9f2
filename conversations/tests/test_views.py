from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations import actions
from conversations.models import Conversation, Message, Participant
from conversations.tests.helpers import class_conversation, staff_conversation
from core.testing import PersonaTestCase
from media.models import MediaFile
from media.tests.helpers import MediaTestCase, jpeg_bytes, pdf_bytes, upload_of


class TestInboxView(PersonaTestCase):
    def test_it_shows_the_class_inbox_to_both_teachers_as_unread(self):
        conversation = class_conversation(self.world)
        for persona in ("teacher", "duo_teacher"):
            response = self.login(persona).get("/messages/")
            self.assertContains(response, conversation.subject)
            self.assertContains(response, 'class="unread"')
            self.assertContains(response, f'href="/messages/{conversation.public_id}/"')

    def test_it_shows_nothing_of_others_to_an_outsider(self):
        class_conversation(self.world)
        for persona in ("other_teacher", "class_parent", "co_parent"):
            self.assertNotContains(self.login(persona).get("/messages/"), "Tandarts")

    def test_it_has_a_constant_query_count(self):
        self.login("teacher")
        class_conversation(self.world)
        self.client.get("/messages/")  # warm the content-type and session caches
        with CaptureQueriesContext(connection) as one:
            self.client.get("/messages/")
        ours = [q for q in one.captured_queries if "conversations_" in q["sql"]]
        self.assertEqual(len(ours), 1)
        for index in range(6):
            class_conversation(self.world, subject=f"Vraag {index}")
        staff_conversation(self.world)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get("/messages/")
        self.assertEqual(len(response.context["conversations"]), 7)

    def test_it_filters_on_the_ids_of_this_school_year(self):
        self.login("teacher")
        class_conversation(self.world)
        self.client.get("/messages/")
        with CaptureQueriesContext(connection) as one:
            self.client.get("/messages/")
        [inbox] = [q["sql"] for q in one.captured_queries if "conversations_" in q["sql"]]
        # The current years are resolved once for the request (a query of their own), then a plain filter:
        # nested in the inbox's query they cost PostgreSQL more than the inbox itself.
        self.assertNotIn('"schools_schoolyear" "U0"', inbox)
        self.assertRegex(inbox, r'"conversations_conversation"."school_year_id" IN \(\d')
        archive = self.client.get("/messages/?archive=1")
        self.assertEqual(archive.status_code, 200)

    def test_it_pages_older_conversations(self):
        for index in range(31):
            class_conversation(self.world, subject=f"Vraag {index}")
        self.login("teacher")
        first = self.client.get("/messages/")
        self.assertEqual(len(first.context["conversations"]), 30)
        self.assertContains(first, "?page=2")
        second = self.client.get("/messages/?page=2")
        self.assertEqual([c.subject for c in second.context["conversations"]], ["Vraag 0"])
        self.assertIsNone(second.context["older_page"])

    def test_it_keeps_earlier_school_years_in_the_archive(self):
        conversation = class_conversation(self.world)
        Conversation.objects.filter(pk=conversation.pk).update(school_year=self.world.last_year)
        self.login("parent")
        self.assertNotContains(self.client.get("/messages/"), "Tandarts")
        self.assertContains(self.client.get("/messages/?archive=1"), "Tandarts")


class TestUnreadView(PersonaTestCase):
    def test_it_counts_conversations_with_news(self):
        class_conversation(self.world)
        self.assertContains(self.login("duo_teacher").get("/messages/unread/"), ">1</span>")
        self.assertEqual(self.login("parent").get("/messages/unread/").content, b"")

    def test_it_is_one_query_after_the_session(self):
        self.login("parent")
        self.client.get("/messages/unread/")
        with self.assertNumQueries(3):  # session, user (with its staff flag), the count
            self.client.get("/messages/unread/")


class TestNewView(PersonaTestCase):
    def test_it_lists_the_parents_children_with_their_class(self):
        response = self.login("parent").get("/messages/new/")
        self.assertContains(response, f"/messages/new/{self.world.child.public_id}/")
        self.assertContains(response, f"/messages/new/{self.world.sibling.public_id}/")

    def test_it_lets_a_teacher_find_pupils_of_the_class(self):
        response = self.login("teacher").get("/messages/new/", {"q": "daan"})
        self.assertContains(response, "Daan Mulder")
        self.assertNotContains(response, "Lars Dekker")


class TestStartView(PersonaTestCase):
    def test_it_says_who_reads_it_and_when_before_the_parent_sends(self):
        response = self.login("parent").get(f"/messages/new/{self.world.child.public_id}/")
        self.assertContains(response, "Anna Jansen werkt maandag t/m vrijdag")
        self.assertContains(
            response, 'Bel de school: <a href="tel:0711234567" rel="noopener nofollow">071 123 45 67</a>'
        )

    def test_it_starts_a_conversation_with_the_class(self):
        response = self.login("parent").post(
            f"/messages/new/{self.world.child.public_id}/",
            {"subject": "Gym", "body": "Daan mag niet gymmen."},
        )
        conversation = Conversation.objects.get()
        self.assertRedirects(response, f"/messages/{conversation.public_id}/")
        self.assertEqual(conversation.group, self.world.group3)

    def test_it_refuses_an_empty_message_with_a_clear_message(self):
        response = self.login("parent").post(
            f"/messages/new/{self.world.child.public_id}/", {"subject": "Gym"}
        )
        self.assertContains(response, "Schrijf eerst een bericht.", status_code=400)
        self.assertFalse(Conversation.objects.exists())

    def test_it_is_404_for_a_child_that_is_not_the_parents(self):
        self.login("class_parent")
        response = self.client.post(
            f"/messages/new/{self.world.child.public_id}/", {"subject": "Gym", "body": "Hallo"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Conversation.objects.exists())

    def test_it_lets_staff_address_one_parent(self):
        self.login("teacher")
        response = self.client.get(f"/messages/new/{self.world.child.public_id}/")
        self.assertContains(response, "Joost Mulder")
        self.client.post(
            f"/messages/new/{self.world.child.public_id}/",
            {"guardians": [self.world.co_parent.public_id], "subject": "Rapport", "body": "Kunt u bellen?"},
        )
        members = Participant.objects.filter(is_member=True).values_list("user_id", flat=True)
        self.assertEqual(set(members), {self.world.teacher.id, self.world.co_parent.id})

    def test_it_is_404_for_a_guardian_of_another_pupil(self):
        self.login("teacher")
        response = self.client.post(
            f"/messages/new/{self.world.child.public_id}/",
            {
                "guardians": [self.world.class_parent.public_id],
                "subject": "Rapport",
                "body": "Kunt u bellen?",
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Conversation.objects.exists())


class TestThreadView(PersonaTestCase):
    def setUp(self):
        super().setUp()
        self.conversation = class_conversation(self.world)
        self.url = f"/messages/{self.conversation.public_id}/"

    def test_it_shows_the_thread_to_both_teachers_and_marks_it_read(self):
        for persona in ("teacher", "duo_teacher"):
            self.assertContains(self.login(persona).get(self.url), "tandarts")
        self.assertContains(self.login("parent").get(self.url), "Gezien door Anna Jansen, Bram Smit")

    def test_it_links_addresses_in_a_message(self):
        Message.objects.update(body="Zie https://tandarts.nl/afspraak <img src=x onerror=alert(1)>")
        page = self.login("teacher").get(self.url)
        self.assertContains(
            page, '<a href="https://tandarts.nl/afspraak" rel="noopener nofollow"', html=False
        )
        self.assertContains(page, "&lt;img src=x onerror=alert(1)&gt;", html=False)

    def test_it_is_404_for_someone_elses_thread(self):
        for persona in ("other_teacher", "co_parent", "class_parent", "director"):
            self.assertEqual(self.login(persona).get(self.url).status_code, 404)

    def test_it_returns_only_the_messages_to_htmx_polling(self):
        response = self.login("parent").get(self.url, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="thread-messages"')
        self.assertContains(response, 'hx-trigger="every 5s"')
        self.assertNotContains(response, "<html")

    def test_it_polls_without_writing_when_nothing_is_new(self):
        self.login("parent")
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as polled:
            self.client.get(self.url, headers={"HX-Request": "true"})
        ours = [q["sql"] for q in polled.captured_queries if "conversations_" in q["sql"]]
        # the conversation, its messages, its participants, and the messages' files (whose carrier check
        # names the messages)
        self.assertEqual(len(ours), 4)
        self.assertFalse([sql for sql in ours if sql.startswith(("UPDATE", "INSERT"))])

    def test_it_shows_hidden_messages_to_staff_only(self):
        Message.objects.update(hidden_at="2026-01-01T00:00Z")
        self.assertNotContains(self.login("parent").get(self.url), "tandarts")
        self.assertContains(self.login("teacher").get(self.url), "tandarts")


class TestSendView(PersonaTestCase):
    def setUp(self):
        super().setUp()
        self.conversation = class_conversation(self.world)
        self.url = f"/messages/{self.conversation.public_id}/send/"

    def test_it_adds_the_reply(self):
        response = self.login("teacher").post(self.url, {"body": "Dank u, fijn dat u het laat weten."})
        self.assertRedirects(response, f"/messages/{self.conversation.public_id}/")
        self.assertEqual(self.conversation.messages.last().author, self.world.teacher)

    def test_it_costs_the_same_queries_for_more_readers(self):
        self.login("teacher").post(self.url, {"body": "Eerste antwoord."})  # the teacher's read state exists
        with CaptureQueriesContext(connection) as one:
            self.client.post(self.url, {"body": "Dank u."})
        # Session, user, two-factor device; the thread; its year (archived?); savepoint, message, screening
        # words, thread, read state; mutes, the readers (with whether they work at the school: one query,
        # where it took two), the staff's working hours, their quiet-mode rows; release.
        self.assertEqual(len(one.captured_queries), 15)
        Participant.objects.create(conversation=self.conversation, user=self.world.co_parent)
        actions.check_add_director(acting_user=self.world.teacher, conversation=self.conversation)
        with self.assertNumQueries(15):
            self.client.post(self.url, {"body": "Dank u."})

    def test_it_refuses_an_oversized_message_and_keeps_the_text(self):
        response = self.login("parent").post(self.url, {"body": "x" * 5001})
        self.assertContains(response, "maximaal 5000 tekens", status_code=400)
        self.assertEqual(self.conversation.messages.count(), 1)

    def test_it_refuses_a_closed_conversation(self):
        actions.do_close(acting_user=self.world.teacher, conversation=self.conversation)
        response = self.login("parent").post(self.url, {"body": "Nog één ding"})
        self.assertContains(response, "gesloten", status_code=400)

    def test_it_is_404_for_an_outsider(self):
        self.assertEqual(self.login("other_teacher").post(self.url, {"body": "Hallo"}).status_code, 404)


class TestSendViewWithPhotos(MediaTestCase):
    def test_it_carries_a_photo_that_only_the_participants_see(self):
        conversation = class_conversation(self.world)
        self.login("parent")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/messages/{conversation.public_id}/send/",
                {"body": "", "files": [upload_of("briefje.jpg", jpeg_bytes(), "image/jpeg")]},
            )
        media = MediaFile.objects.get()
        self.assertEqual(media.carrier, conversation.messages.last())
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertContains(self.login("duo_teacher").get(f"/messages/{conversation.public_id}/"), "/media/")
        renditions = media.renditions.values_list("name", flat=True)
        url = f"/media/{media.public_id}/{media.version}/{renditions[0]}"
        self.assertEqual(self.login("duo_teacher").get(url).status_code, 200)
        self.assertEqual(self.login("other_teacher").get(url).status_code, 404)

    def test_a_message_shows_its_photos_as_a_grid_with_the_viewer_and_documents_as_chips(self):
        conversation = class_conversation(self.world)
        self.login("parent")
        files = [
            upload_of("briefje.jpg", jpeg_bytes(), "image/jpeg"),
            upload_of("tekening.jpg", jpeg_bytes(), "image/jpeg"),
            upload_of("verklaring.pdf", pdf_bytes(), "application/pdf"),
        ]
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/messages/{conversation.public_id}/send/", {"body": "Zie bijlage", "files": files}
            )
        page = self.login("teacher").get(f"/messages/{conversation.public_id}/")
        self.assertContains(page, 'class="photo-grid" data-count="2" data-viewer')
        self.assertContains(page, "data-viewer-item", count=2)
        self.assertContains(page, "data-viewer-dialog", count=1)  # once, outside the polled part
        self.assertContains(page, 'data-testid="document"', count=1)
        self.assertContains(page, '<span class="doc-name">verklaring.pdf</span>', html=True)
        self.assertNotContains(page, "📄")  # the old document link is gone
        # The polled part (every 5 s) brings the same grid, without a second viewer.
        polled = self.client.get(f"/messages/{conversation.public_id}/", headers={"HX-Request": "true"})
        self.assertContains(polled, "data-viewer-item", count=2)
        self.assertNotContains(polled, "data-viewer-dialog")

    def test_a_withheld_photo_leaves_the_message_page_and_the_api_at_once(self):
        conversation = class_conversation(self.world)
        self.login("parent")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/messages/{conversation.public_id}/send/",
                {"body": "", "files": [upload_of("briefje.jpg", jpeg_bytes(), "image/jpeg")]},
            )
        media = MediaFile.objects.get()
        page, api = f"/messages/{conversation.public_id}/", f"/api/v1/conversations/{conversation.public_id}"
        self.assertContains(self.login("duo_teacher").get(page), media.public_id)
        MediaFile.objects.filter(id=media.id).update(withheld_at=timezone.now())  # consent withdrawn
        for persona in ["duo_teacher", "teacher"]:
            with self.subTest(persona=persona):
                self.assertNotContains(self.login(persona).get(page), media.public_id)
                self.assertNotIn(media.public_id, self.login(persona).get(api).content.decode())
        self.assertContains(self.login("parent").get(page), media.public_id)  # the uploader still sees it


class TestCloseView(PersonaTestCase):
    def test_it_lets_a_teacher_close_but_not_the_parent(self):
        conversation = class_conversation(self.world)
        self.assertEqual(
            self.login("parent").post(f"/messages/{conversation.public_id}/close/").status_code, 404
        )
        self.login("duo_teacher").post(f"/messages/{conversation.public_id}/close/")
        conversation.refresh_from_db()
        self.assertTrue(conversation.is_closed)
        self.assertContains(self.login("parent").get(f"/messages/{conversation.public_id}/"), "gesloten")


class TestAddDirectorView(PersonaTestCase):
    def test_it_lets_the_parent_add_the_director(self):
        conversation = class_conversation(self.world)
        self.assertEqual(self.login("director").get(f"/messages/{conversation.public_id}/").status_code, 404)
        self.login("parent").post(f"/messages/{conversation.public_id}/director/")
        self.assertEqual(self.login("director").get(f"/messages/{conversation.public_id}/").status_code, 200)

    def test_it_is_404_for_an_outsider(self):
        conversation = staff_conversation(self.world)
        self.assertEqual(
            self.login("parent").post(f"/messages/{conversation.public_id}/director/").status_code, 404
        )


class TestAvailabilityView(PersonaTestCase):
    def test_it_saves_working_days_and_hours(self):
        url = f"/messages/availability/{self.world.school.public_id}/"
        self.login("teacher").post(url, {"days": ["1", "2", "3"], "starts_at": "08:00", "ends_at": "15:00"})
        response = self.login("parent").get(f"/messages/new/{self.world.child.public_id}/")
        self.assertContains(response, "Anna Jansen werkt maandag t/m woensdag, 08:00–15:00.")

    def test_it_refuses_no_working_days(self):
        url = f"/messages/availability/{self.world.school.public_id}/"
        response = self.login("teacher").post(url, {"starts_at": "08:00", "ends_at": "15:00"})
        self.assertContains(response, "Kies minstens één werkdag.", status_code=400)

    def test_it_is_404_for_a_parent(self):
        url = f"/messages/availability/{self.world.school.public_id}/"
        self.assertEqual(self.login("parent").get(url).status_code, 404)


class TestSchoolSettingsView(PersonaTestCase):
    def test_it_sets_the_promise_parents_read(self):
        url = f"/messages/school/{self.world.school.public_id}/"
        self.login("director").post(url, {"reply_days": "3", "phone": "071 402 11 22"})
        response = self.login("parent").get(f"/messages/new/{self.world.child.public_id}/")
        self.assertContains(response, "Verwacht binnen 3 werkdagen een antwoord.")
        self.assertContains(
            response, 'Bel de school: <a href="tel:0714021122" rel="noopener nofollow">071 402 11 22</a>'
        )

    def test_it_is_404_for_a_teacher(self):
        url = f"/messages/school/{self.world.school.public_id}/"
        self.assertEqual(self.login("teacher").get(url).status_code, 404)
