import datetime

from django.contrib.auth.hashers import is_password_usable
from django.core import mail

from accounts.models import Invitation, User
from core.models import AuditEvent
from core.testing import PersonaTestCase
from schools.models import Enrolment, Guardianship, Pupil
from schools.queries import groups_visible_to
from schools.tests.helpers import add_families, admin_url


class TestAdminHomeView(PersonaTestCase):
    def test_it_shows_the_counts(self):
        Invitation.objects.create(
            user=self.world.parent,
            school=self.world.school,
            token_hash="x" * 64,
            expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
        )
        User.objects.filter(pk=self.world.co_parent.pk).update(
            activated_at=datetime.datetime.now(datetime.UTC)
        )
        response = self.login("director").get(admin_url(self.world))
        counts = response.context["counts"]
        self.assertEqual(
            counts,
            {
                "pupils": 4,
                "guardians": 4,
                "active_accounts": 1,
                "open_invitations": 1,
                "groups": 3,
                "staff": 5,
            },
        )
        self.assertContains(response, 'data-count="pupils">4<')

    def test_it_is_not_found_for_a_teacher(self):
        self.assertEqual(self.client_for("teacher").get(admin_url(self.world)).status_code, 404)


class TestAdminPupilsView(PersonaTestCase):
    def test_it_lists_pupils_with_class_and_guardians(self):
        response = self.login("office").get(admin_url(self.world, "pupils/"))
        self.assertContains(response, 'data-testid="pupil"', count=4)
        self.assertContains(response, "Groep 6")
        self.assertContains(response, "Sanne Mulder")
        self.assertNotContains(response, "Noa")  # another school's pupil

    def test_it_searches_by_name_or_guardian_email_ignoring_case(self):
        self.login("office")
        response = self.client.get(admin_url(self.world, "pupils/"), {"q": "DAAN mul"})
        self.assertEqual([p.first_name for p in response.context["pupils"]], ["Daan"])
        response = self.client.get(admin_url(self.world, "pupils/"), {"q": "Klassenouder@example"})
        self.assertEqual([p.first_name for p in response.context["pupils"]], ["Yasmin"])

    def test_it_paginates(self):
        add_families(self.world, self.world.group4, 26)
        self.login("office")
        response = self.client.get(admin_url(self.world, "pupils/"), {"page": 2})
        self.assertContains(response, 'data-testid="pupil"', count=5)
        self.assertContains(response, "Pagina 2 van 2")

    def test_it_keeps_the_same_query_count_however_many_pupils(self):
        self.login("office")
        url = admin_url(self.world, "pupils/")
        self.client.get(url)
        # The menu counts posts waiting for approval (the groups she runs: resolved once per request).
        with self.assertNumQueries(13) as small:
            self.client.get(url)
        add_families(self.world, self.world.group4, 20)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(url)

    def test_it_is_not_found_for_another_schools_director(self):
        self.assertEqual(self.client_for("teacher").get(admin_url(self.world, "pupils/")).status_code, 404)


class TestAdminPupilAddView(PersonaTestCase):
    def test_it_adds_a_pupil_to_a_class(self):
        self.login("office")
        response = self.client.post(
            admin_url(self.world, "pupils/new/"),
            {
                "first_name": "Mila",
                "last_name": "Jong",
                "date_of_birth": "2019-03-04",
                "group": self.world.group4.public_id,
            },
        )
        pupil = Pupil.objects.get(first_name="Mila")
        self.assertRedirects(response, admin_url(self.world, f"pupils/{pupil.public_id}/"))
        self.assertEqual(pupil.enrolments.get().group, self.world.group4)
        self.assertEqual(pupil.date_of_birth, datetime.date(2019, 3, 4))
        self.assertTrue(AuditEvent.objects.filter(action="pupil.created", object_id=pupil.public_id).exists())

    def test_it_refuses_an_unknown_class(self):
        self.login("office")
        for group in (
            "bogusbogusbogus1",
            self.world.other_school_group.public_id,
            self.world.old_group.public_id,
        ):
            response = self.client.post(
                admin_url(self.world, "pupils/new/"),
                {"first_name": "Mila", "last_name": "Jong", "group": group},
            )
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].errors["group"])
        self.assertFalse(Pupil.objects.filter(first_name="Mila").exists())


class TestAdminPupilView(PersonaTestCase):
    def test_it_shows_the_pupil_with_class_guardians_and_external_key(self):
        Pupil.objects.filter(pk=self.world.child.pk).update(external_key="LL-1234")
        response = self.login("office").get(admin_url(self.world, f"pupils/{self.world.child.public_id}/"))
        self.assertContains(response, 'data-testid="current-class">Groep 3<')
        self.assertContains(response, 'data-testid="guardian"', count=2)
        self.assertContains(response, "LL-1234")

    def test_it_is_not_found_through_another_schools_url(self):
        self.login("office")
        url = f"/school/{self.world.other_school.public_id}/pupils/{self.world.child.public_id}/"
        self.assertEqual(self.client.get(url).status_code, 404)
        url = admin_url(self.world, f"pupils/{self.world.other_school_child.public_id}/")
        self.assertEqual(self.client.get(url).status_code, 404)


