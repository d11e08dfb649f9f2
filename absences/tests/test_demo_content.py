from django.test import TestCase

from absences.models import Absence, LeaveRequest, SchoolClosure
from absences.queries import absences_of_children, get_overview
from core.clock import school_today
from core.viewer import verified
from demo.personas import access_persona
from demo.seed import seed_demo


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=school_today())

    def test_it_gives_the_teacher_a_morning_overview_with_absences(self):
        overview = get_overview(verified(access_persona("teacher")))
        self.assertGreaterEqual(len(overview.days[0].absences), 2)
        self.assertTrue(any(day.absences for day in overview.days[1:]))
        self.assertEqual({a.group_name for day in overview.days for a in day.absences}, {"Groep 3"})

    def test_it_gives_the_director_a_pending_leave_request_and_the_office_the_whole_school(self):
        self.assertGreaterEqual(len(get_overview(verified(access_persona("director"))).pending_leave), 1)
        groups = {a.group_name for a in get_overview(verified(access_persona("office"))).days[0].absences}
        self.assertGreater(len(groups), 2)

    def test_it_gives_the_parent_a_dentist_visit_and_a_leave_request(self):
        parent = access_persona("parent")
        self.assertEqual([a.kind for a in absences_of_children(parent)], [Absence.Kind.DENTIST])
        self.assertTrue(LeaveRequest.objects.filter(requested_by=parent, status="pending").exists())

    def test_it_knows_the_holidays(self):
        names = set(SchoolClosure.objects.values_list("name", flat=True))
        self.assertIn("Kerstvakantie", names)
        self.assertIn("Studiedag rekenonderwijs", names)
