"""The forms API: the same actions and access as the pages, refusals as 422 with each problem named."""

import datetime

from django.utils import timezone

from core.clock import SCHOOL_TZ
from forms.actions import check_answer, check_send_evaluation
from forms.models import Form, Response
from forms.tests.helpers import FormsTestCase, permission_slip


class ApiTestCase(FormsTestCase):
    def post(self, path, data):
        return self.client.post(path, data, content_type="application/json")


class CreateTest(ApiTestCase):
    def test_a_teacher_sends_a_poll_with_a_closing_time_on_the_school_clock(self):
        self.login("teacher")
        naive = (timezone.localtime(timezone.now(), SCHOOL_TZ) + datetime.timedelta(days=3)).replace(
            tzinfo=None, second=0, microsecond=0
        )
        response = self.post(
            "/api/v1/forms",
            {
                "title": "Welke avond?",
                "group_ids": [self.world.group3.public_id],
                "per": "family",
                "closes_at": naive.isoformat(),
                "questions": [{"kind": "choices", "text": "Welke avond?", "options": ["di", "do"]}],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["per"], body["group_ids"]), ("family", [self.world.group3.public_id]))
        form = Form.objects.get()
        self.assertEqual(timezone.localtime(form.closes_at, SCHOOL_TZ).replace(tzinfo=None), naive)

    def test_bad_questions_answer_422_with_each_problem_and_save_nothing(self):
        self.login("teacher")
        response = self.post(
            "/api/v1/forms",
            {
                "title": "Welke avond?",
                "group_ids": [self.world.group3.public_id],
                "closes_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
                "questions": [{"kind": "choice", "text": "Welke avond?", "options": ["di"]}],
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["problems"][0]["question"], 1)
        self.assertFalse(Form.objects.exists())

    def test_another_teachers_class_is_not_found(self):
        self.login("other_teacher")
        response = self.post(
            "/api/v1/forms",
            {
                "title": "Zwemmen",
                "group_ids": [self.world.group3.public_id],
                "closes_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
                "questions": [{"kind": "yes_no", "text": "Mag het?"}],
            },
        )
        self.assertEqual(response.status_code, 404)


class AnswerTest(ApiTestCase):
    def answer(self, form, answers, version=None, child=None):
        child = child or self.world.child
        data = {"child_id": child.public_id, "answers": answers, "version": version}
        return self.post(f"/api/v1/forms/{form.public_id}/answers", data)

    def test_a_parent_answers_and_the_other_guardian_changes_it_on_its_version(self):
        form = permission_slip(self.world)
        first = form.questions.first().public_id
        self.login("parent")
        detail = self.client.get(f"/api/v1/forms/{form.public_id}").json()
        self.assertEqual([slot["child"]["first_name"] for slot in detail["slots"]], ["Daan"])
        response = self.answer(form, {first: {"yes": True}})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["version"], response.json()["answers"]), (1, {first: {"yes": True}})
        )
        self.login("co_parent")
        response = self.answer(form, {first: {"yes": False, "reason": "Liever niet"}}, version=1)
        self.assertEqual(response.json()["version"], 2)
        self.login("parent")
        response = self.answer(form, {first: {"yes": True}}, version=1)
        self.assertEqual((response.status_code, response.json()["code"]), (422, "changed_meanwhile"))
        self.assertEqual(Response.objects.get().answered_by, self.world.co_parent)

    def test_bad_answers_are_refused_with_their_questions(self):
        form = permission_slip(self.world)
        first, allergies = form.questions.all()
        self.login("parent")
        response = self.answer(form, {first.public_id: {"yes": False}})
        self.assertEqual(response.status_code, 422)
        self.assertEqual([p["question"] for p in response.json()["problems"]], [first.public_id])
        response = self.answer(form, {"not-a-question-id": "x"})
        self.assertEqual(response.json()["code"], "unknown_question")
        self.assertEqual(self.answer(form, {}, child=self.world.class_parent_child).status_code, 404)
        Form.objects.filter(pk=form.pk).update(
            opens_at=timezone.now() - datetime.timedelta(days=2),
            closes_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        response = self.answer(form, {first.public_id: {"yes": True}})
        self.assertEqual(response.json()["code"], "closed")
        self.assertFalse(Response.objects.exists())


class ResultsTest(ApiTestCase):
    def test_results_and_the_list_per_child(self):
        form = permission_slip(self.world, guardians="all")
        first = form.questions.first().public_id
        check_answer(
            acting_user=self.world.parent, form=form, pupil=self.world.child, answers={first: {"yes": True}}
        )
        self.login("teacher")
        results = self.client.get(f"/api/v1/forms/{form.public_id}/results").json()
        self.assertEqual(
            results["questions"][0]["bars"], [{"label": "Ja", "count": 1}, {"label": "Nee", "count": 0}]
        )
        rows = {
            row["child"]["first_name"]: row
            for row in self.client.get(f"/api/v1/forms/{form.public_id}/children").json()
        }
        self.assertEqual((rows["Daan"]["status"], rows["Daan"]["guardians"]), ("waiting", 2))
        self.assertEqual(rows["Yasmin"]["status"], "open")
        self.assertEqual(self.post(f"/api/v1/forms/{form.public_id}/reminders", {}).json(), {"reminded": 2})

    def test_anonymous_results_say_not_shown_below_five(self):
        form = check_send_evaluation(acting_user=self.world.director, school=self.world.school)
        self.login("director")
        results = self.client.get(f"/api/v1/forms/{form.public_id}/results").json()
        self.assertFalse(results["shown"])
        self.assertTrue(all(q["bars"] == [] and q["answered"] == 0 for q in results["questions"]))
        self.assertEqual(self.client.get(f"/api/v1/forms/{form.public_id}/children").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/forms/{form.public_id}/export").status_code, 422)

    def test_the_evaluation_is_the_directors_in_one_call(self):
        self.login("office")
        response = self.post("/api/v1/forms/evaluation", {"school_id": self.world.school.public_id})
        self.assertEqual(response.status_code, 403)
        self.login("director")
        response = self.post("/api/v1/forms/evaluation", {"school_id": self.world.school.public_id})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(len([q for q in response.json()["questions"] if q["sus_item"]]), 10)
