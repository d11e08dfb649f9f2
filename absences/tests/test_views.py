import datetime

from absences.models import Absence, AbsencePolicy, LeaveRequest, SchoolClosure
from absences.tests.helpers import make_absence, make_closure, make_leave, weekday_ahead
from core.clock import school_today
from core.models import AuditEvent
from core.testing import PersonaTestCase


class TestIndexView(PersonaTestCase):
    def test_it_shows_the_phone_rule_and_my_reports(self):
        make_absence(self.world, note="Orthodontist")
        make_absence(self.world, self.world.sibling)
        self.login("parent")
        with self.assertNumQueries(11):
            response = self.client.get("/absences/")
        self.assertContains(response, "071 123 45 67")
        self.assertContains(response, "8:30")
        self.assertContains(response, 'data-testid="absence"', count=2)
        self.assertNotContains(response, "/absences/sick/")

    def test_it_offers_sick_reports_when_the_school_takes_them_in_the_app(self):
        AbsencePolicy.objects.create(school=self.world.school, sick_reports="app")
        response = self.login("parent").get("/absences/")
        self.assertContains(response, "/absences/sick/")

    def test_it_links_the_schools_number_to_dial_without_spaces(self):
        # The world's school has "071 123 45 67"; a tel: address with spaces is not dialled on every phone.
        link = '<a href="tel:0711234567" rel="noopener nofollow">071 123 45 67</a>'
        self.assertContains(self.login("parent").get("/absences/"), link, html=False)
        AbsencePolicy.objects.create(school=self.world.school, sick_reports="app")
        self.assertContains(self.client.get("/absences/"), link, html=False)
        self.assertContains(self.client.get("/absences/sick/"), link, html=False)
        self.assertNotContains(self.client.get("/absences/"), 'href="tel:071 ', html=False)

    def test_it_shows_an_outsider_none_of_our_reports(self):
        make_absence(self.world)
        response = self.login("outsider").get("/absences/")
        self.assertNotContains(response, "Daan")


class TestReportNewView(PersonaTestCase):
    def post(self, day, child=None, **extra):
        data = {
            "child": child or self.world.child.public_id,
            "kind": "dentist",
            "day": day.isoformat(),
        } | extra
        return self.client.post("/absences/new/", data)

    def test_it_asks_for_the_child_first_and_chooses_an_only_child(self):
        form = self.login("parent").get("/absences/new/").context["form"]
        self.assertEqual(list(form.fields)[0], "child")
        from absences.forms import AbsenceForm

        only = AbsenceForm(children=[self.world.child])
        self.assertEqual(only.fields["child"].initial, self.world.child.public_id)

    def test_it_reports_a_dentist_visit(self):
        self.login("parent")
        day = weekday_ahead()
        self.client.get("/absences/new/")  # the session's first request also refreshes it
        # One of them asks whether the school offers the kind.
        with self.assertNumQueries(13):
            response = self.post(day, from_time="10:00", until_time="11:00", note="Tandarts")
        absence = Absence.objects.get(pupil=self.world.child)
        self.assertRedirects(response, f"/absences/{absence.public_id}/")
        self.assertEqual((absence.starts_on, absence.from_time), (day, datetime.time(10)))

    def test_it_refuses_today_with_the_phone_number(self):
        self.login("parent")
        response = self.post(school_today())
        self.assertContains(
            response, "Het is te laat om dit via de app te melden. Bel dan even met school: 071 123 45 67."
        )
        self.assertFalse(Absence.objects.exists())

    def test_it_refuses_a_child_that_is_not_mine(self):
        self.login("parent")
        response = self.post(weekday_ahead(), child=self.world.outsider_child.public_id)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Absence.objects.exists())

    def test_it_is_not_there_for_someone_without_children(self):
        self.assertEqual(self.login("teacher").get("/absences/new/").status_code, 404)