class TestAdminPupilMoveView(PersonaTestCase):
    def url(self):
        return admin_url(self.world, f"pupils/{self.world.outsider_child.public_id}/move/")

    def test_it_moves_the_pupil_and_the_parents_groups_follow(self):
        self.login("director")
        response = self.client.post(self.url(), {"group": self.world.group6.public_id})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Enrolment.objects.get(pupil=self.world.outsider_child).group, self.world.group6)
        self.assertEqual({g.name for g in groups_visible_to(self.world.outsider)}, {"Groep 6", "De Schakel"})
        event = AuditEvent.objects.get(action="pupil.moved")
        self.assertEqual(event.data["to_group"], self.world.group6.public_id)
        self.assertEqual(event.data["from_group"], self.world.group4.public_id)

    def test_it_answers_not_found_for_a_class_of_another_school_or_year(self):
        self.login("director")
        for group in (self.world.other_school_group, self.world.old_group):
            response = self.client.post(self.url(), {"group": group.public_id})
            self.assertEqual(response.status_code, 404)
        self.assertEqual(Enrolment.objects.get(pupil=self.world.outsider_child).group, self.world.group4)

    def test_it_says_so_when_the_pupil_is_already_in_that_class(self):
        self.login("director")
        response = self.client.post(self.url(), {"group": self.world.group4.public_id}, follow=True)
        self.assertContains(response, "zit al in Groep 4")
        self.assertFalse(AuditEvent.objects.filter(action="pupil.moved").exists())

    def test_it_is_not_found_for_a_teacher(self):
        response = self.client_for("teacher").post(self.url(), {"group": self.world.group6.public_id})
        self.assertEqual(response.status_code, 404)


class TestAdminGuardianAddView(PersonaTestCase):
    def url(self, pupil=None):
        return admin_url(
            self.world, f"pupils/{(pupil or self.world.outsider_child).public_id}/guardians/new/"
        )

    def post(self, **data):
        fields = {
            "email": "Nieuw@Example.test",
            "first_name": "Eva",
            "last_name": "Dekker",
            "relation": "mother",
        }
        return self.client.post(self.url(), {**fields, **data})

    def test_it_creates_an_account_that_cannot_sign_in_and_sends_the_invitation(self):
        self.login("office")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(send_invitation="on")
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(email="nieuw@example.test")
        self.assertFalse(is_password_usable(user.password))
        self.assertIsNone(user.activated_at)
        self.assertEqual(Guardianship.objects.get(guardian=user).relation, "mother")
        self.assertEqual(Invitation.objects.filter(user=user, school=self.world.school).count(), 1)
        self.assertEqual([m.to for m in mail.outbox], [["nieuw@example.test"]])
        self.assertTrue(AuditEvent.objects.filter(action="guardianship.created").exists())

    def test_it_reuses_the_existing_account_of_the_same_email(self):
        self.login("office")
        self.post(email="REGENBOOG@example.test", first_name="Other", last_name="Name")
        guardianship = Guardianship.objects.get(
            pupil=self.world.outsider_child, guardian=self.world.other_school_parent
        )
        self.assertEqual(guardianship.guardian.first_name, "Lotte")
        self.assertFalse(Invitation.objects.exists())

    def test_it_does_not_invite_someone_who_already_uses_schoolplein(self):
        User.objects.filter(pk=self.world.parent.pk).update(activated_at=datetime.datetime.now(datetime.UTC))
        self.login("office")
        self.post(email="ouder@example.test", send_invitation="on")
        self.assertTrue(
            Guardianship.objects.filter(pupil=self.world.outsider_child, guardian=self.world.parent).exists()
        )
        self.assertFalse(Invitation.objects.exists())

    def test_it_refuses_a_malformed_email(self):
        self.login("office")
        response = self.post(email="nieuw@@example")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["email"])
        self.assertFalse(User.objects.filter(last_name="Dekker", first_name="Eva").exists())

    def test_it_refuses_a_duplicate_guardian_with_a_clear_message(self):
        self.login("office")
        response = self.post(email="buiten@example.test")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is al ouder/verzorger van Lars Dekker")
        self.assertEqual(Guardianship.objects.filter(pupil=self.world.outsider_child).count(), 1)

    def test_it_is_not_found_for_a_parent(self):
        response = self.client_for("outsider").post(self.url(), {"email": "x@example.test"})
        self.assertEqual(response.status_code, 404)


class TestAdminGuardianshipRemoveView(PersonaTestCase):
    def test_it_removes_the_guardianship_and_the_access(self):
        self.login("office")
        url = admin_url(
            self.world,
            f"pupils/{self.world.child.public_id}/guardians/{self.world.co_parent.public_id}/remove/",
        )
        self.assertEqual(self.client.post(url).status_code, 302)
        self.assertFalse(Guardianship.objects.filter(guardian=self.world.co_parent).exists())
        self.assertFalse(groups_visible_to(self.world.co_parent).exists())
        self.assertTrue(User.objects.filter(pk=self.world.co_parent.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="guardianship.removed").exists())

    def test_it_is_not_found_for_someone_who_is_not_a_guardian_of_that_pupil(self):
        self.login("office")
        url = admin_url(
            self.world,
            f"pupils/{self.world.child.public_id}/guardians/{self.world.outsider.public_id}/remove/",
        )
        self.assertEqual(self.client.post(url).status_code, 404)
