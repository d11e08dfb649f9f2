"""A delivery report of a private conversation is for the people in it, not for the school's office."""

from conversations.actions import check_add_director, check_send_message
from conversations.tests.helpers import class_conversation
from core.testing import PersonaTestCase
from core.viewer import verified
from notifications import actions
from notifications.models import Dispatch


class TestConversationReportAccess(PersonaTestCase):
    def setUp(self):
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.conversation = class_conversation(self.world)
            check_send_message(
                acting_user=verified(self.world.teacher),
                conversation=self.conversation,
                body="Prima, dank u.",
            )
        for dispatch in Dispatch.objects.filter(fanned_out_at=None):
            actions.do_fan_out(dispatch_id=dispatch.pk)
        self.page = f"/notifications/report/conversation/{self.conversation.public_id}/"
        self.api = f"/api/v1/notifications/reports/conversation/{self.conversation.public_id}"

    def test_it_shows_the_report_to_the_teacher_who_wrote(self):
        self.assertEqual(self.login("teacher").get(self.page).status_code, 200)
        self.assertEqual(self.client.get(self.api).json()["recipients"], 2)  # the parent and the duo teacher

    def test_it_hides_the_report_from_office_and_director_outside_the_conversation(self):
        for persona in ("office", "director"):
            with self.subTest(persona):
                self.assertEqual(self.login(persona).get(self.page).status_code, 404)
                self.assertEqual(self.client.get(self.api).status_code, 404)

    def test_it_shows_the_report_to_a_director_the_conversation_let_in(self):
        check_add_director(acting_user=verified(self.world.teacher), conversation=self.conversation)
        self.assertEqual(self.login("director").get(self.page).status_code, 200)

    def test_it_still_shows_a_posts_report_to_the_office(self):
        from notifications.tests.helpers import deliver_now, post_event

        deliver_now(post_event(self.world, recipients=[self.world.parent], subject_id="PostPostPost0009"))
        self.assertEqual(
            self.login("office").get("/notifications/report/post/PostPostPost0009/").status_code, 200
        )
