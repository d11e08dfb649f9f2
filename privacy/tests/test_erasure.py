import datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

from conversations.models import Conversation, Message
from core.audit import record
from core.models import AuditEvent
from core.refusals import Invalid
from core.testing import PersonaTestCase
from privacy.actions import check_erase_guardian, do_run_retention
from privacy.erasure import do_erase_account
from privacy.tests.helpers import PARENT_MESSAGE, TEACHER_REPLY, busy_family
from translation.models import Translation

# Where a name and email may stay after erasure, and why.
KEPT_ON_PURPOSE = {
    ("core", "auditevent"): "the audit log keeps its snapshot until the audit retention period removes it",
}


def rows_mentioning(needles: list[str]) -> dict[str, int]:
    """Every table's text columns searched for the needles: model label -> rows that mention one."""
    found = {}
    for model in apps.get_models():
        if (model._meta.app_label, model._meta.model_name) in KEPT_ON_PURPOSE or not model._meta.managed:
            continue
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField, models.EmailField))
        ]
        if not text_fields:
            continue
        condition = models.Q()
        for field in text_fields:
            for needle in needles:
                condition |= models.Q(**{f"{field}__icontains": needle})
        count = model._default_manager.filter(condition).count()
        if count:
            found[model._meta.label] = count
    return found


class TestErasure(PersonaTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        # An address no other persona's contains ("ouder@" is inside "klassenouder@").
        w.parent.email = "sanne.mulder.thuis@example.test"
        w.parent.save(update_fields=["email"])
        busy_family(self)
        self.needles = [w.parent.email, w.parent.full_name]

    def test_before_erasure_the_search_finds_the_parent(self):
        found = rows_mentioning(self.needles)
        self.assertIn("accounts.User", found)

    def test_it_leaves_no_row_with_the_parents_email_or_name(self):
        w = self.world
        do_erase_account(acting_user=w.director, user_id=w.parent.id, reason="request")
        self.assertEqual(rows_mentioning(self.needles), {})
        self.assertTrue(AuditEvent.objects.filter(action="account.erased").exists())

    def test_the_audit_snapshot_stays_only_for_the_audit_period(self):
        w = self.world
        old_login = AuditEvent.objects.create(
            at=timezone.now() - datetime.timedelta(days=800),
            actor=w.parent,
            actor_name=w.parent.full_name,
            actor_email=w.parent.email,
            action="account.login",
        )
        recent_login = record(actor=w.parent, action="account.login", target=w.parent)
        do_erase_account(acting_user=w.director, user_id=w.parent.id, reason="request")
        # The snapshot of who signed in stays (no school, no account left: the default 24 months) ...
        self.assertTrue(AuditEvent.objects.filter(id=old_login.id, actor_email=self.needles[0]).exists())
        with self.captureOnCommitCallbacks(execute=True):
            do_run_retention(force=True)
        # ... until the audit period has passed.
        self.assertFalse(AuditEvent.objects.filter(id=old_login.id).exists())
        self.assertTrue(AuditEvent.objects.filter(id=recent_login.id, actor_email=self.needles[0]).exists())

    def test_the_teachers_reply_stays_and_the_parent_is_a_former_parent(self):
        w = self.world
        question = Message.objects.get(body=PARENT_MESSAGE)
        Translation.objects.create(
            school=w.school,
            kind="message",
            object_id=question.public_id,
            source_hash="x",
            language="en",
            state=Translation.State.READY,
            texts=["May Daan bring his own lunch?"],
        )
        do_erase_account(acting_user=w.director, user_id=w.parent.id, reason="request")
        self.assertFalse(Message.objects.filter(body=PARENT_MESSAGE).exists())
        self.assertTrue(Message.objects.filter(body=TEACHER_REPLY).exists())
        # The question keeps its place in the thread, without its words, files, author or translations.
        question.refresh_from_db()
        self.assertEqual((question.body, question.author_id), ("", None))
        self.assertFalse(Translation.objects.filter(kind="message", object_id=question.public_id).exists())
        page = self.client_for("teacher").get(f"/messages/{self.conversation.public_id}/")
        self.assertContains(page, TEACHER_REPLY)
        self.assertNotContains(page, w.parent.full_name)
        self.assertContains(page, "voormalige ouder")
        self.assertContains(page, "Dit bericht is verwijderd")
        self.assertContains(page, "report-link", count=0)
        self.assertContains(page, 'data-testid="message-removed"', count=1)
        api = self.client_for("teacher").get(f"/api/v1/conversations/{self.conversation.public_id}")
        self.assertEqual(api.status_code, 200)
        self.assertIn(None, [message["author"] for message in api.json()["messages"]])

    def test_a_thread_only_the_parent_wrote_in_goes_whole(self):
        w = self.world
        lone = self.conversation.messages.exclude(author=w.parent)
        lone.delete()
        do_erase_account(acting_user=w.director, user_id=w.parent.id, reason="request")
        self.assertFalse(Conversation.objects.filter(id=self.conversation.id).exists())

    def test_the_other_guardian_keeps_their_child(self):
        w = self.world
        do_erase_account(acting_user=w.director, user_id=w.parent.id, reason="request")
        self.assertEqual(self.client_for("co_parent").get("/").status_code, 200)
        self.assertContains(self.client_for("co_parent").get("/"), "Daan")

    def test_the_director_cannot_erase_staff_or_a_family_enrolled_elsewhere(self):
        w = self.world
        with self.assertRaisesMessage(Invalid, "medewerker"):
            check_erase_guardian(acting_user=w.director, school=w.school, guardian=w.teacher, reason="x")
        from schools.models import Guardianship

        Guardianship.objects.create(guardian=w.parent, pupil=w.other_school_child)
        with self.assertRaisesMessage(Invalid, "andere school"):
            check_erase_guardian(acting_user=w.director, school=w.school, guardian=w.parent, reason="x")

    def test_a_reason_is_needed(self):
        w = self.world
        with self.assertRaises(Invalid):
            check_erase_guardian(acting_user=w.director, school=w.school, guardian=w.outsider, reason=" ")
