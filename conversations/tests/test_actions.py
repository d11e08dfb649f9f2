import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from conversations import actions
from conversations.models import Availability, Conversation, Message, Participant, StaffNotice
from conversations.queries import recipients_of
from conversations.tests.helpers import class_conversation, enrolment_of, staff_conversation
from core import events
from core.models import AuditEvent
from core.testing import PersonaTestCase
from core.viewer import verified

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class EventsCaptured(PersonaTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(translation.override("en"))
        self.events: list[events.Event] = []
        events.subscribe(self.events.append)
        self.addCleanup(events._subscribers.remove, self.events.append)


class TestCheckStartWithClass(EventsCaptured):
    def test_it_makes_the_parent_a_member_and_the_class_teachers_readers(self):
        conversation = class_conversation(self.world)
        self.assertEqual(conversation.group, self.world.group3)
        self.assertEqual(conversation.school_year, self.world.year)
        members = set(conversation.participants.filter(is_member=True).values_list("user_id", flat=True))
        self.assertEqual(members, {self.world.parent.id})
        readers = set(recipients_of(conversation))
        self.assertEqual(readers, {self.world.parent, self.world.teacher, self.world.duo_teacher})

    def test_it_refuses_an_empty_subject_and_saves_nothing(self):
        with self.assertRaisesMessage(actions.Refused, "subject"):
            class_conversation(self.world, subject="   ")
        self.assertFalse(Conversation.objects.exists())

    def test_it_refuses_an_empty_message_and_saves_nothing(self):
        with self.assertRaisesMessage(actions.Refused, "Write a message first."):
            class_conversation(self.world, body=" \n ")
        self.assertFalse(Conversation.objects.exists())

    def test_it_writes_an_audit_row(self):
        conversation = class_conversation(self.world)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="conversation.started", object_id=conversation.public_id
            ).exists()
        )


class TestCheckStartWithGuardians(EventsCaptured):
    def test_it_addresses_one_parent_only(self):
        conversation = staff_conversation(self.world)
        self.assertIsNone(conversation.group)
        self.assertEqual(set(recipients_of(conversation)), {self.world.office, self.world.co_parent})

    def test_it_addresses_both_parents_together(self):
        conversation = staff_conversation(self.world, guardians=[self.world.parent, self.world.co_parent])
        self.assertEqual(
            set(recipients_of(conversation)), {self.world.office, self.world.parent, self.world.co_parent}
        )

    def test_it_needs_at_least_one_parent(self):
        with self.assertRaisesMessage(actions.Refused, "Choose at least one parent."):
            actions.check_start_with_guardians(
                acting_user=self.world.teacher, pupil=self.world.child, guardians=[], subject="x", body="y"
            )
        self.assertFalse(Conversation.objects.exists())


class TestCheckSendMessage(EventsCaptured):
    def setUp(self):
        super().setUp()
        self.conversation = class_conversation(self.world)
        self.events.clear()

    def send(self, persona="parent", body="Hij neemt zijn gymtas mee."):
        with self.captureOnCommitCallbacks(execute=True):
            return actions.check_send_message(
                acting_user=getattr(self.world, persona), conversation=self.conversation, body=body
            )

    def test_it_refuses_an_oversized_message_and_saves_nothing(self):
        with self.assertRaisesMessage(actions.Refused, "at most 5000 characters"):
            self.send(body="a" * 5001)
        self.assertEqual(self.conversation.messages.count(), 1)
        self.assertEqual(self.events, [])

    def test_it_accepts_a_message_of_the_maximum_length(self):
        self.assertEqual(len(self.send(body="a" * 5000).body), 5000)

    def test_it_refuses_a_closed_conversation(self):
        actions.do_close(acting_user=self.world.teacher, conversation=self.conversation)
        with self.assertRaisesMessage(actions.Refused, "closed"):
            self.send()

    def test_it_refuses_an_archived_conversation(self):
        Conversation.objects.filter(pk=self.conversation.pk).update(school_year=self.world.last_year)
        self.conversation.refresh_from_db()
        with self.assertRaisesMessage(actions.Refused, "archived"):
            self.send()

    def test_it_publishes_message_created_to_the_others_after_commit(self):
        message = self.send(persona="teacher")
        recipients = {rid for event in self.events for rid in event.recipient_ids}
        self.assertEqual(recipients, {self.world.parent.id, self.world.duo_teacher.id})
        event = self.events[0]
        self.assertEqual(event.kind, "message.created")
        self.assertEqual(event.subject_id, self.conversation.public_id)
        self.assertEqual(event.url, f"/messages/{self.conversation.public_id}/")
        self.assertEqual(event.title_params, {"name": "Anna Jansen"})
        self.assertNotIn(message.body, str(event))

    def test_it_records_when_each_teacher_should_hear_of_it(self):
        # Anna works one day a week, not today; Bram works every day around the clock.
        today = timezone.localtime(timezone.now(), AMSTERDAM).date()
        anna_day = (today + datetime.timedelta(days=3)).isoweekday()
        Availability.objects.create(
            user=self.world.teacher,
            school=self.world.school,
            days=str(anna_day),
            starts_at=datetime.time(8, 15),
        )
        Availability.objects.create(
            user=self.world.duo_teacher,
            school=self.world.school,
            days="1234567",
            starts_at=datetime.time(0, 0),
            ends_at=datetime.time(23, 59, 59, 999999),
        )
        message = self.send()
        anna_at = datetime.datetime.combine(
            today + datetime.timedelta(days=3), datetime.time(8, 15), AMSTERDAM
        )
        notices = {n.recipient_id: n.notify_at for n in StaffNotice.objects.filter(message=message)}
        self.assertEqual(
            notices, {self.world.teacher.id: anna_at, self.world.duo_teacher.id: message.created_at}
        )
        deliver_after = {event.recipient_ids: event.deliver_after for event in self.events}
        self.assertEqual(
            deliver_after, {(self.world.teacher.id,): anna_at.isoformat(), (self.world.duo_teacher.id,): None}
        )

    def test_it_never_records_quiet_mode_for_parents(self):
        message = self.send(persona="teacher")
        self.assertEqual(
            set(StaffNotice.objects.filter(message=message).values_list("recipient_id", flat=True)),
            {self.world.duo_teacher.id},
        )

    def test_it_marks_the_conversation_read_for_the_author(self):
        message = self.send(persona="duo_teacher")
        mine = Participant.objects.get(conversation=self.conversation, user=self.world.duo_teacher)
        self.assertFalse(mine.is_member)
        self.assertEqual(mine.last_read_at, message.created_at)


