"""Sending forms and answering them: the permission slip, the two-guardian rule, closing time, bad input."""

import datetime

from django.utils import timezone

from core.models import AuditEvent
from core.refusals import Invalid, NotAllowed
from forms.actions import QuestionDraft, check_answer, check_create_form, check_send_evaluation
from forms.models import Answer, Form, Participation, Response
from forms.queries import children_list, get_results, slots_of
from forms.tests.helpers import FormsTestCase, first_child, more_families, permission_slip, poll
from moderation.models import Feedback


def yes(form, **more):
    return {form.questions.first().public_id: {"yes": True}, **more}


def no(form, reason="Hij is bang voor dieren"):
    return {form.questions.first().public_id: {"yes": False, "reason": reason}}


class CreateFormTest(FormsTestCase):
    def test_it_puts_the_permission_question_first(self):
        form = permission_slip(self.world)
        questions = list(form.questions.all())
        self.assertEqual([q.kind for q in questions], ["yes_no", "text"])
        self.assertIn("Excursie naar Blijdorp", questions[0].text)
        self.assertTrue(questions[0].required)
        self.assertTrue(AuditEvent.objects.filter(action="form.created", object_id=form.public_id).exists())

    def test_a_teacher_sends_only_to_their_own_classes(self):
        with self.assertRaises(Invalid):
            check_create_form(
                acting_user=self.world.other_teacher,
                groups=[self.world.group3],
                title="Zwemmen",
                closes_at=timezone.now() + datetime.timedelta(days=2),
                questions=[QuestionDraft(kind="yes_no", text="Mag het?")],
            )
        with self.assertRaises(Invalid):  # the school-wide group is the director's
            check_create_form(
                acting_user=self.world.teacher,
                groups=[self.world.wide],
                title="Schoolkamp",
                closes_at=timezone.now() + datetime.timedelta(days=2),
                questions=[QuestionDraft(kind="yes_no", text="Mag het?")],
            )

    def test_it_refuses_bad_questions_and_saves_nothing(self):
        before = Form.objects.count()
        bad = [
            QuestionDraft(kind="choice", text="Welke avond?", options=["dinsdag"]),
            QuestionDraft(kind="scale", text=""),
        ]
        with self.assertRaises(Invalid) as refused:
            poll(self.world, questions=bad)
        self.assertEqual([p["question"] for p in refused.exception.problems], [1, 2])
        with self.assertRaises(Invalid):
            poll(self.world, questions=[QuestionDraft(kind="text", text="Iets")], closes_at=timezone.now())
        self.assertEqual(Form.objects.count(), before)


