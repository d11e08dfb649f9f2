"""The school-year rollover: the proposal, the office's changes, apply, and the switch on the first day."""

import datetime

from django.test import SimpleTestCase

from core.models import AuditEvent
from core.refusals import Invalid
from core.testing import PersonaTestCase, make_child, make_user
from core.viewer import verified
from roster.models import Placement
from roster.rollover import (
    check_add_group,
    check_apply_rollover,
    check_assign_teachers,
    check_change_settings,
    check_merge_groups,
    check_open_next_year,
    check_place_pupil,
    check_rename_group,
    check_split_group,
    open_rollover_of,
    suggested_first_day,
)
from roster.rollover_plan import default_first_day, first_monday_after, grades_in_name, propose
from roster.tests.clock import start_in_june
from schools.models import Enrolment, Group, SchoolYear
from schools.queries import (
    class_parent_groups_of,
    current_enrolments,
    enrolled_now,
    groups_followed_by,
    groups_staffed_by,
    groups_taught_by,
    groups_visible_to,
    past_classes,
    pupils_of_group,
)


class TestProposal(SimpleTestCase):
    groups = {
        1: "Groep 1/2",
        2: "Groep 3a",
        3: "Groep 3b",
        4: "Groep 4",
        5: "Groep 4/5",
        6: "Vlinders",
        7: "Groep 8",
    }

    def test_it_reads_grades_from_a_class_name(self):
        self.assertEqual(grades_in_name("Groep 5/6"), {5, 6})
        self.assertEqual(grades_in_name("Groep 1-2b"), {1, 2})
        self.assertEqual(grades_in_name("De Vlinders"), set())

    def test_a_pupil_moves_to_the_class_of_the_next_grade(self):
        self.assertEqual(propose(grade=3, group_name="Groep 3a", new_groups=self.groups).group_id, 4)
        self.assertEqual(propose(grade=None, group_name="Groep 3b", new_groups=self.groups).grade, 4)

    def test_a_combination_class_keeps_the_pupils_whose_next_grade_it_teaches(self):
        self.assertEqual(propose(grade=1, group_name="Groep 1/2", new_groups=self.groups).group_id, 1)
        self.assertEqual(propose(grade=2, group_name="Groep 1/2", new_groups=self.groups).group_id, 2)
        self.assertEqual(propose(grade=4, group_name="Groep 4/5", new_groups=self.groups).group_id, 5)

    def test_parallel_classes_keep_their_letter(self):
        groups = {1: "Groep 4a", 2: "Groep 4b"}
        self.assertEqual(propose(grade=3, group_name="Groep 3b", new_groups=groups).group_id, 2)

    def test_groep_8_leaves(self):
        proposal = propose(grade=8, group_name="Groep 8", new_groups=self.groups)
        self.assertEqual((proposal.group_id, proposal.grade, proposal.needs_check), (None, None, False))

    def test_an_unknown_grade_stays_put_and_asks_the_office(self):
        proposal = propose(grade=None, group_name="Groep 4/5", new_groups=self.groups)
        self.assertEqual((proposal.group_id, proposal.needs_check), (5, True))

    def test_a_class_named_without_digits_keeps_its_pupils_until_a_class_teaches_their_grade(self):
        self.assertEqual(propose(grade=1, group_name="Vlinders", new_groups=self.groups).group_id, 1)
        self.assertEqual(propose(grade=1, group_name="Vlinders", new_groups={6: "Vlinders"}).group_id, 6)

    def test_the_first_day_is_the_first_monday_after_the_summer_holiday(self):
        end = datetime.date(2027, 7, 31)
        summer = (datetime.date(2027, 7, 17), datetime.date(2027, 8, 29))
        autumn = (datetime.date(2027, 10, 16), datetime.date(2027, 10, 24))
        self.assertEqual(
            default_first_day(year_ends_on=end, holidays=[autumn, summer]), datetime.date(2027, 8, 30)
        )
        self.assertEqual(default_first_day(year_ends_on=end, holidays=[]), datetime.date(2027, 8, 2))


