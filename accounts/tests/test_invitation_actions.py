from datetime import timedelta

from django.core import mail
from django.utils import timezone

from accounts.actions import do_send_invitation, invitation_status, with_invitation_status
from accounts.models import Invitation, User, hash_token
from core.models import AuditEvent
from core.testing import PersonaTestCase, make_user


class InvitationTestCase(PersonaTestCase):
    def setUp(self):
        self.newcomer = User.objects.create_user("nieuw@example.test", first_name="Iris", language="en")

    def invite(self, user=None):
        with self.captureOnCommitCallbacks(execute=True):
            return do_send_invitation(
                acting_user=self.world.office, user=user or self.newcomer, school=self.world.school
            )


class TestDoSendInvitation(InvitationTestCase):
    def test_it_stores_only_the_digest_and_mails_the_link(self):
        invitation = self.invite()
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["nieuw@example.test"])
        self.assertIn("De Schakel", message.subject)
        token = message.body.split("/accounts/invitation/")[1].split("/")[0]
        self.assertEqual(invitation.token_hash, hash_token(token))
        self.assertNotIn(token, invitation.token_hash)
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.sent_at)

    def test_it_writes_the_mail_in_the_users_language_without_children(self):
        self.invite()
        message = mail.outbox[0]
        self.assertIn("invites you", message.subject)
        html = message.alternatives[0].content
        self.assertIn("Set up my account", html)
        for child in ("Daan", "Eva", "Yasmin"):
            self.assertNotIn(child, message.body + html)

    def test_it_revokes_earlier_open_invitations(self):
        first = self.invite()
        second = self.invite()
        first.refresh_from_db()
        self.assertIsNotNone(first.revoked_at)
        self.assertIsNone(second.revoked_at)
        self.assertTrue(second.is_usable())

    def test_it_is_valid_for_fourteen_days(self):
        invitation = self.invite()
        self.assertEqual(invitation.expires_at - invitation.created_at, timedelta(days=14))

    def test_it_writes_an_audit_row(self):
        self.invite()
        event = AuditEvent.objects.get(action="invitation.sent")
        self.assertEqual(event.actor, self.world.office)
        self.assertEqual(event.school, self.world.school)
        self.assertEqual(event.object_id, self.newcomer.public_id)

    def test_it_sends_nothing_when_the_transaction_rolls_back(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            do_send_invitation(acting_user=self.world.office, user=self.newcomer, school=self.world.school)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox, [])


class TestInvitationStatus(InvitationTestCase):
    def test_it_is_not_invited_without_invitations(self):
        self.assertEqual(invitation_status(self.newcomer), "not_invited")

    def test_it_is_invited_with_an_open_invitation(self):
        self.invite()
        self.assertEqual(invitation_status(self.newcomer), "invited")

    def test_it_is_expired_when_the_invitation_ran_out(self):
        invitation = self.invite()
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(invitation_status(self.newcomer), "expired")

    def test_it_is_active_once_signed_in(self):
        self.invite()
        User.objects.filter(pk=self.newcomer.pk).update(activated_at=timezone.now())
        self.assertEqual(invitation_status(self.newcomer), "active")

    def test_it_annotates_many_users_in_one_query(self):
        self.invite()
        late = make_user("laat@example.test", "Laat", "Komer")
        self.invite(late)
        Invitation.objects.filter(user=late).update(expires_at=timezone.now() - timedelta(days=1))
        User.objects.filter(pk=self.world.parent.pk).update(activated_at=timezone.now())
        users = User.objects.filter(
            pk__in=[self.newcomer.pk, late.pk, self.world.parent.pk, self.world.outsider.pk]
        )
        with self.assertNumQueries(1):
            statuses = {u.email: u.invitation_status for u in with_invitation_status(users)}
        self.assertEqual(
            statuses,
            {
                "nieuw@example.test": "invited",
                "laat@example.test": "expired",
                "ouder@example.test": "active",
                "buiten@example.test": "not_invited",
            },
        )