class TestAbsenceDetailView(PersonaTestCase):
    def test_it_shows_the_other_guardian_who_changed_it(self):
        absence = make_absence(self.world)
        self.login("parent").post(
            f"/absences/{absence.public_id}/change/",
            {"kind": "doctor", "day": absence.starts_on.isoformat(), "note": "Huisarts"},
        )
        response = self.login("co_parent").get(f"/absences/{absence.public_id}/")
        self.assertContains(response, 'data-testid="changed-by"')
        self.assertContains(response, "Sanne")

    def test_it_shows_the_class_teacher_without_the_change_form(self):
        absence = make_absence(self.world)
        response = self.login("teacher").get(f"/absences/{absence.public_id}/")
        self.assertContains(response, "Daan")
        self.assertNotContains(response, "/change/")

    def test_it_is_a_404_for_another_teacher(self):
        absence = make_absence(self.world)
        self.assertEqual(self.login("other_teacher").get(f"/absences/{absence.public_id}/").status_code, 404)


class TestAbsenceChangeView(PersonaTestCase):
    def test_it_keeps_the_report_when_the_change_is_refused(self):
        absence = make_absence(self.world)
        saturday = absence.starts_on + datetime.timedelta(days=5 - absence.starts_on.weekday())
        response = self.login("parent").post(
            f"/absences/{absence.public_id}/change/", {"kind": "doctor", "day": saturday.isoformat()}
        )
        self.assertEqual(response.status_code, 400)
        absence.refresh_from_db()
        self.assertEqual(absence.kind, "dentist")


class TestAbsenceWithdrawView(PersonaTestCase):
    def test_it_withdraws(self):
        absence = make_absence(self.world)
        response = self.login("co_parent").post(f"/absences/{absence.public_id}/withdraw/")
        self.assertRedirects(response, f"/absences/{absence.public_id}/")
        absence.refresh_from_db()
        self.assertIsNotNone(absence.withdrawn_at)


class TestOverviewView(PersonaTestCase):
    def setUp(self):
        self.day = weekday_ahead(0)
        make_absence(self.world, day=self.day, note="Tandarts")
        make_absence(self.world, self.world.sibling, day=self.day, kind="doctor")
        make_leave(self.world, self.world.class_parent_child)

    def test_it_shows_the_teacher_only_her_class(self):
        self.login("teacher")
        # The menu counts posts waiting for approval (the groups she runs: resolved once per request).
        with self.assertNumQueries(12):
            response = self.client.get("/absences/overview/")
        self.assertContains(response, 'data-testid="overview-absence"', count=1)
        self.assertContains(response, "Daan")
        self.assertNotRegex(response.content.decode(), r"\bEva\b")  # a word: htmx's "allowEval" is not her
        self.assertNotContains(response, 'data-testid="pending-leave"')

    def test_it_shows_the_office_the_whole_school_and_pending_leave(self):
        response = self.login("office").get("/absences/overview/")
        self.assertContains(response, 'data-testid="overview-absence"', count=2)
        self.assertContains(response, 'data-testid="pending-leave"', count=1)

    def test_it_shows_a_study_day(self):
        make_closure(self.world, first=self.day, name="Studiedag rekenen")
        response = self.login("teacher").get("/absences/overview/")
        self.assertContains(response, "Studiedag rekenen")

    def test_it_puts_today_on_the_teachers_home_page(self):
        response = self.login("teacher").get("/")
        self.assertContains(response, 'data-testid="absences-today"')
        self.assertNotContains(self.login("parent").get("/"), 'data-testid="absences-today"')