class RolloverCase(PersonaTestCase):
    """Clock in June of this school year; the next begins on the first Monday three weeks after it ends."""

    def setUp(self):
        super().setUp()
        w = self.world
        start_in_june(self)
        self.group8 = Group.objects.create(school=w.school, school_year=w.year, name="Groep 8")
        self.leaver_parent = make_user("finn@example.test", "Ilse", "de Boer")
        self.leaver = make_child(w.school, self.group8, "Finn", "de Boer", self.leaver_parent)

    def open(self, **extra):
        return check_open_next_year(
            acting_user=self.world.director, school=self.world.school, first_day=self.first_day, **extra
        )

    def new(self, rollover, name) -> Group:
        return Group.objects.get(school_year=rollover.to_year, name=name)

    def placement(self, rollover, pupil) -> Placement:
        return Placement.objects.select_related("group").get(rollover=rollover, pupil=pupil)


class TestOpen(RolloverCase):
    def test_it_copies_the_classes_and_teachers_and_proposes_a_place_per_pupil(self):
        w = self.world
        rollover = self.open()
        year = rollover.to_year
        self.assertEqual(
            (year.name, year.starts_on), (f"{self.first_day.year}-{self.first_day.year + 1}", self.first_day)
        )
        self.assertEqual(
            sorted(Group.objects.filter(school_year=year).values_list("name", flat=True)),
            ["Groep 3", "Groep 4", "Groep 6", "Groep 8"],
        )
        self.assertEqual(
            {t.teacher for t in self.new(rollover, "Groep 3").teaching.all()}, {w.teacher, w.duo_teacher}
        )
        self.assertEqual(self.placement(rollover, w.child).group, self.new(rollover, "Groep 4"))
        self.assertEqual(self.placement(rollover, w.child).grade, 4)
        self.assertIsNone(self.placement(rollover, self.leaver).group)
        lars = self.placement(
            rollover, w.outsider_child
        )  # groep 5 has no class next year: the office decides
        self.assertEqual((lars.group, lars.needs_check), (self.new(rollover, "Groep 4"), True))
        self.assertTrue(AuditEvent.objects.filter(action="rollover.opened", school=w.school).exists())

    def test_nothing_changes_for_anyone_before_the_first_day(self):
        w = self.world
        before = set(groups_visible_to(w.parent).values_list("id", flat=True))
        rollover = self.open()
        check_apply_rollover(acting_user=w.office, rollover=rollover)
        self.assertEqual(set(groups_visible_to(w.parent).values_list("id", flat=True)), before)
        self.assertEqual(list(groups_taught_by(verified(w.teacher))), [w.group3])

    def test_it_proposes_the_first_monday_after_the_summer_holiday_recorded_by_the_school(self):
        from absences.models import SchoolClosure

        w = self.world
        SchoolClosure.objects.create(
            school=w.school,
            school_year=w.year,
            name="Zomervakantie",
            starts_on=w.year.ends_on - datetime.timedelta(days=14),
            ends_on=w.year.ends_on,
        )
        self.assertEqual(suggested_first_day(w.school), first_monday_after(w.year.ends_on))
        rollover = check_open_next_year(acting_user=w.director, school=w.school)
        self.assertEqual(rollover.to_year.starts_on, first_monday_after(w.year.ends_on))

    def test_it_refuses_a_second_opening_and_a_first_day_in_the_past(self):
        with self.assertRaises(Invalid):
            check_open_next_year(
                acting_user=self.world.director, school=self.world.school, first_day=self.june
            )
        self.open()
        with self.assertRaises(Invalid) as refused:
            self.open()
        self.assertEqual(refused.exception.code, "already_open")

    def test_it_refuses_more_than_twelve_months(self):
        with self.assertRaises(Invalid):
            self.open(months=13)
        self.assertFalse(
            SchoolYear.objects.filter(school=self.world.school, starts_on=self.first_day).exists()
        )


