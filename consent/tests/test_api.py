"""The consent API: the same access layer and actions as the pages, answered in JSON."""

from consent.models import Answer, FaceBox, PhotoTag, Purpose, Request, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg


class ApiCase(ConsentTestCase):
    def api(self, persona, method, path, data=None):
        send = getattr(self.client_for(persona), method)
        if method == "get":
            return send(f"/api/v1/privacy{path}", data or {})
        return send(f"/api/v1/privacy{path}", data or {}, content_type="application/json")


class TestChildrenApi(ApiCase):
    def test_it_lists_my_children_with_answers_and_history(self):
        self.answer("co_parent", "child", False)
        body = self.api("parent", "get", "/children").json()
        self.assertEqual([c["name"] for c in body], ["Daan Mulder", "Eva Mulder"])
        self.assertEqual(len(body[0]["answers"]), 5)
        self.assertEqual(body[0]["history"][0]["guardian"], "Joost Mulder")
        self.assertFalse(body[0]["answers"][0]["consent"])

    def test_it_answers_for_my_child(self):
        purpose = self.purpose()
        response = self.api(
            "parent", "put", f"/children/{self.world.child.public_id}", {"answers": {purpose.public_id: True}}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(Answer.objects.get(guardian=self.world.parent, purpose=purpose).given)

    def test_it_refuses_unknown_purposes_in_dutch(self):
        response = self.api(
            "parent", "put", f"/children/{self.world.child.public_id}", {"answers": {"x": True}}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("detail", response.json())
        self.assertFalse(Answer.objects.exists())

    def test_it_is_404_for_someone_elses_child(self):
        response = self.api("outsider", "put", f"/children/{self.world.child.public_id}", {"answers": {}})
        self.assertEqual(response.status_code, 404)


class TestPurposesApi(ApiCase):
    def test_the_office_lists_adds_renames_and_removes(self):
        school = f"/schools/{self.world.school.public_id}/purposes"
        self.assertEqual(len(self.api("office", "get", school).json()), 5)
        created = self.api("office", "post", school, {"name": "Jaarboek"}).json()
        self.api("office", "patch", f"/purposes/{created['public_id']}", {"name": "Schoolgids"})
        self.assertEqual(Purpose.objects.get(public_id=created["public_id"]).name, "Schoolgids")
        self.assertEqual(self.api("office", "delete", f"/purposes/{created['public_id']}").status_code, 204)
        self.assertEqual(len(self.api("office", "get", school).json()), 5)

    def test_it_refuses_an_empty_name(self):
        response = self.api(
            "office", "post", f"/schools/{self.world.school.public_id}/purposes", {"name": " "}
        )
        self.assertEqual(response.status_code, 422)

    def test_it_is_404_for_a_teacher(self):
        self.assertEqual(
            self.api("teacher", "get", f"/schools/{self.world.school.public_id}/purposes").status_code, 404
        )


class TestRequestsApi(ApiCase):
    def test_the_director_sends_sees_rates_and_reminds(self):
        path = f"/schools/{self.world.school.public_id}/requests"
        sent = self.api("director", "post", path, {"reason": "year"})
        self.assertEqual(sent.status_code, 201)
        body = self.api("director", "get", path).json()
        self.assertEqual(len(body["requests"]), 1)
        self.assertEqual({r["group_name"] for r in body["rates"]}, {"Groep 3", "Groep 4", "Groep 6"})
        reminded = self.api("director", "post", f"/requests/{sent.json()['public_id']}/remind").json()
        self.assertEqual(reminded["reminded"], 4)

    def test_a_pupil_of_another_school_is_not_found(self):
        path = f"/schools/{self.world.school.public_id}/requests"
        response = self.api(
            "director",
            "post",
            path,
            {"reason": "enrolment", "pupil": self.world.other_school_child.public_id},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Request.objects.exists())


class TestGroupApi(ApiCase):
    def test_it_lists_the_refusals(self):
        self.consent_all("class_parent_child", *Scope.values[:5])
        body = self.api("teacher", "get", f"/groups/{self.world.group3.public_id}").json()
        self.assertEqual(body["pupils"], 2)
        self.assertEqual([r["name"] for r in body["refusals"]], ["Daan Mulder"])

    def test_it_is_404_for_a_parent(self):
        self.assertEqual(self.api("parent", "get", f"/groups/{self.world.group3.public_id}").status_code, 404)


class TestTaggingApi(ApiCase):
    def test_the_author_tags_is_refused_blurs_and_releases(self):
        media = self.upload(data=astronaut_jpeg(512))
        face = FaceBox.objects.get(media=media)
        body = self.api("teacher", "get", f"/media/{media.public_id}").json()
        self.assertTrue(body["withheld"])
        self.assertEqual(len(body["faces"]), 1)
        tagged = self.api(
            "teacher",
            "post",
            f"/media/{media.public_id}/tags",
            {"pupil": self.world.child.public_id, "face": face.public_id},
        )
        self.assertEqual(tagged.status_code, 201)
        self.assertEqual(tagged.json()["problems"][0]["pupil"], self.world.child.public_id)
        refused = self.api("teacher", "post", f"/groups/{self.world.group3.public_id}/release")
        self.assertEqual(refused.status_code, 422)
        self.assertIn("Daan", refused.json()["detail"])
        self.assertEqual(refused.json()["problems"][0]["media"], media.public_id)
        blurred = self.api(
            "teacher", "post", f"/media/{media.public_id}/blur", {"pupils": [self.world.child.public_id]}
        )
        self.assertTrue(blurred.json()["faces"][0]["blurred"])
        released = self.api("teacher", "post", f"/groups/{self.world.group3.public_id}/release")
        self.assertEqual(released.json()["released"], [media.public_id])
        self.assertEqual(self.api("teacher", "get", "/tasks").json(), [])

    def test_it_removes_a_tag(self):
        media = self.fake_photo(tagged=["child"])
        tag = PhotoTag.objects.get(media=media)
        self.assertEqual(self.api("teacher", "delete", f"/tags/{tag.public_id}").status_code, 204)
        self.assertFalse(PhotoTag.objects.exists())

    def test_it_lists_tasks(self):
        media = self.fake_photo(tagged=["child"], withheld=True)
        [task] = self.api("teacher", "get", "/tasks").json()
        self.assertEqual(task["media"], media.public_id)
        self.assertEqual(task["problems"][0]["pupil"], self.world.child.public_id)

    def test_it_is_404_for_a_parent_or_another_teacher(self):
        media = self.fake_photo(tagged=["child"])
        for persona in ["parent", "other_teacher"]:
            self.assertEqual(self.api(persona, "get", f"/media/{media.public_id}").status_code, 404)
            self.assertEqual(
                self.api(
                    persona, "post", f"/media/{media.public_id}/tags", {"pupil": self.world.child.public_id}
                ).status_code,
                404,
            )
