"""Who sees and manages a form, and query counts that do not grow with the answers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forms.actions import QuestionDraft, check_answer
from forms.queries import children_list, forms_managed_by, forms_visible_to, get_results, open_forms_for
from forms.tests.helpers import FormsTestCase, first_child, more_families, permission_slip, poll


class VisibilityTest(FormsTestCase):
    def test_a_form_is_seen_by_its_groups_and_managed_by_their_staff(self):
        form = permission_slip(self.world)
        w = self.world
        for persona in (
            "parent",
            "co_parent",
            "class_parent",
            "teacher",
            "duo_teacher",
            "director",
            "office",
        ):
            self.assertIn(form, forms_visible_to(getattr(w, persona)), persona)
        for persona in (
            "outsider",
            "other_teacher",
            "other_school_parent",
            "other_board_parent",
            "anonymous",
        ):
            self.assertNotIn(form, forms_visible_to(getattr(w, persona)), persona)
        self.assertEqual(
            {
                user.first_name
                for user in (w.teacher, w.duo_teacher, w.director, w.office, w.parent)
                if form in forms_managed_by(user)
            },
            {"Anna", "Bram", "Marieke", "Petra"},
        )

    def test_a_form_of_two_classes_is_managed_only_by_whoever_runs_both(self):
        form = poll(
            self.world,
            acting_user=self.world.director,
            groups=[self.world.group3, self.world.group6],
            questions=[QuestionDraft(kind="text", text="Iets")],
        )
        self.assertNotIn(form, forms_managed_by(self.world.teacher))
        self.assertNotIn(form, forms_managed_by(self.world.other_teacher))
        self.assertIn(form, forms_managed_by(self.world.director))

    def test_the_home_lists_open_forms_to_do_first(self):
        slip = permission_slip(self.world)
        other = poll(self.world, questions=[QuestionDraft(kind="text", text="Welke avond?")])
        check_answer(
            acting_user=self.world.co_parent,
            form=other,
            pupil=self.world.child,
            answers={other.questions.get().public_id: "Dinsdag"},
        )
        forms = open_forms_for(self.world.parent)
        self.assertEqual([(f.id, f.answered) for f in forms], [(slip.id, False), (other.id, True)])
        self.assertEqual(open_forms_for(self.world.outsider), [])
        self.assertEqual(open_forms_for(self.world.teacher), [])


class QueryCountTest(FormsTestCase):
    def counts(self, form):
        with CaptureQueriesContext(connection) as results:
            get_results(form)
        with CaptureQueriesContext(connection) as rows:
            children_list(form)
        return len(results), len(rows)

    def test_results_and_the_list_per_child_cost_the_same_for_2_or_12_answers(self):
        form = permission_slip(self.world)
        first = form.questions.first().public_id
        parents = more_families(self.world, 10)
        answer = {first: {"yes": True}}
        check_answer(acting_user=self.world.parent, form=form, pupil=self.world.child, answers=answer)
        check_answer(acting_user=parents[0], form=form, pupil=first_child(parents[0]), answers=answer)
        few = self.counts(form)
        for parent in parents[1:]:
            check_answer(acting_user=parent, form=form, pupil=first_child(parent), answers=answer)
        self.assertEqual(self.counts(form), few)
        self.assertLessEqual(few[0], 4)
        self.assertLessEqual(few[1], 6)


class FamilyListTest(FormsTestCase):
    def test_a_family_answer_counts_for_the_brothers_and_sisters(self):
        form = poll(
            self.world,
            acting_user=self.world.director,
            groups=[self.world.group3, self.world.group6],
            questions=[QuestionDraft(kind="text", text="Welke avond?")],
        )
        check_answer(
            acting_user=self.world.parent,
            form=form,
            pupil=self.world.child,
            answers={form.questions.get().public_id: "Dinsdag"},
        )
        rows = {row.pupil.first_name: row.status for row in children_list(form)}
        self.assertEqual(rows, {"Daan": "answered", "Eva": "answered", "Yasmin": "open"})


class PostsTakingFormsTest(FormsTestCase):
    def test_only_staff_of_every_group_put_a_form_under_a_post(self):
        from forms.queries import posts_taking_forms_from
        from posts.actions import Draft, check_publish_post

        by_parent = check_publish_post(
            acting_user=self.world.class_parent, groups=[self.world.group3], draft=Draft(title="Koekjes")
        )
        by_teacher = check_publish_post(
            acting_user=self.world.teacher, groups=[self.world.group3], draft=Draft(title="Uitje")
        )
        self.assertEqual(list(posts_taking_forms_from(self.world.class_parent)), [])
        self.assertEqual(set(posts_taking_forms_from(self.world.teacher)), {by_parent, by_teacher})
        self.assertEqual(list(posts_taking_forms_from(self.world.other_teacher)), [])
