import datetime

from django.core import mail

from accounts.models import Invitation, User
from core.models import AuditEvent
from core.testing import PersonaTestCase
from schools.tests.helpers import add_families, admin_url


def activate(user):
    User.objects.filter(pk=user.pk).update(activated_at=datetime.datetime.now(datetime.UTC))


class TestAdminGuardiansView(PersonaTestCase):
    def test_it_lists_guardians_with_children_and_status(self):
        activate(self.world.parent)
        response = self.login("office").get(admin_url(self.world, "guardians/"))
        self.assertContains(response, 'data-testid="guardian"', count=4)
        self.assertContains(response, 'data-status="active"', count=1)
        self.assertContains(response, "Daan Mulder</a>, <a")
        self.assertNotContains(response, "Lotte")  # a parent at another school

    def test_it_filters_by_status_and_searches_case_insensitively(self):
        activate(self.world.parent)
        self.login("office")
        response = self.client.get(
            admin_url(self.world, "guardians/"), {"status": "not_invited", "q": "MULDER"}
        )
        self.assertEqual([g.email for g in response.context["guardians"]], ["ouder2@example.test"])

    def test_it_keeps_the_same_query_count_however_many_guardians(self):
        self.login("office")
        url = admin_url(self.world, "guardians/")
        self.client.get(url)
        # The menu counts posts waiting for approval (the groups she runs: resolved once per request).
        with self.assertNumQueries(11) as small:
            self.client.get(url)
        add_families(self.world, self.world.group4, 10)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(url)

    def test_it_is_not_found_for_a_parent(self):
        self.assertEqual(self.client_for("parent").get(admin_url(self.world, "guardians/")).status_code, 404)


class TestAdminGuardianInviteView(PersonaTestCase):
    def url(self, user):
        return admin_url(self.world, f"guardians/{user.public_id}/invite/")

    def test_it_sends_and_resends_the_invitation(self):
        self.login("office")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url(self.world.parent))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url(self.world.parent), {"next": "/elsewhere/"})
        self.assertRedirects(response, "/elsewhere/", fetch_redirect_response=False)
        invitations = Invitation.objects.filter(user=self.world.parent).order_by("created_at")
        self.assertEqual(len(invitations), 2)
        self.assertIsNotNone(invitations[0].revoked_at)
        self.assertTrue(invitations[1].is_usable())
        self.assertEqual([m.to for m in mail.outbox], [["ouder@example.test"]] * 2)
        self.assertTrue(AuditEvent.objects.filter(action="invitation.sent").exists())

    def test_it_never_redirects_off_site(self):
        response = self.login("office").post(self.url(self.world.parent), {"next": "//evil.example/"})
        self.assertRedirects(response, admin_url(self.world, "guardians/"), fetch_redirect_response=False)

    def test_it_refuses_someone_who_already_uses_schoolplein(self):
        activate(self.world.parent)
        response = self.login("office").post(self.url(self.world.parent), follow=True)
        self.assertContains(response, "gebruikt Schoolplein al")
        self.assertFalse(Invitation.objects.exists())

    def test_it_is_not_found_for_a_guardian_of_another_school(self):
        response = self.login("office").post(self.url(self.world.other_school_parent))
        self.assertEqual(response.status_code, 404)


class TestAdminGuardiansInviteAllView(PersonaTestCase):
    def test_it_invites_only_those_never_invited(self):
        activate(self.world.parent)
        self.login("office")
        self.client.post(admin_url(self.world, f"guardians/{self.world.co_parent.public_id}/invite/"))
        response = self.client.post(admin_url(self.world, "guardians/invite-all/"), follow=True)
        invited = set(Invitation.objects.values_list("user__email", flat=True))
        self.assertEqual(invited, {"ouder2@example.test", "klassenouder@example.test", "buiten@example.test"})
        self.assertEqual(Invitation.objects.filter(user=self.world.co_parent).count(), 1)
        self.assertEqual(AuditEvent.objects.get(action="invitation.bulk_sent").data["count"], 2)
        self.assertContains(response, "2")

    def test_it_is_not_found_for_a_teacher(self):
        response = self.client_for("teacher").post(admin_url(self.world, "guardians/invite-all/"))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Invitation.objects.exists())
