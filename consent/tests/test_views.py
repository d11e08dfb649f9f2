from django.utils.html import escape

from consent.models import Answer, AnswerChange, ConsentSettings, FaceBox, PhotoTag, Purpose, Request, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg
from media.models import MediaFile


class TestPreferencesView(ConsentTestCase):
    def test_it_shows_each_child_with_purposes_and_history(self):
        self.answer("co_parent", "child", False)
        response = self.login("parent").get("/privacy/")
        self.assertContains(response, "Daan Mulder")
        self.assertContains(response, "Eva Mulder")
        self.assertContains(response, escape(self.purpose().name))
        self.assertContains(response, "Joost Mulder")  # the co-parent's change is in the history

    def test_it_shows_an_outsider_only_their_own_child(self):
        response = self.login("outsider").get("/privacy/")
        self.assertContains(response, "Lars Dekker")
        self.assertNotContains(response, "Daan")

    def test_it_reads_in_constant_queries(self):
        client = self.login("parent")
        client.get("/privacy/")
        self.answer("parent", "child", True, *Scope.values[:5])
        # 3 of them session, user (with its staff flag), notifications badge; 1 the parent's groups, resolved
        # once per request (core.viewer); 5 the children's avatars.
        with self.assertNumQueries(22):
            client.get("/privacy/")


class TestAnswerView(ConsentTestCase):
    def url(self, child="child"):
        return f"/privacy/children/{getattr(self.world, child).public_id}/"

    def test_it_saves_the_answers_and_their_history(self):
        response = self.login("parent").post(
            self.url(),
            {
                f"purpose_{self.purpose().public_id}": "yes",
                f"purpose_{self.purpose(Scope.SOCIAL).public_id}": "no",
            },
        )
        self.assertRedirects(response, "/privacy/")
        self.assertEqual(Answer.objects.filter(guardian=self.world.parent).count(), 2)
        self.assertEqual(AnswerChange.objects.count(), 2)

    def test_it_refuses_nonsense_and_saves_nothing(self):
        response = self.login("parent").post(
            self.url(), {f"purpose_{self.purpose().public_id}": "maybe"}, follow=True
        )
        self.assertFalse(Answer.objects.exists())
        self.assertEqual(len(list(response.context["messages"])), 1)

    def test_it_is_404_for_someone_elses_child(self):
        self.assertEqual(self.login("outsider").post(self.url(), {}).status_code, 404)
        self.assertEqual(self.login("teacher").post(self.url(), {}).status_code, 404)


class TestSchoolView(ConsentTestCase):
    def url(self):
        return f"/privacy/school/{self.world.school.public_id}/"

    def test_it_shows_purposes_rates_and_requests_to_the_director(self):
        Request.objects.create(school=self.world.school, reason="year", sent_by=self.world.director)
        response = self.login("director").get(self.url())
        self.assertContains(response, escape(self.purpose().name))
        self.assertContains(response, "Groep 3")
        self.assertContains(response, 'data-testid="request"')
        self.assertContains(response, "/remind/")

    def test_office_sees_it_but_cannot_send_requests(self):
        response = self.login("office").get(self.url())
        self.assertNotContains(response, "/requests/")
        self.assertEqual(self.client.post(f"{self.url()}requests/", {"reason": "year"}).status_code, 404)

    def test_it_is_404_for_a_teacher_or_parent(self):
        for persona in ["teacher", "parent", "other_school_parent"]:
            self.assertEqual(self.login(persona).get(self.url()).status_code, 404)


class TestPurposeViews(ConsentTestCase):
    def test_the_office_adds_renames_and_removes_a_purpose(self):
        client = self.login("office")
        client.post(
            f"/privacy/school/{self.world.school.public_id}/purposes/",
            {"name": " Jaarboek ", "scope": "other"},
        )
        purpose = Purpose.objects.get(current__name_nl="Jaarboek")
        client.post(
            f"/privacy/purposes/{purpose.public_id}/change/", {"name": "Schoolfotograaf", "scope": "other"}
        )
        purpose.refresh_from_db()
        self.assertEqual(purpose.name, "Schoolfotograaf")
        self.assertEqual((purpose.current.number, purpose.current.asked_from), (2, 1))
        client.post(f"/privacy/purposes/{purpose.public_id}/remove/")
        purpose.refresh_from_db()
        self.assertIsNotNone(purpose.removed_at)

    def test_it_refuses_an_empty_name(self):
        response = self.login("office").post(
            f"/privacy/school/{self.world.school.public_id}/purposes/", {"name": "  "}, follow=True
        )
        self.assertEqual(Purpose.objects.filter(school=self.world.school).count(), 5)
        self.assertEqual(len(list(response.context["messages"])), 1)

    def test_it_is_404_for_another_schools_director(self):
        purpose = self.purpose()
        self.assertEqual(
            self.login("teacher").post(f"/privacy/purposes/{purpose.public_id}/remove/").status_code, 404
        )
        purpose.refresh_from_db()
        self.assertIsNone(purpose.removed_at)


class TestRequestViews(ConsentTestCase):
    def test_the_director_sends_and_reminds(self):
        client = self.login("director")
        client.post(f"/privacy/school/{self.world.school.public_id}/requests/", {"reason": "year"})
        request = Request.objects.get()
        response = client.post(f"/privacy/requests/{request.public_id}/remind/", follow=True)
        request.refresh_from_db()
        self.assertIsNotNone(request.reminded_at)
        self.assertContains(response, "4")

    def test_it_is_404_for_the_office(self):
        request = Request.objects.create(school=self.world.school, reason="year")
        self.assertEqual(
            self.login("office").post(f"/privacy/requests/{request.public_id}/remind/").status_code, 404
        )


