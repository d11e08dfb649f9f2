"""The rollover's two faces: the wizard's pages (plain form POSTs) and the API, on the same actions."""

from core.testing import PersonaTestCase
from roster.models import Placement, Rollover
from roster.rollover_plan import first_monday_after
from roster.tests.clock import start_in_june
from schools.models import Enrolment, Group


class FacesCase(PersonaTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        start_in_june(self)
        self.base = f"/school/{w.school.public_id}/rollover/"
        self.api = f"/api/v1/schools/{w.school.public_id}/rollover"

    def new(self, name) -> Group:
        return Group.objects.get(school_year__rollover__isnull=False, name=name)


class TestWizardPages(FacesCase):
    def test_the_office_goes_through_every_step(self):
        w = self.world
        client = self.login("office")
        page = client.get(self.base)
        self.assertContains(page, 'data-testid="rollover-settings"')
        response = client.post(self.base, {"first_day": self.first_day.isoformat(), "months": "2"})
        self.assertRedirects(response, f"{self.base}groups/")
        rollover = Rollover.objects.get(school=w.school)
        w.school.refresh_from_db()
        self.assertEqual((rollover.to_year.starts_on, w.school.former_classes_months), (self.first_day, 2))

        groups = client.get(f"{self.base}groups/")
        self.assertContains(groups, 'data-testid="rollover-group"', count=3)
        client.post(f"{self.base}groups/", {"name": "Groep 5/6"})
        g4, g6, combi = self.new("Groep 4"), self.new("Groep 6"), self.new("Groep 5/6")
        client.post(f"{self.base}groups/{g6.public_id}/merge/", {"into": combi.public_id})
        self.assertFalse(Group.objects.filter(pk=g6.pk).exists())
        client.post(f"{self.base}groups/{combi.public_id}/rename/", {"name": "Groep 6/7"})
        split = client.get(f"{self.base}groups/{g4.public_id}/split/")
        self.assertContains(split, w.class_parent_child.full_name)
        response = client.post(
            f"{self.base}groups/{g4.public_id}/split/",
            {"name": "Groep 4b", "pupils": [w.class_parent_child.public_id]},
        )
        self.assertRedirects(response, f"{self.base}groups/")

        pupils = client.get(f"{self.base}pupils/")
        self.assertContains(pupils, 'data-testid="rollover-pupil"', count=4)
        self.assertContains(
            client.get(f"{self.base}pupils/?show=check"), 'data-testid="rollover-pupil"', count=2
        )
        prefix = w.child.public_id
        client.post(
            f"{self.base}pupils/{prefix}/",
            {f"{prefix}-group": self.new("Groep 3").public_id, f"{prefix}-grade": "3"},
        )
        kept = Placement.objects.get(pupil=w.child)
        self.assertEqual((kept.group.name, kept.grade, kept.chosen), ("Groep 3", 3, True))

        teachers = client.get(f"{self.base}teachers/")
        self.assertContains(teachers, 'data-testid="rollover-teachers"', count=4)
        g4b = self.new("Groep 4b")
        client.post(
            f"{self.base}groups/{g4b.public_id}/teachers/",
            {f"{g4b.public_id}-teachers": [w.other_teacher.public_id]},
        )
        self.assertEqual([t.teacher for t in g4b.teaching.all()], [w.other_teacher])

        confirm = client.get(f"{self.base}confirm/")
        self.assertContains(confirm, 'data-testid="rollover-apply"')
        response = client.post(f"{self.base}confirm/", follow=True)
        self.assertContains(response, "4")
        self.assertEqual(Enrolment.objects.filter(school_year=rollover.to_year).count(), 4)
        self.assertEqual(Enrolment.objects.get(pupil=w.child, school_year=rollover.to_year).grade, 3)

    def test_a_bad_first_day_is_refused_with_the_form_and_nothing_is_saved(self):
        response = self.login("director").post(self.base, {"first_day": self.june.isoformat(), "months": "3"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "moet in de toekomst liggen", status_code=400)
        self.assertFalse(Rollover.objects.exists())
        response = self.client.post(self.base, {"first_day": self.first_day.isoformat(), "months": "13"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Rollover.objects.exists())

    def test_a_duplicate_name_is_shown_and_the_class_not_added(self):
        self.login("office").post(self.base, {"first_day": self.first_day.isoformat(), "months": "3"})
        response = self.client.post(f"{self.base}groups/", {"name": "groep 3"})
        self.assertContains(response, "heeft al een groep", status_code=400)

    def test_the_steps_answer_404_before_the_year_is_opened_and_after_its_first_day(self):
        client = self.login("office")
        self.assertEqual(client.get(f"{self.base}pupils/").status_code, 404)
        client.post(self.base, {"first_day": self.first_day.isoformat(), "months": "3"})
        self.assertEqual(client.get(f"{self.base}pupils/").status_code, 200)
        self.clock.day = self.first_day
        self.assertEqual(client.get(f"{self.base}pupils/").status_code, 404)

    def test_the_pupils_page_has_a_fixed_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from core.testing import make_child

        client = self.login("office")
        client.post(self.base, {"first_day": self.first_day.isoformat(), "months": "3"})
        with CaptureQueriesContext(connection) as few:
            client.get(f"{self.base}pupils/")
        for n in range(5):
            make_child(self.world.school, self.world.group4, f"Kind{n}", "Extra")
        Rollover.objects.all().delete()
        Group.objects.filter(school_year__starts_on=self.first_day).delete()
        from schools.models import SchoolYear

        SchoolYear.objects.filter(starts_on=self.first_day).delete()
        client.post(self.base, {"first_day": self.first_day.isoformat(), "months": "3"})
        with CaptureQueriesContext(connection) as more:
            client.get(f"{self.base}pupils/")
        self.assertEqual(len(more), len(few))


class TestRolloverApi(FacesCase):
    def test_open_shape_place_and_apply_through_the_api(self):
        w = self.world
        client = self.login("director")
        opened = client.post(self.api, {"readable_months": 4}, content_type="application/json")
        self.assertEqual(opened.status_code, 201, opened.content)
        body = opened.json()
        self.assertEqual(body["first_day"], first_monday_after(w.year.ends_on).isoformat())
        self.assertEqual(body["readable_months"], 4)
        self.assertEqual([g["name"] for g in body["groups"]], ["Groep 3", "Groep 4", "Groep 6"])
        again = client.post(self.api, {}, content_type="application/json")
        self.assertEqual((again.status_code, again.json()["code"]), (422, "already_open"))

        moved = client.patch(
            self.api, {"first_day": self.first_day.isoformat()}, content_type="application/json"
        )
        self.assertEqual(moved.json()["first_day"], self.first_day.isoformat())
        added = client.post(f"{self.api}/groups", {"name": "Groep 5"}, content_type="application/json")
        self.assertEqual(added.status_code, 201)
        g5 = added.json()["id"]
        pupils = client.get(f"{self.api}/pupils").json()
        lars = next(p for p in pupils if p["pupil"]["id"] == w.outsider_child.public_id)
        self.assertTrue(lars["needs_check"])
        placed = client.put(
            f"{self.api}/pupils/{w.outsider_child.public_id}",
            {"group": g5, "grade": 5},
            content_type="application/json",
        )
        self.assertEqual((placed.json()["group_name"], placed.json()["chosen"]), ("Groep 5", True))
        bad = client.put(
            f"{self.api}/pupils/{w.outsider_child.public_id}",
            {"group": "nope", "grade": 5},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 422)
        teachers = client.put(
            f"{self.api}/groups/{g5}/teachers",
            {"teachers": [w.other_teacher.public_id]},
            content_type="application/json",
        )
        self.assertEqual([t["id"] for t in teachers.json()["teachers"]], [w.other_teacher.public_id])
        applied = client.post(f"{self.api}/apply")
        self.assertEqual(applied.json(), {"placed": 4, "moved": 0, "left": 0})
        self.assertEqual(client.post(f"{self.api}/apply").json(), {"placed": 0, "moved": 0, "left": 0})
        self.assertEqual(client.get(self.api).json()["applied_at"] is not None, True)

    def test_bad_input_is_422_and_saves_nothing(self):
        client = self.login("office")
        response = client.post(self.api, {"readable_months": 20}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Rollover.objects.exists())
        response = client.post(self.api, {"first_day": "morgen"}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(client.get(self.api).status_code, 404)
