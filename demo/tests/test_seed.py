import datetime
from collections import Counter

from django.db import transaction
from django.db.models import Count
from django.test import TestCase

from accounts.models import User
from accounts.queries import with_invitation_status
from demo.personas import PERSONAS, access_persona
from demo.seed import BOARD_NAME, DEMO_PASSWORD, DemoSeeder, seed_demo
from schools.models import (
    Board,
    ClassParent,
    Enrolment,
    Group,
    Guardianship,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    TeachingAssignment,
)
from schools.queries import children_of, class_parent_groups_of, current_enrolments

TODAY = datetime.date(2026, 11, 20)


def counts() -> dict[str, int]:
    models = [Board, School, SchoolYear, Group, Pupil, Enrolment, Guardianship, StaffRole, User]
    return {model.__name__: model.objects.count() for model in models}


class TestSeedDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = seed_demo(today=TODAY, with_content=False)
        cls.schakel = School.objects.get(name="De Schakel")
        cls.regenboog = School.objects.get(name="De Regenboog")

    def current_classes(self, school):
        return Group.objects.filter(school=school, kind=Group.Kind.CLASS, school_year__name="2026-2027")

    def guardians_of(self, school):
        return User.objects.filter(guardianships__pupil__school=school).distinct()

    def test_it_builds_the_board_with_two_schools(self):
        board = Board.objects.get(name=BOARD_NAME)
        self.assertEqual(
            sorted(board.schools.values_list("name", "city")),
            [("De Regenboog", "Leiden"), ("De Schakel", "Rijnsburg")],
        )
        self.assertEqual(self.schakel.phone, "071 402 13 37")

    def test_it_gives_de_schakel_about_220_pupils_in_9_to_10_classes(self):
        classes = self.current_classes(self.schakel)
        pupils = Enrolment.objects.filter(group__in=classes).values("pupil").distinct().count()
        self.assertTrue(200 <= pupils <= 240, pupils)
        self.assertTrue(9 <= classes.count() <= 10)
        names = set(classes.values_list("name", flat=True))
        self.assertTrue({"Groep 1/2a", "Groep 1/2b", "Groep 3", "Groep 5", "Groep 6", "Groep 5/6"} <= names)
        self.assertEqual(Group.objects.filter(school=self.schakel, kind=Group.Kind.SCHOOL).count(), 1)
        self.assertEqual(self.result.pupils, pupils)

    def test_it_gives_de_regenboog_about_40_pupils_and_its_own_staff(self):
        classes = self.current_classes(self.regenboog)
        self.assertEqual(classes.count(), 3)
        pupils = Enrolment.objects.filter(group__in=classes).count()
        self.assertTrue(35 <= pupils <= 45, pupils)
        regenboog_staff = set(StaffRole.objects.filter(school=self.regenboog).values_list("user", flat=True))
        schakel_staff = set(StaffRole.objects.filter(school=self.schakel).values_list("user", flat=True))
        self.assertTrue(regenboog_staff)
        self.assertFalse(regenboog_staff & schakel_staff)

    def test_it_has_350_to_420_guardians_with_1_to_4_per_pupil(self):
        guardians = self.guardians_of(self.schakel).count()
        self.assertTrue(350 <= guardians <= 420, guardians)
        per_pupil = Counter(
            Pupil.objects.filter(school=self.schakel)
            .annotate(n=Count("guardianships"))
            .values_list("n", flat=True)
        )
        self.assertEqual(set(per_pupil), {1, 2, 3, 4})
        self.assertEqual(per_pupil.most_common(1)[0][0], 2)

    def test_it_has_12_to_16_staff_all_with_a_confirmed_device(self):
        staff = User.objects.filter(staff_roles__school=self.schakel).distinct()
        self.assertTrue(12 <= staff.count() <= 16, staff.count())
        roles = Counter(StaffRole.objects.filter(school=self.schakel).values_list("role", flat=True))
        self.assertEqual(roles[StaffRole.Role.DIRECTOR], 1)
        self.assertEqual(roles[StaffRole.Role.OFFICE], 1)
        all_staff = User.objects.filter(staff_roles__isnull=False).distinct()
        with_device = all_staff.filter(totpdevice__confirmed=True).distinct()
        self.assertEqual(with_device.count(), all_staff.count())

    def test_it_gives_every_current_class_a_teacher_and_some_a_duo(self):
        classes = self.current_classes(self.schakel).annotate(teachers=Count("teaching"))
        self.assertTrue(all(group.teachers >= 1 for group in classes))
        self.assertGreaterEqual(sum(group.teachers == 2 for group in classes), 2)

    def test_it_keeps_last_years_classes_for_history(self):
        last_year = SchoolYear.objects.get(school=self.schakel, name="2025-2026")
        enrolled = Enrolment.objects.filter(school_year=last_year)
        self.assertGreater(enrolled.count(), 150)
        # Who was in last year's Groep 3 is in Groep 4 now.
        moved_on = Enrolment.objects.filter(
            school_year__name="2026-2027",
            pupil__in=enrolled.filter(group__name="Groep 3").values("pupil"),
        )
        self.assertEqual(set(moved_on.values_list("group__name", flat=True)), {"Groep 4"})
        self.assertTrue(TeachingAssignment.objects.filter(group__school_year=last_year).exists())

    def test_it_has_divorced_parents_in_two_households(self):
        """A father with a child of a new partner that the child's mother has nothing to do with."""
        found = []
        for pupil in Pupil.objects.filter(school=self.schakel).prefetch_related("guardianships"):
            relations = {g.relation: g.guardian_id for g in pupil.guardianships.all()}
            mother, father = relations.get("mother"), relations.get("father")
            if mother and father:
                fathers_children = set(
                    Guardianship.objects.filter(guardian_id=father).values_list("pupil", flat=True)
                )
                mothers_children = set(
                    Guardianship.objects.filter(guardian_id=mother).values_list("pupil", flat=True)
                )
                if fathers_children - mothers_children:
                    found.append(pupil)
        self.assertTrue(found)
        self.assertTrue(Guardianship.objects.filter(relation=Guardianship.Relation.OTHER).exists())

    def test_it_has_siblings_across_groups(self):
        guardians = (
            current_enrolments()
            .filter(group__school=self.schakel)
            .values("pupil__guardianships__guardian")
            .annotate(groups=Count("group", distinct=True))
            .filter(groups__gte=2)
        )
        self.assertGreater(guardians.count(), 10)

    def test_it_has_a_family_with_children_at_both_schools(self):
        both = self.guardians_of(self.schakel).filter(id__in=self.guardians_of(self.regenboog).values("id"))
        self.assertTrue(both.exists())

    def test_it_has_teachers_who_are_parents_too(self):
        self.assertGreaterEqual(
            User.objects.filter(staff_roles__role="teacher", guardianships__isnull=False).distinct().count(),
            2,
        )

    def test_it_gives_the_personas_what_the_demo_promises(self):
        teacher = access_persona("teacher")
        group3 = Group.objects.get(teaching__teacher=teacher, school_year__name="2026-2027")
        self.assertEqual(group3.name, "Groep 3")
        self.assertEqual(group3.teaching.count(), 2)  # a duo

        parent = access_persona("parent")
        groups = (
            current_enrolments().filter(pupil__in=children_of(parent)).values_list("group__name", flat=True)
        )
        self.assertEqual(sorted(groups), ["Groep 3", "Groep 6"])

        classparent = access_persona("classparent")
        self.assertEqual([g.name for g in class_parent_groups_of(classparent)], ["Groep 5"])
        self.assertTrue(StaffRole.objects.filter(user=access_persona("director"), role="director").exists())
        self.assertTrue(StaffRole.objects.filter(user=access_persona("office"), role="office").exists())

    def test_it_has_class_parents_in_every_class(self):
        classes = self.current_classes(self.schakel)
        with_class_parent = ClassParent.objects.filter(group__in=classes).values("group").distinct()
        self.assertEqual(with_class_parent.count(), classes.count())

    def test_it_activates_everyone_with_the_demo_password_but_ten_guardians(self):
        statuses = Counter(
            with_invitation_status(User.objects.all()).values_list("invitation_status", flat=True)
        )
        self.assertEqual(statuses["not_invited"] + statuses["invited"] + statuses["expired"], 10)
        self.assertTrue(statuses["not_invited"] and statuses["invited"] and statuses["expired"])
        for persona in PERSONAS:
            self.assertTrue(access_persona(persona).check_password(DEMO_PASSWORD), persona)
        waiting = User.objects.filter(activated_at__isnull=True)
        self.assertFalse(any(user.has_usable_password() for user in waiting))

    def test_it_gives_everyone_a_unique_realistic_email(self):
        emails = list(User.objects.values_list("email", flat=True))
        self.assertEqual(len(emails), len(set(emails)))
        self.assertTrue(all(email.isascii() and "@" in email for email in emails))
        self.assertTrue(User.objects.filter(last_name__startswith="van ").exists())
        self.assertTrue(User.objects.filter(last_name="Yılmaz").exists())

    def test_it_changes_nothing_on_a_second_run(self):
        before = counts()
        again = seed_demo(today=TODAY, with_content=False)
        self.assertFalse(again.created)
        self.assertEqual(counts(), before)

    def test_it_is_deterministic(self):
        def people() -> tuple[list, list]:
            pupils = Pupil.objects.order_by("id", "enrolments__group__name").values_list(
                "first_name", "last_name", "enrolments__group__name"
            )
            return list(pupils), list(
                User.objects.order_by("id").values_list("email", "first_name", "last_name")
            )

        def people_of_a_fresh_seed() -> tuple[list, list]:
            with transaction.atomic():
                sid = transaction.savepoint_create()
                User.objects.all().delete()
                School.objects.all().delete()
                Board.objects.all().delete()
                DemoSeeder(TODAY).run()
                seeded = people()
                transaction.savepoint_rollback(sid)
            return seeded

        first = people()
        self.assertGreater(len(first[0]), 200)
        self.assertEqual(people_of_a_fresh_seed(), first)


class TestSeedSchoolYears(TestCase):
    def test_it_starts_the_school_year_on_august_first(self):
        seed_demo(today=datetime.date(2027, 8, 1), with_content=False)
        names = set(SchoolYear.objects.filter(school__name="De Schakel").values_list("name", flat=True))
        self.assertEqual(names, {"2027-2028", "2026-2027"})

    def test_it_keeps_the_old_year_until_july_31(self):
        seed_demo(today=datetime.date(2027, 7, 31), with_content=False)
        names = set(SchoolYear.objects.filter(school__name="De Schakel").values_list("name", flat=True))
        self.assertEqual(names, {"2026-2027", "2025-2026"})