class TestSettingsView(ConsentTestCase):
    def test_it_turns_blurring_of_untagged_faces_off(self):
        self.login("director").post(f"/privacy/school/{self.world.school.public_id}/settings/", {})
        self.assertFalse(ConsentSettings.objects.get(school=self.world.school).blur_untagged_faces)

    def test_it_is_404_for_a_parent(self):
        self.assertEqual(
            self.login("parent")
            .post(f"/privacy/school/{self.world.school.public_id}/settings/", {})
            .status_code,
            404,
        )


class TestGroupView(ConsentTestCase):
    def url(self):
        return f"/privacy/groups/{self.world.group3.public_id}/"

    def test_it_lists_who_may_not_appear_per_purpose(self):
        self.consent_all("class_parent_child", *Scope.values[:5])
        self.consent_all("child", Scope.CLASS)
        response = self.login("teacher").get(self.url())
        refusals = response.context["refusals"]
        self.assertEqual([r.pupil for r in refusals], [self.world.child])
        self.assertEqual(len(refusals[0].purposes), 4)
        self.assertContains(response, "Daan Mulder")

    def test_the_group_page_links_to_it_for_staff_only(self):
        self.assertContains(self.login("teacher").get(f"/groups/{self.world.group3.public_id}/"), self.url())
        self.assertNotContains(
            self.login("parent").get(f"/groups/{self.world.group3.public_id}/"), self.url()
        )

    def test_it_is_404_for_parents_and_other_teachers(self):
        for persona in ["parent", "class_parent", "other_teacher"]:
            self.assertEqual(self.login(persona).get(self.url()).status_code, 404)


class TestTaggingViews(ConsentTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.upload(data=astronaut_jpeg(512))
        self.face = FaceBox.objects.get(media=self.media)
        self.url = f"/privacy/media/{self.media.public_id}/"

    def test_it_draws_the_face_boxes_over_the_photo(self):
        response = self.login("teacher").get(self.url)
        self.assertContains(response, 'data-testid="face-box"', count=1)
        self.assertContains(response, "Yasmin E.")  # the group list to pick from, as the picker names them

    def test_the_author_tags_a_face_then_blurs_the_child(self):
        client = self.login("teacher")
        client.post(f"{self.url}tag/", {"face": self.face.public_id, "pupil": self.world.child.public_id})
        self.assertEqual(PhotoTag.objects.get(media=self.media).face, self.face)
        response = client.get(f"/privacy/groups/{self.world.group3.public_id}/")
        self.assertContains(response, 'data-testid="problem"')
        client.post(f"{self.url}blur/", {"pupil": self.world.child.public_id})
        self.face.refresh_from_db()
        self.assertIsNotNone(self.face.blurred_at)
        client.post(f"/privacy/groups/{self.world.group3.public_id}/release/")
        self.media.refresh_from_db()
        self.assertIsNone(self.media.withheld_at)

    def test_release_is_refused_with_the_childs_name_while_a_problem_remains(self):
        client = self.login("teacher")
        client.post(f"{self.url}tag/", {"face": self.face.public_id, "pupil": self.world.child.public_id})
        response = client.post(f"/privacy/groups/{self.world.group3.public_id}/release/", follow=True)
        self.assertContains(response, "Daan")
        self.media.refresh_from_db()
        self.assertIsNotNone(self.media.withheld_at)

    def test_blur_is_a_choice_for_a_face(self):
        self.login("teacher").post(f"{self.url}tag/", {"face": self.face.public_id, "pupil": "blur"})
        self.face.refresh_from_db()
        self.assertIsNotNone(self.face.blurred_at)

    def test_it_refuses_a_child_outside_the_list(self):
        self.login("teacher").post(f"{self.url}tag/", {"pupil": self.world.other_school_child.public_id})
        self.assertFalse(PhotoTag.objects.exists())

    def test_leaving_the_photo_out_removes_it(self):
        self.login("teacher").post(f"{self.url}remove/")
        self.assertFalse(MediaFile.objects.filter(id=self.media.id).exists())

    def test_removing_a_tag(self):
        tag = PhotoTag.objects.create(media=self.media, pupil=self.world.child)
        self.login("teacher").post(f"/privacy/tags/{tag.public_id}/remove/")
        self.assertFalse(PhotoTag.objects.exists())

    def test_it_is_404_for_parents_and_another_teacher(self):
        for persona in ["parent", "class_parent", "other_teacher"]:
            client = self.login(persona)
            self.assertEqual(client.get(self.url).status_code, 404)
            self.assertEqual(client.post(f"{self.url}blur/", {"face": self.face.public_id}).status_code, 404)
        self.face.refresh_from_db()
        self.assertIsNone(self.face.blurred_at)


class TestTasksView(ConsentTestCase):
    def test_it_lists_the_authors_withheld_photos_only(self):
        mine = self.fake_photo(tagged=["child"], withheld=True)
        self.fake_photo(tagged=["child"], withheld=True, by="duo_teacher")
        response = self.login("teacher").get("/privacy/tasks/")
        self.assertEqual([m.id for m in response.context["files"]], [mine.id])
        self.assertContains(response, "Daan")