class TestShapeAndPlace(RolloverCase):
    def test_the_office_renames_adds_merges_and_splits_classes(self):
        w = self.world
        rollover = self.open()
        g4, g6 = self.new(rollover, "Groep 4"), self.new(rollover, "Groep 6")
        check_rename_group(acting_user=w.office, rollover=rollover, group=g4, name="Groep 4/5")
        with self.assertRaises(Invalid):
            check_rename_group(acting_user=w.office, rollover=rollover, group=g6, name="groep 4/5")
        combi = check_add_group(acting_user=w.office, rollover=rollover, name="Groep 6/7")
        check_merge_groups(acting_user=w.office, rollover=rollover, group=g6, into=combi)
        self.assertFalse(Group.objects.filter(pk=g6.pk).exists())
        self.assertEqual(self.placement(rollover, w.sibling).group, combi)
        self.assertEqual([t.teacher for t in combi.teaching.all()], [w.other_teacher])
        new = check_split_group(
            acting_user=w.office,
            rollover=rollover,
            group=g4,
            name="Groep 4b",
            pupil_ids=[w.class_parent_child.public_id],
        )
        self.assertEqual(self.placement(rollover, w.class_parent_child).group, new)
        self.assertEqual(self.placement(rollover, w.child).group, g4)
        with self.assertRaises(Invalid):  # a pupil not placed in that class
            check_split_group(
                acting_user=w.office,
                rollover=rollover,
                group=g4,
                name="Groep 4c",
                pupil_ids=[w.sibling.public_id],
            )

    def test_the_office_keeps_a_pupil_back_moves_them_or_lets_them_leave(self):
        w = self.world
        rollover = self.open()
        g3 = self.new(rollover, "Groep 3")
        kept = check_place_pupil(
            acting_user=w.office,
            rollover=rollover,
            placement=self.placement(rollover, w.child),
            group=g3,
            grade=3,
        )
        self.assertEqual((kept.group, kept.grade, kept.chosen), (g3, 3, True))
        gone = check_place_pupil(
            acting_user=w.office,
            rollover=rollover,
            placement=self.placement(rollover, w.sibling),
            group=None,
            grade=7,
        )
        self.assertEqual((gone.group, gone.grade), (None, None))
        with self.assertRaises(Invalid):
            check_place_pupil(acting_user=w.office, rollover=rollover, placement=kept, group=g3, grade=9)

    def test_teachers_are_assigned_to_the_new_classes(self):
        w = self.world
        rollover = self.open()
        g3 = self.new(rollover, "Groep 3")
        check_assign_teachers(
            acting_user=w.office, rollover=rollover, group=g3, teacher_ids=[w.other_teacher.public_id]
        )
        self.assertEqual([t.teacher for t in g3.teaching.all()], [w.other_teacher])
        with self.assertRaises(Invalid):  # a parent is not a teacher of the school
            check_assign_teachers(
                acting_user=w.office, rollover=rollover, group=g3, teacher_ids=[w.parent.public_id]
            )

    def test_nothing_is_changed_after_the_first_day(self):
        rollover = self.open()
        self.clock.day = self.first_day
        self.assertIsNone(open_rollover_of(self.world.school))
        with self.assertRaises(Invalid):
            check_add_group(acting_user=self.world.office, rollover=rollover, name="Groep 9")


