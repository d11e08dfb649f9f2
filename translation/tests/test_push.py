"""Push titles in the reader's language: for a parent who always translates, the lock screen shows the
cached translation of the notice's own words (asked ahead at fan-out, like the email's), with its language
and direction; never the item's text, never what the reader turned off, and as written when the engine had
no answer in time. The pushes go through the local web push peer, which decrypts them as a browser would."""

from notifications import actions as notification_actions
from notifications.models import Settings
from notifications.tests.helpers import without_quiet_hours
from notifications.tests.peers import PushService
from notifications.vapid import vapid_keys
from translation.models import ReadingPreference
from translation.subscribers import on_event
from translation.tests.test_notices import BODY, NoticeTestCase


class PushTitleTest(NoticeTestCase):
    def setUp(self):
        super().setUp()
        self.push = PushService(vapid_keys()["public"])  # as notifications' own `push_service` fixture
        self.addCleanup(self.push.stop)
        without_quiet_hours(self.world)
        for persona in ("parent", "co_parent"):
            device = self.push.device(persona)
            notification_actions.do_subscribe_push(
                acting_user=getattr(self.world, persona),
                endpoint=device.endpoint,
                p256dh=device.p256dh,
                auth=device.auth_b64,
            )

    def received(self) -> dict[str, dict]:
        assert not self.push.errors, self.push.errors
        return dict(self.push.received)

    def test_the_push_title_is_in_the_readers_language_with_its_direction(self):
        self.publish()
        pushed = self.received()
        self.assertEqual(pushed["parent"]["title"], "Groep 3: أعزائي الآباء")
        self.assertEqual((pushed["parent"]["lang"], pushed["parent"]["dir"]), ("ar", "rtl"))
        # The post's text is translated for the email, but the push carries the title only.
        self.assertNotIn("مدرسة", str(pushed["parent"]))
        self.assertNotIn("geen school", str(pushed["parent"]))
        # The co-parent does not translate: the title as written, in the interface language.
        self.assertEqual(pushed["co_parent"]["title"], "Groep 3: Beste ouders")
        self.assertEqual((pushed["co_parent"]["lang"], pushed["co_parent"]["dir"]), ("nl", "auto"))
        self.assertEqual(self.peer.calls, 2)  # asked ahead: the notice and the post, nothing per push

    def test_a_reader_who_turned_names_off_gets_the_nameless_title_not_the_translated_one(self):
        Settings.objects.filter(user=self.world.parent).update(push_names=False)
        self.publish()
        title = self.received()["parent"]["title"]
        self.assertEqual(title, "Nieuw bericht in Groep 3")
        self.assertNotIn("أعزائي", title)

    def test_a_reader_without_always_gets_the_title_as_written(self):
        ReadingPreference.objects.filter(user=self.world.parent).update(always=False)
        self.publish()
        self.assertEqual(self.received()["parent"]["title"], "Groep 3: Beste ouders")
        self.assertEqual(self.peer.calls, 0)

    def test_with_the_engine_down_the_push_goes_as_written_at_once(self):
        self.peer.fail = True
        self.publish()
        pushed = self.received()["parent"]
        self.assertEqual(
            (pushed["title"], pushed["lang"], pushed["dir"]), ("Groep 3: Beste ouders", "nl", "auto")
        )

    def test_a_message_push_is_translated_without_its_body(self):
        from conversations.tests.helpers import staff_conversation

        self.listen(on_event)
        ReadingPreference.objects.create(user=self.world.co_parent, language="ar", always=True)
        with self.captureOnCommitCallbacks(execute=True):
            staff_conversation(self.world, body=BODY.replace("<p>", "").replace("</p>", ""))
        pushed = self.received()["co_parent"]
        self.assertEqual(pushed["dir"], "rtl")
        self.assertIn(self.world.office.first_name, pushed["title"])  # the sender's name is kept as it is
        for body_word in ("geen school", "مدرسة", "غدًا", "Beste ouders"):
            self.assertNotIn(body_word, str(pushed))