class PermissionSlipTest(FormsTestCase):
    def test_one_answer_is_enough_and_shows_in_the_list_per_child(self):
        form = permission_slip(self.world)
        check_answer(acting_user=self.world.parent, form=form, pupil=self.world.child, answers=yes(form))
        rows = {row.pupil.first_name: row for row in children_list(form)}
        self.assertEqual(rows["Daan"].status, "yes")
        self.assertEqual(rows["Yasmin"].status, "open")
        self.assertNotIn("Eva", rows)  # Groep 6 is not asked
        self.assertEqual(rows["Daan"].answers[0][0], self.world.parent)
        audit = AuditEvent.objects.get(action="form.answered")
        self.assertEqual(audit.actor, self.world.parent)
        self.assertEqual(audit.data["pupil"], self.world.child.public_id)

    def test_the_other_guardian_changes_the_shared_answer_only_on_the_version_seen(self):
        form = permission_slip(self.world)
        response = check_answer(
            acting_user=self.world.parent, form=form, pupil=self.world.child, answers=yes(form)
        )
        slot = slots_of(self.world.co_parent, form)[0]
        self.assertEqual(slot.response.pk, response.pk)
        check_answer(
            acting_user=self.world.co_parent, form=form, pupil=self.world.child, answers=no(form), version=1
        )
        # Sanne still has version 1 open: her change is refused, Joost's no stands.
        with self.assertRaisesMessage(Invalid, "changed by someone else"):
            check_answer(
                acting_user=self.world.parent, form=form, pupil=self.world.child, answers=yes(form), version=1
            )
        self.assertEqual(children_list(form)[0].status, "no")
        self.assertEqual(Response.objects.get().version, 2)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(object_id=form.public_id)
                .order_by("id")
                .values_list("action", "actor__first_name")
            ),
            [("form.created", "Anna"), ("form.answered", "Sanne"), ("form.answer_changed", "Joost")],
        )

    def test_both_guardians_must_say_yes_when_the_school_asks_both(self):
        form = permission_slip(self.world, guardians="all")
        check_answer(acting_user=self.world.parent, form=form, pupil=self.world.child, answers=yes(form))
        row = next(row for row in children_list(form) if row.pupil == self.world.child)
        self.assertEqual((row.status, row.guardians), ("waiting", 2))
        check_answer(acting_user=self.world.co_parent, form=form, pupil=self.world.child, answers=yes(form))
        row = next(row for row in children_list(form) if row.pupil == self.world.child)
        self.assertEqual(row.status, "yes")
        # One guardian withdrawing is enough to make it a no.
        check_answer(
            acting_user=self.world.co_parent, form=form, pupil=self.world.child, answers=no(form), version=1
        )
        row = next(row for row in children_list(form) if row.pupil == self.world.child)
        self.assertEqual(row.status, "no")
        # A child with one guardian needs only that one.
        check_answer(
            acting_user=self.world.class_parent,
            form=form,
            pupil=self.world.class_parent_child,
            answers=yes(form),
        )
        row = next(row for row in children_list(form) if row.pupil == self.world.class_parent_child)
        self.assertEqual(row.status, "yes")

    def test_it_refuses_after_closing_and_before_opening(self):
        form = permission_slip(self.world)
        later = form.closes_at + datetime.timedelta(seconds=1)
        with self.assertRaisesMessage(Invalid, "closed"):
            check_answer(
                acting_user=self.world.parent, form=form, pupil=self.world.child, answers=yes(form), now=later
            )
        early = form.opens_at - datetime.timedelta(minutes=1)
        with self.assertRaises(Invalid):
            check_answer(
                acting_user=self.world.parent, form=form, pupil=self.world.child, answers=yes(form), now=early
            )
        self.assertFalse(Response.objects.exists())

    def test_it_refuses_a_child_that_is_not_yours_or_not_asked(self):
        form = permission_slip(self.world)
        for parent, pupil in [
            (self.world.parent, self.world.class_parent_child),
            (self.world.parent, self.world.sibling),  # hers, but Groep 6 is not asked
            (self.world.outsider, self.world.outsider_child),
        ]:
            with self.assertRaisesMessage(Invalid, "does not ask about this child"):
                check_answer(acting_user=parent, form=form, pupil=pupil, answers=yes(form))
        self.assertFalse(Response.objects.exists())

    def test_a_required_question_left_open_or_a_wrong_choice_saves_nothing(self):
        form = poll(
            self.world,
            questions=[
                QuestionDraft(kind="choice", text="Welke avond?", options=["dinsdag", "donderdag"]),
                QuestionDraft(kind="number", text="Met hoeveel?"),
                QuestionDraft(kind="text", text="Opmerking", required=False),
            ],
        )
        choice, number, remark = form.questions.all()
        with self.assertRaises(Invalid) as refused:
            check_answer(
                acting_user=self.world.parent,
                form=form,
                pupil=self.world.child,
                answers={choice.public_id: "zaterdag", remark.public_id: "Graag"},
            )
        self.assertEqual(
            [p["question"] for p in refused.exception.problems], [choice.public_id, number.public_id]
        )
        with self.assertRaisesMessage(Invalid, "not on this form"):
            check_answer(
                acting_user=self.world.parent,
                form=form,
                pupil=self.world.child,
                answers={choice.public_id: "dinsdag", number.public_id: "2", "elsewhere-12345": "x"},
            )
        self.assertFalse(Response.objects.exists())
        self.assertFalse(Answer.objects.exists())

    def test_a_per_family_form_is_answered_once_for_the_family(self):
        form = poll(
            self.world,
            questions=[QuestionDraft(kind="text", text="Welke avond?")],
            groups=[self.world.wide],
            acting_user=self.world.director,
        )
        self.assertEqual([slot.pupil for slot in slots_of(self.world.parent, form)], [self.world.child])
        self.assertEqual([slot.pupil for slot in slots_of(self.world.co_parent, form)], [self.world.child])
        with self.assertRaises(Invalid):
            check_answer(acting_user=self.world.parent, form=form, pupil=self.world.sibling, answers={})


class AnonymousTest(FormsTestCase):
    def test_results_show_from_five_families_and_keep_no_link(self):
        form = check_send_evaluation(acting_user=self.world.director, school=self.world.school)
        self.assertTrue(form.anonymous and form.is_evaluation)
        questions = list(form.questions.all())
        parents = [self.world.parent, self.world.class_parent, *more_families(self.world, 4)]
        # Five families give the worked example (score 80); the tips land with the feedback, without author.
        items = [4, 2, 4, 1, 5, 2, 4, 2, 4, 2]
        for number, parent in enumerate(parents[:5]):
            answers = {q.public_id: str(items[q.sus_item - 1]) for q in questions if q.sus_item}
            answers[questions[10].public_id] = "4"
            answers[questions[11].public_id] = "5"
            if number == 0:
                answers[questions[13].public_id] = "Graag de foto's eerder"
            if number < 4:
                results = get_results(form)
                self.assertFalse(results.shown)
            check_answer(acting_user=parent, form=form, pupil=first_child(parent), answers=answers)
        results = get_results(form)
        self.assertTrue(results.shown)
        self.assertEqual((results.families, results.sus, results.sus_count), (5, 80.0, 5))
        feedback = Feedback.objects.get()
        self.assertEqual((feedback.author, feedback.text), (None, "Graag de foto's eerder"))
        self.assertEqual(timezone.localtime(feedback.created_at).time(), datetime.time(0, 0))
        # Nothing links an answer to a family: no pupil, account or time on the responses, no audit row.
        self.assertEqual(Participation.objects.filter(form=form).count(), 5)
        self.assertFalse(
            Response.objects.filter(form=form)
            .exclude(pupil=None, guardian=None, answered_by=None, answered_at=None)
            .exists()
        )
        self.assertFalse(AuditEvent.objects.filter(action__startswith="form.answer").exists())
        # An anonymous answer cannot be given twice (nor changed).
        with self.assertRaisesMessage(Invalid, "already answered"):
            check_answer(acting_user=self.world.co_parent, form=form, pupil=self.world.child, answers={})
        self.assertEqual(Participation.objects.filter(form=form).count(), 5)

    def test_only_the_director_sends_the_evaluation(self):
        with self.assertRaises(NotAllowed):
            check_send_evaluation(acting_user=self.world.teacher, school=self.world.school)
        with self.assertRaises(NotAllowed):
            check_send_evaluation(acting_user=self.world.office, school=self.world.school)
