from core.models import AuditEvent
from core.testing import PersonaTestCase
from schools.models import ClassParent, Group, TeachingAssignment
from schools.tests.helpers import add_families, admin_url


class TestAdminGroupsView(PersonaTestCase):
    def test_it_lists_this_years_classes_with_pupil_counts_and_teachers(self):
        response = self.login("office").get(admin_url(self.world, "groups/"))
        classes = {group.name: group for group in response.context["classes"]}
        self.assertEqual(set(classes), {"Groep 3", "Groep 4", "Groep 6"})
        self.assertEqual(classes["Groep 3"].pupil_count, 2)
        self.assertContains(response, "Anna Jansen, Bram Smit")

    def test_it_creates_a_class_in_the_current_year(self):
        response = self.login("office").post(admin_url(self.world, "groups/"), {"name": " Groep 5/6 "})
        self.assertRedirects(response, admin_url(self.world, "groups/"))
        group = Group.objects.get(name="Groep 5/6")
        self.assertEqual(group.school_year, self.world.year)
        self.assertTrue(AuditEvent.objects.filter(action="group.created", object_id=group.public_id).exists())

    def test_it_refuses_a_duplicate_or_empty_name(self):
        self.login("office")
        response = self.client.post(admin_url(self.world, "groups/"), {"name": "groep 3"})
        self.assertContains(response, "Er is dit schooljaar al een groep")
        response = self.client.post(admin_url(self.world, "groups/"), {"name": "  "})
        self.assertTrue(response.context["form"].errors["name"])
        self.assertEqual(Group.objects.filter(name__iexact="groep 3").count(), 1)

    def test_it_keeps_the_same_query_count_however_many_pupils(self):
        self.login("office")
        url = admin_url(self.world, "groups/")
        self.client.get(url)
        # The menu counts posts waiting for approval (the groups she runs: resolved once per request).
        with self.assertNumQueries(10) as small:
            self.client.get(url)
        add_families(self.world, self.world.group4, 5)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(url)

    def test_it_is_not_found_for_a_teacher(self):
        self.assertEqual(self.client_for("teacher").get(admin_url(self.world, "groups/")).status_code, 404)


class TestAdminTeacherAddView(PersonaTestCase):
    def url(self, group):
        return admin_url(self.world, f"groups/{group.public_id}/teachers/")

    def test_it_adds_a_duo_teacher(self):
        self.login("office")
        self.client.post(self.url(self.world.group6), {"person": self.world.teacher.public_id})
        self.assertEqual(
            set(
                TeachingAssignment.objects.filter(group=self.world.group6).values_list(
                    "teacher__first_name", flat=True
                )
            ),
            {"Carla", "Anna"},
        )

    def test_it_refuses_someone_who_is_not_a_teacher_or_already_teaches(self):
        self.login("office")
        response = self.client.post(
            self.url(self.world.group6), {"person": self.world.parent.public_id}, follow=True
        )
        self.assertContains(response, "message error")
        response = self.client.post(
            self.url(self.world.group3), {"person": self.world.teacher.public_id}, follow=True
        )
        self.assertContains(response, "geeft al les aan Groep 3")
        self.assertEqual(TeachingAssignment.objects.count(), 3)

    def test_it_is_not_found_for_a_class_of_another_school(self):
        response = self.login("office").post(
            self.url(self.world.other_school_group), {"person": self.world.teacher.public_id}
        )
        self.assertEqual(response.status_code, 404)


class TestAdminTeacherRemoveView(PersonaTestCase):
    def test_it_removes_the_teacher_from_the_class(self):
        assignment = TeachingAssignment.objects.get(teacher=self.world.duo_teacher)
        self.login("office").post(admin_url(self.world, f"teachers/{assignment.public_id}/remove/"))
        self.assertFalse(TeachingAssignment.objects.filter(teacher=self.world.duo_teacher).exists())
        self.assertTrue(AuditEvent.objects.filter(action="teachingassignment.removed").exists())

    def test_it_is_not_found_for_a_teacher(self):
        assignment = TeachingAssignment.objects.get(teacher=self.world.duo_teacher)
        response = self.client_for("teacher").post(
            admin_url(self.world, f"teachers/{assignment.public_id}/remove/")
        )
        self.assertEqual(response.status_code, 404)


class TestAdminClassParentAddView(PersonaTestCase):
    def url(self, group):
        return admin_url(self.world, f"groups/{group.public_id}/class-parents/")

    def test_it_makes_a_parent_of_the_class_class_parent(self):
        self.login("office")
        self.client.post(self.url(self.world.group3), {"person": self.world.co_parent.public_id})
        self.assertTrue(
            ClassParent.objects.filter(guardian=self.world.co_parent, group=self.world.group3).exists()
        )
        self.assertTrue(AuditEvent.objects.filter(action="classparent.created").exists())

    def test_it_refuses_a_parent_without_a_child_in_the_class(self):
        self.login("office")
        response = self.client.post(
            self.url(self.world.group3), {"person": self.world.outsider.public_id}, follow=True
        )
        self.assertContains(response, "message error")
        self.assertFalse(ClassParent.objects.filter(guardian=self.world.outsider).exists())

    def test_it_is_not_found_for_the_class_parent_themself(self):
        response = self.client_for("class_parent").post(
            self.url(self.world.group3), {"person": self.world.co_parent.public_id}
        )
        self.assertEqual(response.status_code, 404)


class TestAdminClassParentRemoveView(PersonaTestCase):
    def test_it_ends_the_class_parent_role(self):
        class_parent = ClassParent.objects.get()
        self.login("director").post(admin_url(self.world, f"class-parents/{class_parent.public_id}/remove/"))
        self.assertFalse(ClassParent.objects.exists())

    def test_it_is_not_found_for_a_parent(self):
        class_parent = ClassParent.objects.get()
        response = self.client_for("parent").post(
            admin_url(self.world, f"class-parents/{class_parent.public_id}/remove/")
        )
        self.assertEqual(response.status_code, 404)