class TestApplyAndSwitch(RolloverCase):
    def test_applying_is_idempotent_and_audited(self):
        w = self.world
        rollover = self.open()
        first = check_apply_rollover(acting_user=w.office, rollover=rollover)
        self.assertEqual(first, {"placed": 4, "moved": 0, "left": 1})
        self.assertEqual(
            check_apply_rollover(acting_user=w.office, rollover=rollover),
            {"placed": 0, "moved": 0, "left": 0},
        )
        self.assertEqual(AuditEvent.objects.filter(action="rollover.applied").count(), 1)
        self.assertEqual(Enrolment.objects.get(pupil=self.leaver, school_year=w.year).left_on, self.first_day)
        # The office changes its mind before the first day: applying again writes only that.
        check_place_pupil(
            acting_user=w.office,
            rollover=rollover,
            placement=self.placement(rollover, self.leaver),
            group=self.new(rollover, "Groep 8"),
            grade=8,
        )
        self.assertEqual(
            check_apply_rollover(acting_user=w.office, rollover=rollover),
            {"placed": 1, "moved": 1, "left": 0},
        )
        self.assertIsNone(Enrolment.objects.get(pupil=self.leaver, school_year=w.year).left_on)

    def test_on_the_first_day_every_membership_switches_at_once(self):
        w = self.world
        rollover = self.open()
        check_apply_rollover(acting_user=w.office, rollover=rollover)
        new3, new4 = self.new(rollover, "Groep 3"), self.new(rollover, "Groep 4")
        self.clock.day = self.first_day - datetime.timedelta(days=1)
        self.assertEqual(current_enrolments().get(pupil=w.child).group, w.group3)
        self.assertIn(w.group3, groups_visible_to(w.parent))
        self.assertEqual(list(class_parent_groups_of(w.class_parent)), [w.group3])
        self.assertEqual(list(groups_staffed_by(verified(w.teacher))), [w.group3])
        self.assertTrue(enrolled_now().filter(pupil=self.leaver).exists())

        self.clock.day = self.first_day
        self.assertEqual(current_enrolments().get(pupil=w.child).group, new4)
        self.assertEqual(set(pupils_of_group(new4)), {w.child, w.class_parent_child, w.outsider_child})
        parent_groups = set(groups_visible_to(w.parent))
        self.assertIn(new4, parent_groups)
        self.assertEqual(list(groups_staffed_by(verified(w.teacher))), [new3])
        self.assertEqual(
            list(class_parent_groups_of(w.class_parent)), []
        )  # last year's role ends with the year
        self.assertFalse(enrolled_now().filter(pupil=self.leaver).exists())
        self.assertFalse(current_enrolments().filter(pupil=self.leaver).exists())
        office = verified(w.office)
        self.assertEqual(
            set(groups_followed_by(office).filter(kind="class").values_list("name", flat=True)),
            {"Groep 3", "Groep 4", "Groep 6", "Groep 8"},
        )
        self.assertFalse(groups_followed_by(office).filter(school_year=w.year).exists())
        # Last year's classes stay for staff to read, as an archive, and are read-only for everyone.
        last_year = set(Group.objects.filter(school_year=w.year, kind="class"))
        self.assertEqual(set(groups_visible_to(office).filter(school_year=w.year)), last_year)
        self.assertEqual(set(past_classes().filter(school_year=w.year)), last_year)
        self.assertEqual(set(groups_visible_to(verified(w.teacher)).filter(school_year=w.year)), {w.group3})
        self.assertEqual(list(groups_taught_by(verified(w.teacher))), [new3])

    def test_last_years_class_stays_readable_for_its_parents_for_the_schools_months(self):
        w = self.world
        rollover = self.open()
        check_apply_rollover(acting_user=w.office, rollover=rollover)
        self.clock.day = self.first_day + datetime.timedelta(days=60)
        self.assertIn(w.group3, groups_visible_to(w.parent))
        self.assertIn(self.group8, groups_visible_to(self.leaver_parent))  # groep 8 left on the first day
        self.assertNotIn(w.group3, groups_staffed_by(verified(w.teacher)))
        self.clock.day = self.first_day + datetime.timedelta(days=95)
        self.assertNotIn(w.group3, groups_visible_to(w.parent))
        self.assertNotIn(self.group8, groups_visible_to(self.leaver_parent))
        self.assertEqual({g.school_year for g in groups_visible_to(self.leaver_parent)}, set())

    def test_zero_months_makes_last_year_staff_only_at_once(self):
        w = self.world
        rollover = self.open(months=0)
        check_apply_rollover(acting_user=w.office, rollover=rollover)
        self.clock.day = self.first_day
        self.assertNotIn(w.group3, groups_visible_to(w.parent))

    def test_a_pupil_who_left_during_the_year_does_not_bring_last_years_class_back(self):
        w = self.world
        Enrolment.objects.filter(pupil=w.outsider_child).update(left_on=self.june)
        rollover = self.open()
        check_apply_rollover(acting_user=w.office, rollover=rollover)
        self.clock.day = self.first_day + datetime.timedelta(days=7)
        self.assertFalse(groups_visible_to(w.outsider).exists())

    def test_moving_the_first_day_moves_the_leavers_day(self):
        w = self.world
        rollover = self.open()
        check_apply_rollover(acting_user=w.office, rollover=rollover)
        later = self.first_day + datetime.timedelta(days=7)
        check_change_settings(acting_user=w.director, rollover=rollover, first_day=later, months=2)
        self.assertEqual(Enrolment.objects.get(pupil=self.leaver, school_year=w.year).left_on, later)
        w.school.refresh_from_db()
        self.assertEqual(w.school.former_classes_months, 2)
        self.clock.day = self.first_day
        self.assertEqual(current_enrolments().get(pupil=w.child).group, w.group3)
        self.clock.day = later
        self.assertEqual(current_enrolments().get(pupil=w.child).group, self.new(rollover, "Groep 4"))
