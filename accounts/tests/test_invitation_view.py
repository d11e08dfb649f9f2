from django.test import override_settings
from django.utils import timezone

from accounts.actions import do_send_invitation
from accounts.models import Invitation, User
from accounts.tests.helpers import link_in
from core.testing import PersonaTestCase

NEW_PASSWORD = "een lang geheim wachtwoord"


class TestInvitationView(PersonaTestCase):
    def setUp(self):
        self.user = User.objects.create_user("nieuw@example.test", first_name="Iris", last_name="Boer")
        self.path = self.invite(self.user)

    def invite(self, user):
        from django.core import mail

        with self.captureOnCommitCallbacks(execute=True):
            do_send_invitation(acting_user=self.world.office, user=user, school=self.world.school)
        return link_in(mail.outbox[-1].body, "/accounts/invitation/")

    def accept(self, path=None, **changes):
        data = {
            "first_name": "Iris",
            "last_name": "de Boer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "en",
        }
        return self.client.post(path or self.path, {**data, **changes})

    def test_it_shows_the_form_with_the_known_names(self):
        response = self.client.get(self.path)
        self.assertContains(response, 'value="Iris"')
        self.assertContains(response, "nieuw@example.test")
        self.assertContains(response, "De Schakel")

    def test_it_sets_up_the_account_and_signs_in(self):
        response = self.accept()
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.user.refresh_from_db()
        self.assertEqual((self.user.last_name, self.user.language), ("de Boer", "en"))
        self.assertTrue(self.user.check_password(NEW_PASSWORD))
        self.assertIsNotNone(self.user.activated_at)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.user.pk)
        self.assertIsNotNone(Invitation.objects.get(user=self.user).used_at)

    def test_it_refuses_different_passwords_and_saves_nothing(self):
        response = self.accept(password2="iets heel anders dan dat")
        self.assertContains(response, "niet hetzelfde")
        self.user.refresh_from_db()
        self.assertFalse(self.user.has_usable_password())
        self.assertEqual(self.user.last_name, "Boer")
        self.assertIsNone(Invitation.objects.get(user=self.user).used_at)

    def test_it_refuses_a_weak_password(self):
        response = self.accept(password1="12345678901", password2="12345678901")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(User.objects.get(pk=self.user.pk).has_usable_password())

    def test_it_requires_names(self):
        response = self.accept(first_name="", last_name="")
        self.assertContains(response, "errorlist")
        self.assertIsNone(Invitation.objects.get(user=self.user).used_at)

    def test_it_sends_invited_staff_to_set_up_two_factor(self):
        from schools.models import StaffRole

        StaffRole.objects.create(user=self.user, school=self.world.school, role=StaffRole.Role.TEACHER)
        response = self.accept()
        self.assertRedirects(response, "/accounts/two-factor/setup/?next=%2F", fetch_redirect_response=False)

    def test_it_explains_a_replaced_invitation(self):
        self.invite(self.user)
        response = self.client.get(self.path)
        self.assertContains(response, "Vraag de school om een nieuwe uitnodiging", status_code=404)

    def test_it_explains_a_used_invitation(self):
        self.accept()
        self.client.logout()
        response = self.accept()
        self.assertContains(response, "al gebruikt", status_code=404)

    def test_it_refuses_a_suspended_user(self):
        User.objects.filter(pk=self.user.pk).update(is_active=False)
        self.assertEqual(self.accept().status_code, 404)
        self.assertIsNone(Invitation.objects.get(user=self.user).used_at)

    def test_it_answers_a_made_up_token_like_an_expired_one(self):
        response = self.client.get("/accounts/invitation/made-up/")
        self.assertContains(response, "nieuwe uitnodiging", status_code=404)

    def test_it_refuses_an_expired_invitation(self):
        Invitation.objects.filter(user=self.user).update(expires_at=timezone.now())
        self.assertEqual(self.accept().status_code, 404)

    @override_settings(RATE_LIMITS={"invitation": (2, 900)})
    def test_it_limits_redemption_attempts(self):
        self.accept(password2="x")
        self.accept(password2="x")
        response = self.accept()
        self.assertContains(response, "Te veel pogingen", status_code=429)
        self.assertIsNone(Invitation.objects.get(user=self.user).used_at)
