"""The schools API: the same access layer and actions as the pages, answered in JSON."""

from accounts.models import Invitation, User
from core.testing import PersonaTestCase
from schools.models import Enrolment, Guardianship, StaffRole
from schools.tests.helpers import add_families


class ApiTestCase(PersonaTestCase):
    def api(self, persona, method, path, data=None):
        client = self.client_for(persona)
        send = getattr(client, method)
        if method == "get":
            return send(f"/api/v1{path}", data or {})
        return send(f"/api/v1{path}", data or {}, content_type="application/json")

    def school(self, tail=""):
        return f"/schools/{self.world.school.public_id}{tail}"


class TestChildrenApi(ApiTestCase):
    def test_it_lists_my_children_with_class_and_school(self):
        response = self.api("parent", "get", "/children")
        self.assertEqual(
            [(c["first_name"], c["group"]["name"], c["school"]["name"]) for c in response.json()],
            [("Daan", "Groep 3", "De Schakel"), ("Eva", "Groep 6", "De Schakel")],
        )

    def test_it_is_empty_for_staff_without_children(self):
        self.assertEqual(self.api("teacher", "get", "/children").json(), [])


class TestGroupsApi(ApiTestCase):
    def test_it_lists_my_groups(self):
        names = {g["name"] for g in self.api("outsider", "get", "/groups").json()}
        self.assertEqual(names, {"Groep 4", "De Schakel"})


class TestGroupDetailApi(ApiTestCase):
    def test_it_gives_parents_teachers_and_class_parents_only(self):
        body = self.api("parent", "get", f"/groups/{self.world.group3.public_id}").json()
        self.assertEqual([t["first_name"] for t in body["teachers"]], ["Anna", "Bram"])
        self.assertEqual([c["first_name"] for c in body["class_parents"]], ["Fatima"])
        self.assertEqual(body["pupils"], [])

    def test_it_gives_a_teacher_the_members_without_email(self):
        body = self.api("teacher", "get", f"/groups/{self.world.group3.public_id}").json()
        self.assertEqual([p["first_name"] for p in body["pupils"]], ["Daan", "Yasmin"])
        guardian = body["pupils"][0]["guardians"][0]["guardian"]
        self.assertIsNone(guardian["email"])
        self.assertIsNone(guardian["invitation_status"])

    def test_it_gives_the_office_email_and_status(self):
        body = self.api("office", "get", f"/groups/{self.world.group3.public_id}").json()
        guardian = body["pupils"][0]["guardians"][0]["guardian"]
        self.assertEqual(guardian["invitation_status"], "not_invited")
        self.assertIn("@example.test", guardian["email"])

    def test_it_is_not_found_for_an_outsider(self):
        response = self.api("outsider", "get", f"/groups/{self.world.group3.public_id}")
        self.assertEqual(response.status_code, 404)
        self.assertIn("detail", response.json())


class TestSchoolPupilsApi(ApiTestCase):
    def test_it_searches_and_paginates(self):
        body = self.api("office", "get", self.school("/pupils"), {"q": "mulder"}).json()
        self.assertEqual(body["count"], 2)
        self.assertEqual({p["first_name"] for p in body["items"]}, {"Daan", "Eva"})
        daan = next(p for p in body["items"] if p["first_name"] == "Daan")
        self.assertEqual(daan["group"]["name"], "Groep 3")
        self.assertEqual(len(daan["guardians"]), 2)

    def test_it_keeps_the_same_query_count_however_many_pupils(self):
        client = self.client_for("office")
        url = f"/api/v1{self.school('/pupils')}"
        client.get(url)
        with self.assertNumQueries(9) as small:
            client.get(url)
        add_families(self.world, self.world.group4, 15)
        with self.assertNumQueries(len(small.captured_queries)):
            self.assertEqual(client.get(url).json()["count"], 19)

    def test_it_is_not_found_for_a_teacher(self):
        self.assertEqual(self.api("teacher", "get", self.school("/pupils")).status_code, 404)


class TestSchoolGuardiansApi(ApiTestCase):
    def test_it_lists_guardians_with_status_and_children(self):
        body = self.api("office", "get", self.school("/guardians"), {"q": "SANNE"}).json()
        self.assertEqual(body["count"], 1)
        sanne = body["items"][0]
        self.assertEqual(sanne["invitation_status"], "not_invited")
        self.assertEqual({c["first_name"] for c in sanne["children"]}, {"Daan", "Eva"})

    def test_it_filters_by_status(self):
        body = self.api("office", "get", self.school("/guardians"), {"status": "invited"}).json()
        self.assertEqual(body["count"], 0)


