import json

from django.utils import translation

from conversations.models import Conversation, Participant
from conversations.tests.helpers import class_conversation
from core.testing import PersonaTestCase
from media.actions import check_upload
from media.models import MediaFile
from media.tests.helpers import MediaTestCase, jpeg_bytes, upload_of

API = "/api/v1/conversations/"


class ApiTestCase(PersonaTestCase):
    def post(self, path, data=None, persona="parent"):
        return self.login(persona).post(path, json.dumps(data or {}), content_type="application/json")


class TestStartApi(ApiTestCase):
    def test_it_lets_a_parent_write_to_the_class(self):
        response = self.post(
            API, {"pupil_id": self.world.child.public_id, "subject": "Gym", "body": "Geen gym."}
        )
        self.assertEqual(response.status_code, 201, response.content)
        thread = response.json()
        self.assertEqual(thread["group"], "Groep 3")
        self.assertEqual({r["name"] for r in thread["readers"]}, {"Sanne Mulder", "Anna Jansen", "Bram Smit"})

    def test_it_is_404_for_a_child_that_is_not_the_parents(self):
        response = self.post(
            API,
            {"pupil_id": self.world.child.public_id, "subject": "Gym", "body": "Hallo"},
            persona="class_parent",
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Niet gevonden.", "code": "not_found"})

    def test_it_refuses_empty_and_oversized_messages_in_json(self):
        pupil = self.world.child.public_id
        empty = self.post(API, {"pupil_id": pupil, "subject": "Gym", "body": "  "})
        self.assertEqual(empty.status_code, 422)
        self.assertEqual(empty.json()["detail"], "Schrijf eerst een bericht.")
        oversized = self.post(API, {"pupil_id": pupil, "subject": "Gym", "body": "x" * 5001})
        self.assertEqual(oversized.status_code, 422)
        self.assertIn("5000", oversized.json()["detail"])
        self.assertFalse(Conversation.objects.exists())

    def test_it_lets_staff_write_to_all_guardians_by_default(self):
        response = self.post(
            API,
            {"pupil_id": self.world.child.public_id, "subject": "Rapport", "body": "Hallo"},
            persona="teacher",
        )
        self.assertEqual(response.status_code, 201)
        members = set(Participant.objects.filter(is_member=True).values_list("user_id", flat=True))
        self.assertEqual(members, {self.world.teacher.id, self.world.parent.id, self.world.co_parent.id})

    def test_it_is_404_for_a_guardian_of_another_pupil(self):
        data = {
            "pupil_id": self.world.child.public_id,
            "subject": "Rapport",
            "body": "Hallo",
            "guardian_ids": [self.world.outsider.public_id],
        }
        self.assertEqual(self.post(API, data, persona="teacher").status_code, 404)
        self.assertFalse(Conversation.objects.exists())


class TestThreadApi(ApiTestCase):
    def test_it_shows_messages_and_seen_by(self):
        conversation = class_conversation(self.world)
        self.post(f"{API}{conversation.public_id}/read", persona="duo_teacher")
        thread = self.login("parent").get(f"{API}{conversation.public_id}").json()
        self.assertEqual(
            [m["body"] for m in thread["messages"]], ["Daan is morgen om 10 uur bij de tandarts."]
        )
        self.assertEqual([p["name"] for p in thread["seen_by"]], ["Bram Smit"])
        self.assertTrue(thread["can_write"])

    def test_it_is_404_for_someone_elses_thread(self):
        conversation = class_conversation(self.world)
        response = self.login("other_teacher").get(f"{API}{conversation.public_id}")
        self.assertEqual(response.status_code, 404)


class TestInboxApi(ApiTestCase):
    def test_it_lists_with_unread_and_counts(self):
        conversation = class_conversation(self.world)
        self.login("teacher")
        listed = self.client.get(API).json()
        self.assertEqual([(c["id"], c["unread"]) for c in listed], [(conversation.public_id, True)])
        self.assertEqual(self.client.get(f"{API}unread").json(), {"unread": 1})
        self.post(f"{API}{conversation.public_id}/messages", {"body": "Dank u!"}, persona="teacher")
        self.assertEqual(self.client.get(f"{API}unread").json(), {"unread": 0})
        self.assertEqual(self.login("parent").get(f"{API}unread").json(), {"unread": 1})


class TestCloseApi(ApiTestCase):
    def test_it_closes_for_staff_and_then_refuses_messages(self):
        conversation = class_conversation(self.world)
        self.assertEqual(self.post(f"{API}{conversation.public_id}/close", persona="parent").status_code, 404)
        self.assertEqual(
            self.post(f"{API}{conversation.public_id}/close", persona="teacher").status_code, 204
        )
        with translation.override("en"):
            response = self.post(f"{API}{conversation.public_id}/messages", {"body": "Hallo"})
        self.assertEqual(response.status_code, 422)


class TestNoticeApi(ApiTestCase):
    def test_it_says_who_reads_it(self):
        response = self.login("parent").get(f"{API}notice/{self.world.child.public_id}").json()
        self.assertEqual([t["name"] for t in response["teachers"]], ["Anna Jansen", "Bram Smit"])
        self.assertIn("Dringend? Bel de school: 071 123 45 67", response["notice"])


class TestSettingsApi(ApiTestCase):
    def test_it_saves_availability_and_refuses_bad_hours(self):
        url = f"{API}availability/{self.world.school.public_id}"
        self.login("teacher")
        bad = self.client.put(
            url, {"days": [1], "starts_at": "15:00", "ends_at": "08:00"}, "application/json"
        )
        self.assertEqual(bad.status_code, 422)
        good = self.client.put(
            url, {"days": [1, 2], "starts_at": "08:00", "ends_at": "12:00"}, "application/json"
        )
        self.assertEqual(good.json(), {"days": [1, 2], "starts_at": "08:00:00", "ends_at": "12:00:00"})

    def test_it_saves_the_school_promise_for_admins_only(self):
        url = f"{API}schools/{self.world.school.public_id}/settings"
        data = {"reply_days": 3, "phone": "071 402 11 22"}
        self.assertEqual(self.login("teacher").put(url, data, "application/json").status_code, 404)
        self.assertEqual(self.login("office").put(url, data, "application/json").json(), data)


class TestSendApiWithPhotos(MediaTestCase):
    def test_it_attaches_the_senders_own_uploads_only(self):
        conversation = class_conversation(self.world)
        with self.captureOnCommitCallbacks(execute=True):
            media = check_upload(
                acting_user=self.world.parent,
                school=self.world.school,
                upload=upload_of("briefje.jpg", jpeg_bytes(), "image/jpeg"),
            )
        url = f"{API}{conversation.public_id}/messages"
        data = json.dumps({"body": "Zie bijlage", "media_ids": [media.public_id]})
        stolen = self.login("duo_teacher").post(url, data, content_type="application/json")
        self.assertEqual(stolen.status_code, 404)
        sent = self.login("parent").post(url, data, content_type="application/json")
        self.assertEqual(sent.status_code, 201)
        media.refresh_from_db()
        self.assertEqual(media.carrier, conversation.messages.last())
        files = self.login("teacher").get(f"{API}{conversation.public_id}").json()["messages"][-1]["files"]
        self.assertEqual([(f["id"], f["status"]) for f in files], [(media.public_id, MediaFile.Status.READY)])
