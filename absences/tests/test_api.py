"""The absences API: the same access layer and actions as the pages, answered in JSON."""

from absences.models import Absence, AbsencePolicy
from absences.tests.helpers import make_absence, make_leave, weekday_ahead
from core.clock import school_today
from core.models import AuditEvent
from core.testing import PersonaTestCase


class ApiTestCase(PersonaTestCase):
    def api(self, persona, method, path, data=None):
        send = getattr(self.client_for(persona), method)
        if method == "get":
            return send(f"/api/v1/absences{path}", data or {})
        return send(f"/api/v1/absences{path}", data or {}, content_type="application/json")


class TestChildrenApi(ApiTestCase):
    def test_it_gives_each_child_with_the_school_phone_and_policy(self):
        AbsencePolicy.objects.create(school=self.world.school, sick_reports="app")
        children = self.api("parent", "get", "/children").json()
        self.assertEqual([c["child"]["first_name"] for c in children], ["Daan", "Eva"])
        self.assertEqual(children[0]["school_phone"], "071 123 45 67")
        self.assertEqual(children[0]["policy"]["sick_reports"], "app")
        self.assertEqual(children[0]["policy"]["sick_cutoff"], "08:30:00")


class TestReportAbsenceApi(ApiTestCase):
    def report(self, day, child=None, persona="parent", **extra):
        data = {"child_id": child or self.world.child.public_id, "kind": "dentist", "day": day.isoformat()}
        return self.api(persona, "post", "/", data | extra)

    def test_it_reports_and_lists(self):
        response = self.report(weekday_ahead(), from_time="09:00", until_time="10:00")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["from_time"], "09:00:00")
        self.assertEqual(len(self.api("co_parent", "get", "/").json()), 1)

    def test_it_refuses_today_with_the_phone_number_in_the_detail(self):
        response = self.report(school_today())
        self.assertEqual(response.status_code, 422)
        self.assertIn("071 123 45 67", response.json()["detail"])
        self.assertFalse(Absence.objects.exists())

    def test_it_answers_404_for_a_child_not_mine(self):
        response = self.report(weekday_ahead(), child=self.world.outsider_child.public_id)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Niet gevonden.", "code": "not_found"})


class TestChangeAbsenceApi(ApiTestCase):
    def test_it_changes_the_time(self):
        absence = make_absence(self.world)
        response = self.api(
            "co_parent",
            "patch",
            f"/{absence.public_id}",
            {
                "kind": "dentist",
                "day": absence.starts_on.isoformat(),
                "from_time": "13:00",
                "until_time": "14:00",
            },
        )
        self.assertEqual(response.status_code, 200, response.content)
        absence.refresh_from_db()
        self.assertEqual(absence.changed_by, self.world.co_parent)


class TestLeaveApi(ApiTestCase):
    def test_a_director_decides_and_the_parent_reads_it(self):
        leave = make_leave(self.world)
        decided = self.api(
            "director", "post", f"/leave/{leave.public_id}/decision", {"grant": False, "reason": "Geen grond"}
        )
        self.assertEqual(decided.json()["status"], "refused")
        seen = self.api("parent", "get", f"/leave/{leave.public_id}").json()
        self.assertEqual((seen["status"], seen["decision_reason"]), ("refused", "Geen grond"))

    def test_it_refuses_holiday_leave_asked_too_late(self):
        day = weekday_ahead(10).isoformat()
        data = {"child_id": self.world.child.public_id, "kind": "holiday", "starts_on": day, "ends_on": day}
        response = self.api("parent", "post", "/leave", data | {"reason": "Goedkopere vlucht"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("56", response.json()["detail"])


class TestOverviewApi(ApiTestCase):
    def test_it_lists_the_days_for_the_teacher(self):
        make_absence(self.world, day=weekday_ahead(0))
        days = self.api("teacher", "get", "/overview").json()["days"]
        self.assertEqual(len(days), 5)
        self.assertEqual(days[0]["absences"][0]["group"], "Groep 3")

    def test_it_is_a_404_for_a_parent(self):
        self.assertEqual(self.api("parent", "get", "/overview").status_code, 404)


class TestExportApi(ApiTestCase):
    def test_it_exports_csv_and_audits_it(self):
        make_absence(self.world, day=weekday_ahead(0))
        first, last = weekday_ahead(0), weekday_ahead(30)
        response = self.api("teacher", "get", "/export", {"first": first, "last": last})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Daan", response.content.decode())
        self.assertTrue(
            AuditEvent.objects.filter(action="absences.exported", actor=self.world.teacher).exists()
        )


class TestClosuresApi(ApiTestCase):
    def test_it_adds_and_refuses_a_closure_outside_the_year(self):
        path = f"/schools/{self.world.school.public_id}/closures"
        day = weekday_ahead(30).isoformat()
        ok = self.api(
            "office",
            "post",
            path,
            {"kind": "study_day", "name": "Studiedag", "starts_on": day, "ends_on": day},
        )
        self.assertEqual(ok.status_code, 201)
        bad = self.api(
            "office",
            "post",
            path,
            {"kind": "holiday", "name": "X", "starts_on": "2040-01-02", "ends_on": "2040-01-02"},
        )
        self.assertEqual(bad.status_code, 422)
        self.assertEqual([c["name"] for c in self.api("office", "get", path).json()], ["Studiedag"])