class TestAddGuardianApi(ApiTestCase):
    def url(self):
        return self.school(f"/pupils/{self.world.child.public_id}/guardians")

    def test_it_adds_a_guardian_and_sends_the_invitation(self):
        data = {"email": "opa@example.test", "first_name": "Piet", "last_name": "Mulder", "relation": "other"}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api("office", "post", self.url(), {**data, "send_invitation": True})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["guardian"]["invitation_status"], "invited")
        self.assertTrue(Invitation.objects.filter(user__email="opa@example.test").exists())

    def test_it_refuses_bad_input_with_a_translated_message(self):
        data = {"email": "opa@", "first_name": "Piet", "last_name": "Mulder"}
        response = self.api("office", "post", self.url(), data)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"], "Voer een geldig e-mailadres in.")
        response = self.api("office", "post", self.url(), {**data, "email": "ouder2@example.test"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Daan Mulder", response.json()["detail"])
        response = self.api(
            "office", "post", self.url(), {**data, "email": "x@example.test", "relation": "uncle"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertFalse(User.objects.filter(email__in=["opa@", "x@example.test"]).exists())


class TestInviteGuardianApi(ApiTestCase):
    def test_it_sends_the_invitation(self):
        response = self.api(
            "office", "post", self.school(f"/guardians/{self.world.parent.public_id}/invitation")
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["email"], "ouder@example.test")

    def test_it_is_not_found_for_another_schools_guardian(self):
        path = self.school(f"/guardians/{self.world.other_board_parent.public_id}/invitation")
        self.assertEqual(self.api("office", "post", path).status_code, 404)


class TestMovePupilApi(ApiTestCase):
    def url(self):
        return self.school(f"/pupils/{self.world.child.public_id}/move")

    def test_it_moves_the_pupil(self):
        response = self.api("director", "post", self.url(), {"group_id": self.world.group4.public_id})
        self.assertEqual(response.json()["group"]["name"], "Groep 4")
        self.assertEqual(Enrolment.objects.get(pupil=self.world.child).group, self.world.group4)

    def test_it_is_not_found_for_a_class_of_another_school(self):
        response = self.api(
            "director", "post", self.url(), {"group_id": self.world.other_school_group.public_id}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Enrolment.objects.get(pupil=self.world.child).group, self.world.group3)


class TestSchoolGroupsApi(ApiTestCase):
    def test_it_lists_classes_with_counts_and_teachers(self):
        body = self.api("office", "get", self.school("/groups")).json()
        group3 = next(g for g in body if g["name"] == "Groep 3")
        self.assertEqual(group3["pupil_count"], 2)
        self.assertEqual({t["first_name"] for t in group3["teachers"]}, {"Anna", "Bram"})


class TestStaffApi(ApiTestCase):
    def test_it_lists_adds_and_removes_staff_roles(self):
        self.assertEqual(len(self.api("office", "get", self.school("/staff")).json()), 5)
        data = {"email": "nina@schakel.test", "first_name": "Nina", "last_name": "Bos", "role": "teacher"}
        response = self.api("office", "post", self.school("/staff"), data)
        self.assertEqual(response.status_code, 201)
        role_id = response.json()["public_id"]
        self.assertEqual(response.json()["user"]["invitation_status"], "invited")
        self.assertEqual(self.api("office", "delete", self.school(f"/staff/{role_id}")).status_code, 204)
        self.assertFalse(StaffRole.objects.filter(public_id=role_id).exists())

    def test_it_forbids_the_office_to_add_or_remove_a_director(self):
        data = {"email": "nina@schakel.test", "first_name": "Nina", "last_name": "Bos", "role": "director"}
        response = self.api("office", "post", self.school("/staff"), data)
        self.assertEqual(response.status_code, 403)
        role = self.world.director.staff_roles.get()
        response = self.api("office", "delete", self.school(f"/staff/{role.public_id}"))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(response.json()["detail"])

    def test_it_is_not_found_for_a_guardian(self):
        self.assertEqual(self.api("parent", "get", self.school("/staff")).status_code, 404)
        self.assertEqual(Guardianship.objects.count(), 7)
