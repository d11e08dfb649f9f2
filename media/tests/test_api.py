from django.test import override_settings

from accounts.models import ApiToken, hash_token
from media import actions
from media.models import MediaFile
from media.queries import rendition_url
from media.tests.helpers import MediaTestCase, jpeg_bytes, quarantined_files, upload_of


class ApiTestCase(MediaTestCase):
    def api(self, persona: str, method: str, path: str, data=None, **extra):
        client = self.client_for(persona)
        send = getattr(client, method)
        if method in {"post", "delete"} and not isinstance(data, dict | None) or "file" in (data or {}):
            return send(f"/api/v1/media{path}", data, **extra)
        return send(f"/api/v1/media{path}", data, content_type="application/json", **extra)

    def pending_upload(self, persona="teacher") -> MediaFile:
        return actions.check_upload(
            acting_user=getattr(self.world, persona),
            school=self.world.school,
            upload=upload_of("lunchrooster.jpg", jpeg_bytes()),
        )


class TestUploadApi(ApiTestCase):
    def test_it_takes_a_file_and_processes_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api(
                "parent", "post", "/uploads", {"file": upload_of("tekening.jpg", jpeg_bytes())}
            )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "uploaded")
        media = MediaFile.objects.get(public_id=response.json()["id"])
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertEqual(media.school, self.world.school)
        self.assertEqual(media.uploaded_by, self.world.parent)
        self.assertIsNone(media.carrier_id)

    def test_it_refuses_a_bad_file_with_a_translated_message(self):
        response = self.api("parent", "post", "/uploads", {"file": upload_of("x.jpg", b"")})
        self.assertEqual(response.status_code, 422)
        self.assertIn("leeg", response.json()["detail"])
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(quarantined_files(), [])

    def test_it_uploads_with_a_bearer_token(self):
        ApiToken.objects.create(
            user=self.world.teacher, name="app", token_hash=hash_token("tok"), prefix="tok", two_factor=True
        )
        response = self.client.post(
            "/api/v1/media/uploads",
            {"file": upload_of("a.jpg", jpeg_bytes())},
            headers={"Authorization": "Bearer tok"},
        )
        self.assertEqual(response.status_code, 201)

    def test_it_asks_which_school_when_the_viewer_has_several(self):
        from schools.models import StaffRole

        StaffRole.objects.create(user=self.world.parent, school=self.world.other_school, role="office")
        self.world.parent.is_verified = lambda: True
        ApiToken.objects.create(
            user=self.world.parent, name="app", token_hash=hash_token("tok"), prefix="tok", two_factor=True
        )
        headers = {"Authorization": "Bearer tok"}
        ambiguous = self.client.post(
            "/api/v1/media/uploads", {"file": upload_of("a.jpg", jpeg_bytes())}, headers=headers
        )
        self.assertEqual(ambiguous.status_code, 422)
        self.assertIn("school", ambiguous.json()["detail"])
        chosen = self.client.post(
            "/api/v1/media/uploads",
            {"file": upload_of("a.jpg", jpeg_bytes()), "school_id": self.world.other_school.public_id},
            headers=headers,
        )
        self.assertEqual(chosen.status_code, 201)
        self.assertEqual(MediaFile.objects.get().school, self.world.other_school)

    def test_it_answers_404_for_a_school_that_is_not_yours(self):
        response = self.api(
            "parent",
            "post",
            "/uploads",
            {"file": upload_of("a.jpg", jpeg_bytes()), "school_id": self.world.other_board_school.public_id},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(MediaFile.objects.exists())


class TestMediaDetailApi(ApiTestCase):
    def test_it_shows_a_ready_file_with_its_rendition_urls(self):
        media = self.upload()
        response = self.api("parent", "get", f"/{media.public_id}")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ready")
        self.assertEqual(body["kind"], "photo")
        # Asked with the browser's session: the URL carries that session's grant (media.grants).
        self.assertTrue(body["renditions"]["400.webp"].startswith(rendition_url(media, "400.webp") + "?g="))
        # A 640 x 480 photo: "1280" is its own 640 wide (never made larger), "400" is 400 wide.
        self.assertEqual(body["rendition_widths"]["1280.webp"], 640)
        self.assertEqual(body["rendition_widths"]["400.webp"], 400)
        self.assertEqual(body["failure_message"], "")

    def test_it_shows_the_uploader_why_a_file_failed_and_no_urls(self):
        media = self.upload()
        MediaFile.objects.filter(id=media.id).update(status=MediaFile.Status.FAILED, failure_code="too_long")
        body = self.api("teacher", "get", f"/{media.public_id}").json()
        self.assertEqual(body["status"], "failed")
        self.assertIn("te lang", body["failure_message"])
        self.assertEqual(body["renditions"], {})

    def test_it_shows_the_uploader_an_unattached_upload_but_nobody_else(self):
        media = self.pending_upload("teacher")
        self.assertEqual(self.api("teacher", "get", f"/{media.public_id}").json()["status"], "uploaded")
        self.assertEqual(self.api("duo_teacher", "get", f"/{media.public_id}").status_code, 404)

    def test_it_answers_404_to_outsiders(self):
        media = self.upload()
        for persona in ["outsider", "other_teacher", "other_school_parent", "other_board_parent"]:
            with self.subTest(persona=persona):
                response = self.api(persona, "get", f"/{media.public_id}")
                self.assertEqual(response.status_code, 404)
                self.assertIn("detail", response.json())

    def test_it_answers_401_to_anonymous(self):
        media = self.upload()
        self.assertEqual(self.client.get(f"/api/v1/media/{media.public_id}").status_code, 401)


class TestGroupFilesApi(ApiTestCase):
    def test_it_lists_the_ready_files_of_the_group(self):
        first, second = self.upload(), self.upload(name="tweede.jpg")
        body = self.api("parent", "get", f"/groups/{self.world.group3.public_id}/files").json()
        self.assertEqual([item["id"] for item in body], [first.public_id, second.public_id])

    def test_it_answers_404_to_outsiders(self):
        for persona in ["outsider", "other_teacher", "other_school_parent"]:
            with self.subTest(persona=persona):
                response = self.api(persona, "get", f"/groups/{self.world.group3.public_id}/files")
                self.assertEqual(response.status_code, 404)


class TestGroupAttachApi(ApiTestCase):
    def path(self):
        return f"/groups/{self.world.group3.public_id}/files"

    def test_it_attaches_uploads_in_the_given_order(self):
        one, two = self.pending_upload(), self.pending_upload()
        response = self.api("teacher", "post", self.path(), {"media_ids": [two.public_id, one.public_id]})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual([item["id"] for item in response.json()], [two.public_id, one.public_id])
        two.refresh_from_db()
        self.assertEqual(two.carrier, self.world.group3)

    def test_it_answers_404_for_someone_elses_upload(self):
        theirs = self.pending_upload("duo_teacher")
        response = self.api("teacher", "post", self.path(), {"media_ids": [theirs.public_id]})
        self.assertEqual(response.status_code, 404)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.carrier_id)

    def test_it_refuses_a_failed_upload_with_its_reason(self):
        media = self.pending_upload()
        MediaFile.objects.filter(id=media.id).update(status=MediaFile.Status.FAILED, failure_code="corrupt")
        response = self.api("teacher", "post", self.path(), {"media_ids": [media.public_id]})
        self.assertEqual(response.status_code, 422)
        self.assertIn("beschadigd", response.json()["detail"])

    def test_it_refuses_a_file_already_attached(self):
        media = self.upload()
        response = self.api("teacher", "post", self.path(), {"media_ids": [media.public_id]})
        self.assertEqual(response.status_code, 422)

    @override_settings(MEDIA_LIMITS={"files_per_post": 1})
    def test_it_refuses_more_files_than_the_limit(self):
        ids = [self.pending_upload().public_id for _ in range(2)]
        response = self.api("teacher", "post", self.path(), {"media_ids": ids})
        self.assertEqual(response.status_code, 422)
        self.assertFalse(MediaFile.objects.filter(carrier_id__isnull=False).exists())

    def test_it_refuses_an_upload_from_another_school(self):
        media = self.pending_upload()
        MediaFile.objects.filter(id=media.id).update(school=self.world.other_school)
        response = self.api("teacher", "post", self.path(), {"media_ids": [media.public_id]})
        self.assertEqual(response.status_code, 422)

    def test_it_answers_404_to_a_parent_of_the_group(self):
        media = self.pending_upload("parent")
        response = self.api("parent", "post", self.path(), {"media_ids": [media.public_id]})
        self.assertEqual(response.status_code, 404)


class TestDeleteApi(ApiTestCase):
    def test_it_lets_the_uploader_delete(self):
        media = self.upload()
        self.assertEqual(self.api("teacher", "delete", f"/{media.public_id}").status_code, 204)
        self.assertFalse(MediaFile.objects.exists())

    def test_it_answers_404_to_a_parent_who_can_only_see_it(self):
        media = self.upload()
        self.assertEqual(self.api("parent", "delete", f"/{media.public_id}").status_code, 404)
        self.assertTrue(MediaFile.objects.exists())
