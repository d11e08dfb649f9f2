from django.urls import reverse

from core.audit import record
from core.models import AuditEvent
from moderation.models import Feedback
from moderation.tests.helpers import ModerationTestCase


class TestFeedbackView(ModerationTestCase):
    def test_a_parent_sends_a_tip_and_the_director_reads_it(self):
        response = self.login("parent").post(
            reverse("moderation:feedback"), {"text": "Graag de foto's wat eerder plaatsen."}, follow=True
        )
        self.assertContains(response, "Dank u wel voor uw tip")
        tip = Feedback.objects.get()
        self.assertEqual((tip.school, tip.author), (self.world.school, self.world.parent))
        listing = self.login("director").get(
            reverse("moderation:feedback_list", args=[self.world.school.public_id])
        )
        self.assertContains(listing, "eerder plaatsen")
        tip.refresh_from_db()
        self.assertIsNotNone(tip.read_at)

    def test_it_refuses_an_empty_or_oversized_tip(self):
        self.login("parent")
        self.assertEqual(
            self.client.post(reverse("moderation:feedback"), {"text": "x" * 4001}).status_code, 200
        )
        self.assertFalse(Feedback.objects.exists())

    def test_staff_send_a_tip_to_the_director_of_their_school(self):
        # The footer offers "Tips for the school" to everyone; for staff it used to answer 404.
        self.assertEqual(self.login("teacher").get(reverse("moderation:feedback")).status_code, 200)
        self.client.post(reverse("moderation:feedback"), {"text": "Kan de agenda ook per week?"})
        tip = Feedback.objects.get()
        self.assertEqual((tip.author, tip.school), (self.world.teacher, self.world.school))
        elsewhere = self.client.get(
            reverse("moderation:feedback"), {"school": self.world.other_school.public_id}
        )
        self.assertEqual(elsewhere.status_code, 404)

    def test_the_list_is_for_the_director_only(self):
        url = reverse("moderation:feedback_list", args=[self.world.school.public_id])
        for persona in ["office", "teacher", "parent", "other_school_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(url).status_code, 404)


class TestFeedbackApi(ModerationTestCase):
    def test_it_sends_and_lists(self):
        sent = self.login("parent").post(
            "/api/v1/moderation/feedback", {"text": "Fijne app!"}, content_type="application/json"
        )
        self.assertEqual(sent.status_code, 201)
        empty = self.client.post(
            "/api/v1/moderation/feedback", {"text": " "}, content_type="application/json"
        )
        self.assertEqual(empty.status_code, 422)  # the schema itself admits no blank text
        self.assertEqual(empty.json()["errors"][0]["loc"][-1], "text")
        listing = self.login("director").get(
            f"/api/v1/moderation/schools/{self.world.school.public_id}/feedback"
        )
        self.assertEqual([item["text"] for item in listing.json()["items"]], ["Fijne app!"])


class TestAuditView(ModerationTestCase):
    def url(self, **query):
        from urllib.parse import urlencode

        return reverse("moderation:audit", args=[self.world.school.public_id]) + "?" + urlencode(query)

    def setUp(self):
        w = self.world
        record(actor=w.teacher, action="post.deleted", target=w.group3, school=w.school)
        record(actor=w.director, action="account.suspended", target=w.outsider, school=w.school)
        record(
            actor=w.director, action="account.suspended", target=w.other_school_parent, school=w.other_school
        )

    def test_it_lists_the_schools_events_and_filters_by_who_and_what(self):
        self.login("director")
        self.assertEqual(len(self.client.get(self.url()).context["page"].object_list), 2)
        by_anna = self.client.get(self.url(who="anna")).context["page"].object_list
        self.assertEqual([e.action for e in by_anna], ["post.deleted"])
        suspended = self.client.get(self.url(what="account.suspended")).context["page"].object_list
        self.assertEqual([e.object_id for e in suspended], [self.world.outsider.public_id])
        self.assertEqual(
            len(self.client.get(self.url(since="2001-01-01", until="2001-01-02")).context["page"]), 0
        )

    def test_a_bad_date_is_shown_and_the_log_still_lists(self):
        response = self.login("director").get(self.url(since="gisteren"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)

    def test_it_is_read_only(self):
        self.assertEqual(self.login("director").post(self.url()).status_code, 405)

    def test_it_answers_404_to_everyone_but_the_director(self):
        for persona in ["office", "teacher", "parent", "other_school_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(self.url()).status_code, 404)

    def test_it_names_an_actor_whose_account_is_gone(self):
        from core.testing import make_user

        leaver = make_user("weg@example.test", "Wim", "Weg")
        record(actor=leaver, action="invitation.sent", school=self.world.school)
        leaver.delete()
        page = self.login("director").get(self.url(who="wim"))
        self.assertEqual([e.action for e in page.context["page"].object_list], ["invitation.sent"])
        self.assertContains(page, "Wim Weg")
        api = self.client.get(f"/api/v1/moderation/schools/{self.world.school.public_id}/audit?who=weg@")
        self.assertEqual(
            [(e["actor"], e["actor_email"]) for e in api.json()["items"]], [("Wim Weg", "weg@example.test")]
        )

    def test_the_api_filters_the_same_way(self):
        response = self.login("director").get(
            f"/api/v1/moderation/schools/{self.world.school.public_id}/audit?who=marieke"
        )
        self.assertEqual([e["action"] for e in response.json()["items"]], ["account.suspended"])


class TestAuditEventModel(ModerationTestCase):
    def test_it_refuses_update_and_delete(self):
        event = record(actor=self.world.director, action="report.resolved", school=self.world.school)
        event.action = "nothing.happened"
        with self.assertRaises(RuntimeError):
            event.save()
        with self.assertRaises(RuntimeError):
            event.delete()
        self.assertEqual(AuditEvent.objects.get(pk=event.pk).action, "report.resolved")