class TestDoClose(PersonaTestCase):
    def test_it_closes_and_reopens_with_audit_rows(self):
        conversation = class_conversation(self.world)
        actions.do_close(acting_user=self.world.teacher, conversation=conversation)
        conversation.refresh_from_db()
        self.assertEqual(conversation.closed_by, self.world.teacher)
        actions.do_reopen(acting_user=self.world.duo_teacher, conversation=conversation)
        conversation.refresh_from_db()
        self.assertIsNone(conversation.closed_at)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(object_id=conversation.public_id)
                .order_by("id")
                .values_list("action", flat=True)
            ),
            ["conversation.started", "conversation.closed", "conversation.reopened"],
        )


class TestCheckAddDirector(PersonaTestCase):
    def test_it_makes_the_director_a_member_who_sees_it_unread(self):
        from conversations.queries import unread_count

        conversation = class_conversation(self.world)
        actions.check_add_director(acting_user=self.world.parent, conversation=conversation)
        self.assertTrue(conversation.participants.filter(user=self.world.director, is_member=True).exists())
        self.assertEqual(unread_count(self.world.director), 1)


class TestCheckSaveAvailability(EventsCaptured):
    def test_it_saves_days_and_hours(self):
        actions.check_save_availability(
            acting_user=self.world.teacher,
            school=self.world.school,
            days=[3, 1, 2],
            starts_at=datetime.time(8, 15),
            ends_at=datetime.time(14, 0),
        )
        saved = Availability.objects.get(user=self.world.teacher)
        self.assertEqual((saved.days, saved.starts_at), ("123", datetime.time(8, 15)))

    def test_it_refuses_no_days_and_an_end_before_the_start(self):
        for days, start, end in [
            ([], datetime.time(8), datetime.time(9)),
            ([1], datetime.time(9), datetime.time(8)),
        ]:
            with self.assertRaises(actions.Refused):
                actions.check_save_availability(
                    acting_user=self.world.teacher,
                    school=self.world.school,
                    days=days,
                    starts_at=start,
                    ends_at=end,
                )
        self.assertFalse(Availability.objects.exists())


class TestCheckSaveSchoolMessaging(PersonaTestCase):
    def test_it_refuses_a_promise_out_of_range(self):
        with self.assertRaises(actions.Refused):
            actions.check_save_school_messaging(
                acting_user=self.world.director, school=self.world.school, reply_days=0, phone=""
            )

    def test_it_saves_and_audits(self):
        actions.check_save_school_messaging(
            acting_user=self.world.director, school=self.world.school, reply_days=3, phone=" 071  402 11 22 "
        )
        self.assertEqual(self.world.school.messaging.phone, "071 402 11 22")
        self.assertTrue(AuditEvent.objects.filter(action="conversations.settings_changed").exists())


class TestMessageHidden(PersonaTestCase):
    def test_it_leaves_hidden_messages_out_for_parents_but_not_for_staff(self):
        from conversations.queries import messages_of

        conversation = class_conversation(self.world)
        Message.objects.filter(conversation=conversation).update(hidden_at=timezone.now())
        self.assertEqual(messages_of(conversation, viewer=self.world.parent), [])
        self.assertEqual(len(messages_of(conversation, viewer=verified(self.world.teacher))), 1)

    def test_enrolment_helper_finds_the_current_class(self):
        self.assertEqual(enrolment_of(self.world.child).group, self.world.group3)
