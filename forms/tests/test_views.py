"""The pages: a teacher sends a permission slip, a parent answers, the teacher reads the results."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms.actions import QuestionDraft, check_answer, check_send_evaluation
from forms.models import Form, Response
from forms.tests.helpers import FormsTestCase, first_child, more_families, permission_slip, poll
from posts.actions import Draft, check_publish_post


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class FormNewTest(FormsTestCase):
    def data(self, **extra):
        closes = timezone.now() + datetime.timedelta(days=5)
        data = {
            "kind": "permission",
            "title": "Schoolzwemmen",
            "groups": [self.world.group3.public_id],
            "per": "child",
            "guardians": "all",
            "required": "on",
            "closes_at": local(closes),
            "q-TOTAL_FORMS": "2",
            "q-INITIAL_FORMS": "0",
            "q-0-text": "Zwemdiploma?",
            "q-0-kind": "choice",
            "q-0-options": "Geen\nA\nA en B",
            "q-0-required": "on",
            "q-1-text": "",
            "q-1-kind": "yes_no",
            "send": "1",
        }
        return data | extra

    def test_it_sends_a_permission_slip_with_its_questions(self):
        self.login("teacher")
        response = self.client.post("/forms/new/", self.data())
        form = Form.objects.get()
        self.assertRedirects(response, f"/forms/{form.public_id}/")
        self.assertEqual(form.guardians, "all")
        self.assertEqual(
            [(q.kind, q.options) for q in form.questions.all()],
            [("yes_no", []), ("choice", ["Geen", "A", "A en B"])],
        )

    def test_add_a_question_keeps_what_was_typed_and_saves_nothing(self):
        self.login("teacher")
        response = self.client.post("/forms/new/", self.data(more="1", send=""))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["rows"].forms), 3)
        self.assertContains(response, "Zwemdiploma?")
        self.assertFalse(Form.objects.exists())

    def test_bad_input_shows_the_page_again(self):
        self.login("teacher")
        response = self.client.post("/forms/new/", self.data(**{"q-0-options": "Alleen dit"}))
        self.assertContains(response, "Geef 2 tot 20 keuzes", status_code=200)
        response = self.client.post("/forms/new/", self.data(groups=[self.world.group6.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Form.objects.exists())

    def test_a_form_under_a_post_asks_the_posts_groups_and_shows_there(self):
        post = check_publish_post(
            acting_user=self.world.teacher, groups=[self.world.group3], draft=Draft(title="Uitje")
        )
        self.login("teacher")
        page = self.client.get(f"/posts/{post.public_id}/")
        self.assertContains(page, f"/forms/new/?post={post.public_id}")
        data = self.data()
        del data["groups"]
        self.client.post(f"/forms/new/?post={post.public_id}", data)
        form = Form.objects.get()
        self.assertEqual((form.post, list(form.groups.all())), (post, [self.world.group3]))
        self.login("parent")
        self.assertContains(self.client.get(f"/posts/{post.public_id}/"), f"/forms/{form.public_id}/")
        # Someone else's post: not theirs to add a form to.
        self.login("other_teacher")
        self.assertEqual(self.client.get(f"/forms/new/?post={post.public_id}").status_code, 404)

    def test_parents_cannot_send_forms(self):
        self.login("parent")
        self.assertEqual(self.client.get("/forms/new/").status_code, 404)


class AnswerPageTest(FormsTestCase):
    def test_a_parent_answers_per_child_and_sees_the_answer_afterwards(self):
        form = permission_slip(self.world)
        question = form.questions.first()
        self.login("parent")
        page = self.client.get(f"/forms/{form.public_id}/")
        self.assertContains(page, "Excursie naar Blijdorp")
        answer = {"child": self.world.child.public_id, "version": "", f"q-{question.public_id}": "false"}
        page = self.client.post(f"/forms/{form.public_id}/", answer)
        self.assertContains(page, "Geef een reden als u nee antwoordt.")
        self.assertFalse(Response.objects.exists())
        answer[f"q-{question.public_id}-reason"] = "Hij is ziek"
        page = self.client.post(f"/forms/{form.public_id}/", answer, follow=True)
        self.assertContains(page, "Dank u wel, uw antwoord is opgeslagen.")
        self.assertContains(page, 'name="version" value="1"')
        self.login("co_parent")
        page = self.client.get(f"/forms/{form.public_id}/")
        self.assertContains(page, "Beantwoord door Sanne")
        self.assertContains(page, "Hij is ziek")

    def test_a_stale_change_shows_what_the_other_guardian_answered(self):
        form = permission_slip(self.world)
        question = form.questions.first()
        check_answer(
            acting_user=self.world.parent,
            form=form,
            pupil=self.world.child,
            answers={question.public_id: {"yes": True}},
        )
        check_answer(
            acting_user=self.world.co_parent,
            form=form,
            pupil=self.world.child,
            answers={question.public_id: {"yes": False, "reason": "Toch niet"}},
            version=1,
        )
        self.login("parent")
        answer = {"child": self.world.child.public_id, "version": "1", f"q-{question.public_id}": "true"}
        page = self.client.post(f"/forms/{form.public_id}/", answer)
        self.assertContains(page, "door iemand anders gewijzigd")
        self.assertContains(page, "Toch niet")

    def test_after_closing_the_page_shows_no_button_and_refuses(self):
        form = permission_slip(self.world)
        Form.objects.filter(pk=form.pk).update(
            opens_at=timezone.now() - datetime.timedelta(days=3),
            closes_at=timezone.now() - datetime.timedelta(hours=1),
        )
        self.login("parent")
        page = self.client.get(f"/forms/{form.public_id}/")
        self.assertContains(page, "Gesloten op")
        self.assertNotContains(page, "Antwoord versturen")
        question = form.questions.first()
        answer = {"child": self.world.child.public_id, f"q-{question.public_id}": "true"}
        self.assertContains(self.client.post(f"/forms/{form.public_id}/", answer), "is gesloten op")
        self.assertFalse(Response.objects.exists())

    def test_the_teacher_sees_the_questions(self):
        form = permission_slip(self.world)
        self.login("teacher")
        page = self.client.get(f"/forms/{form.public_id}/")
        self.assertContains(page, 'data-testid="questions"')
        self.assertContains(page, "Allergieën?")

    def test_a_child_not_yours_is_not_found(self):
        form = permission_slip(self.world)
        self.login("parent")
        response = self.client.post(
            f"/forms/{form.public_id}/", {"child": self.world.class_parent_child.public_id}
        )
        self.assertEqual(response.status_code, 404)
        self.login("outsider")
        self.assertEqual(self.client.get(f"/forms/{form.public_id}/").status_code, 404)

    def test_the_home_shows_open_forms_on_top(self):
        permission_slip(self.world)
        self.login("parent")
        page = self.client.get("/").content.decode()
        self.assertIn("Excursie naar Blijdorp", page)
        self.assertLess(page.index('data-testid="forms-home"'), page.index('id="news-title"'))


class ResultsPageTest(FormsTestCase):
    def answer_all(self, form, parents):
        question = form.questions.first()
        for parent in parents:
            check_answer(
                acting_user=parent,
                form=form,
                pupil=first_child(parent),
                answers={question.public_id: {"yes": True}},
            )

    def test_results_and_the_list_cost_the_same_queries_for_few_and_many_answers(self):
        form = permission_slip(self.world)
        parents = more_families(self.world, 12)
        self.answer_all(form, parents[:2])
        self.login("teacher")
        counts = []
        for batch in (parents[2:], []):
            for url in (f"/forms/{form.public_id}/results/", f"/forms/{form.public_id}/children/"):
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(url).status_code, 200)
                counts.append(len(queries))
            self.answer_all(form, batch)
        self.assertEqual(counts[:2], counts[2:])

    def test_the_chart_is_svg_and_the_list_says_yes_no_not_yet(self):
        form = permission_slip(self.world)
        self.answer_all(form, [self.world.parent])
        self.login("teacher")
        page = self.client.get(f"/forms/{form.public_id}/results/")
        self.assertContains(page, '<svg class="chart"')
        self.assertContains(page, "<title>Ja: 1</title>", html=False)
        page = self.client.get(f"/forms/{form.public_id}/children/")
        self.assertContains(page, 'data-status="yes"')
        self.assertContains(page, 'data-status="open"')

    def test_a_teacher_of_another_class_and_parents_get_404(self):
        form = permission_slip(self.world)
        for persona in ("other_teacher", "parent", "outsider"):
            self.login(persona)
            for tail in ("results/", "children/", "export.csv"):
                self.assertEqual(self.client.get(f"/forms/{form.public_id}/{tail}").status_code, 404, persona)

    def test_the_csv_is_safe_against_formulas(self):
        form = poll(self.world, per="child", questions=[QuestionDraft(kind="text", text="Opmerking")])
        check_answer(
            acting_user=self.world.parent,
            form=form,
            pupil=self.world.child,
            answers={form.questions.get().public_id: '=HYPERLINK("http://evil.example","klik")'},
        )
        self.login("teacher")
        response = self.client.get(f"/forms/{form.public_id}/export.csv")
        text = response.content.decode("utf-8-sig")
        self.assertIn("'=HYPERLINK", text)
        self.assertNotIn(";=HYPERLINK", text)
        self.assertIn("Daan Mulder", text)

    def test_anonymous_results_wait_for_five_families(self):
        form = check_send_evaluation(acting_user=self.world.director, school=self.world.school)
        self.login("director")
        page = self.client.get(f"/forms/{form.public_id}/results/")
        self.assertContains(page, 'data-testid="below-threshold"')
        self.assertNotContains(page, 'class="chart"')
        self.assertEqual(self.client.get(f"/forms/{form.public_id}/export.csv").status_code, 422)
        self.assertEqual(self.client.get(f"/forms/{form.public_id}/children/").status_code, 404)

    def test_the_teacher_reminds_on_demand(self):
        form = permission_slip(self.world)
        self.login("teacher")
        page = self.client.post(f"/forms/{form.public_id}/remind/", follow=True)
        self.assertContains(page, "Er gaat een herinnering naar 3 ouders")
        page = self.client.post(f"/forms/{form.public_id}/remind/", follow=True)
        self.assertContains(page, "een uur later")


class EvaluationPageTest(FormsTestCase):
    def test_the_director_sends_it_in_one_step(self):
        self.login("director")
        page = self.client.get(f"/forms/evaluation/{self.world.school.public_id}/")
        self.assertContains(page, "System Usability Scale")
        response = self.client.post(f"/forms/evaluation/{self.world.school.public_id}/")
        form = Form.objects.get()
        self.assertRedirects(response, f"/forms/{form.public_id}/")
        self.assertEqual(
            (form.anonymous, form.questions.count(), form.questions.filter(sus_item__isnull=False).count()),
            (True, 14, 10),
        )

    def test_office_and_teachers_cannot(self):
        for persona in ("office", "teacher", "parent"):
            self.login(persona)
            self.assertEqual(
                self.client.post(f"/forms/evaluation/{self.world.school.public_id}/").status_code, 404
            )
        self.assertFalse(Form.objects.exists())
