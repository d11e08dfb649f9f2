"""The API twin of the web form's "check the photos" step: check, tag, be refused with the problems, blur."""

from consent.models import FaceBox, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from media.tests.helpers import jpeg_bytes
from posts.models import Post
from posts.tests.helpers import PostsTestCase


class TestPhotoCheckApi(ConsentTestCase, PostsTestCase):
    def api(self, path: str, data: dict):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/api/v1/{path}", data, content_type="application/json")

    def test_it_shows_the_uploads_as_the_groups_would_get_them_then_refuses_and_publishes_after_blur(self):
        kring = loose_upload(self, "director", astronaut_jpeg(512), "kring.jpg")
        self.login("director")  # sees every child of the school: the group narrows whom to pick
        group = self.world.group3.public_id
        [page] = self.api("posts/photo-check", {"groups": [group], "media_ids": [kring.public_id]}).json()
        self.assertEqual(page["media"], kring.public_id)
        self.assertEqual(len(page["faces"]), 1)
        names = {candidate["name"] for candidate in page["candidates"]}
        self.assertIn("Daan Mulder", names)
        self.assertNotIn("Lars Dekker", names)  # Groep 4
        self.assertEqual(page["problems"], [])

        face = page["faces"][0]["public_id"]
        tagged = self.api(
            f"privacy/media/{kring.public_id}/tags", {"pupil": self.world.child.public_id, "face": face}
        )
        self.assertEqual(tagged.status_code, 201)
        [page] = self.api("posts/photo-check", {"groups": [group], "media_ids": [kring.public_id]}).json()
        self.assertEqual(
            page["problems"], [{"pupil": self.world.child.public_id, "purpose": self.purpose().name}]
        )

        post = {"groups": [group], "title": "In de kring", "media_ids": [kring.public_id]}
        refused = self.api("posts", post)
        self.assertEqual(refused.status_code, 422)
        self.assertIn("Daan", refused.json()["detail"])
        self.assertEqual(
            refused.json()["problems"],
            [{"media": kring.public_id, "pupil": self.world.child.public_id, "purpose": self.purpose().name}],
        )
        self.assertFalse(Post.objects.exists())

        self.api(f"privacy/media/{kring.public_id}/blur", {"pupils": [self.world.child.public_id]})
        self.assertIsNotNone(FaceBox.objects.get(media=kring).blurred_at)
        created = self.api("posts", post)
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["files"][0]["id"], kring.public_id)

    def test_it_lets_a_child_with_consent_through(self):
        photo = loose_upload(self, "teacher", jpeg_bytes())
        self.consent_all("child", Scope.CLASS)
        self.login("teacher")
        self.api(f"privacy/media/{photo.public_id}/tags", {"pupil": self.world.child.public_id})
        group = self.world.group3.public_id
        [page] = self.api("posts/photo-check", {"groups": [group], "media_ids": [photo.public_id]}).json()
        self.assertEqual(page["problems"], [])
        self.assertEqual(
            self.api("posts", {"groups": [group], "title": "X", "media_ids": [photo.public_id]}).status_code,
            201,
        )

    def test_it_is_404_for_someone_elses_upload(self):
        theirs = loose_upload(self, "duo_teacher", jpeg_bytes())
        self.login("teacher")
        data = {"groups": [self.world.group3.public_id], "media_ids": [theirs.public_id]}
        self.assertEqual(self.api("posts/photo-check", data).status_code, 404)

    def test_it_refuses_a_group_the_author_cannot_post_to(self):
        mine = loose_upload(self, "teacher", jpeg_bytes())
        self.login("teacher")
        response = self.api(
            "posts/photo-check", {"groups": [self.world.group4.public_id], "media_ids": [mine.public_id]}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "U kunt niet in een van deze groepen plaatsen.")