class TestExportView(PersonaTestCase):
    def test_it_exports_csv_and_audits_it(self):
        day = weekday_ahead(0)
        make_absence(self.world, day=day, note="Tandarts")
        make_leave(self.world, self.world.sibling, status="granted")
        last = day + datetime.timedelta(days=60)
        response = self.login("office").get("/absences/overview/export/", {"first": day, "last": last})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0].split(",")[:3], ["first_day", "last_day", "last_name"])
        self.assertIn("Mulder,Daan,Groep 3,dentist", lines[1])
        self.assertIn("leave:extraordinary", lines[2])
        audit = AuditEvent.objects.get(action="absences.exported")
        self.assertEqual((audit.actor, audit.data["rows"]), (self.world.office, 2))

    def test_it_refuses_a_period_back_to_front(self):
        day = weekday_ahead(0)
        response = self.login("office").get(
            "/absences/overview/export/", {"first": day, "last": day - datetime.timedelta(days=1)}
        )
        self.assertRedirects(response, "/absences/overview/")
        self.assertFalse(AuditEvent.objects.filter(action="absences.exported").exists())


class TestSchoolSettingsView(PersonaTestCase):
    def test_it_saves_the_policy_and_audits_it(self):
        self.login("director")
        data = {
            "lead_school_days": 2,
            "cutoff_hour": 12,
            "sick_reports": "app",
            "sick_cutoff": "08:15",
            "holiday_leave_days_ahead": 42,
        }
        response = self.client.post(f"/absences/school/{self.world.school.public_id}/", data)
        self.assertEqual(response.status_code, 302)
        policy = AbsencePolicy.objects.get(school=self.world.school)
        self.assertEqual((policy.lead_school_days, policy.sick_cutoff), (2, datetime.time(8, 15)))
        self.assertTrue(AuditEvent.objects.filter(action="absence_policy.updated").exists())


class TestClosureAddView(PersonaTestCase):
    def test_it_adds_a_study_day_that_refuses_reports(self):
        day = weekday_ahead(21)
        self.login("office").post(
            f"/absences/school/{self.world.school.public_id}/closures/",
            {"kind": "study_day", "name": "Studiedag", "starts_on": day, "ends_on": day},
        )
        self.assertTrue(SchoolClosure.objects.filter(school=self.world.school, starts_on=day).exists())
        response = self.login("parent").post(
            "/absences/new/", {"child": self.world.child.public_id, "kind": "dentist", "day": day}
        )
        self.assertContains(response, "Studiedag")
        self.assertFalse(Absence.objects.exists())

    def test_it_refuses_days_outside_the_school_years(self):
        self.login("office").post(
            f"/absences/school/{self.world.school.public_id}/closures/",
            {"kind": "holiday", "name": "Ver weg", "starts_on": "2040-01-02", "ends_on": "2040-01-03"},
        )
        self.assertFalse(SchoolClosure.objects.exists())


class TestLeaveDecideView(PersonaTestCase):
    def test_it_records_the_decision_the_parent_then_sees(self):
        leave = make_leave(self.world)
        self.login("director").post(
            f"/absences/leave/{leave.public_id}/decide/", {"decision": "grant", "reason": "Eenmalig akkoord"}
        )
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.GRANTED)
        response = self.login("co_parent").get(f"/absences/leave/{leave.public_id}/")
        self.assertContains(response, "Eenmalig akkoord")

    def test_it_is_a_404_for_the_office(self):
        leave = make_leave(self.world)
        response = self.login("office").post(
            f"/absences/leave/{leave.public_id}/decide/", {"decision": "grant", "reason": "x"}
        )
        self.assertEqual(response.status_code, 404)


class TestAbsenceRecoveredView(PersonaTestCase):
    def test_the_office_closes_a_sick_report_after_a_call(self):
        absence = make_absence(self.world, day=school_today(), kind="sick")
        response = self.login("office").post(f"/absences/{absence.public_id}/recovered/")
        self.assertRedirects(response, f"/absences/{absence.public_id}/")
        absence.refresh_from_db()
        self.assertIsNotNone(absence.ends_on)


class TestSickCallView(PersonaTestCase):
    def test_it_offers_the_office_the_pupils_of_the_school(self):
        response = self.login("office").get("/absences/overview/")
        self.assertContains(response, "Daan Mulder · Groep 3")

    def test_it_is_a_404_for_a_teacher(self):
        response = self.login("teacher").post(
            "/absences/overview/sick-call/", {"pupil": self.world.child.public_id}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Absence.objects.exists())
