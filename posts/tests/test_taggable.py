"""Children are tagged in photos and videos, never in a document: one rule (consent.queries.is_taggable) for
the check step before posting, its API twin and the tagging action."""

from django.core.exceptions import ValidationError

from consent.actions import check_tag
from consent.models import PhotoTag
from consent.queries import is_taggable
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from media.tests.helpers import pdf_bytes
from posts.tests.helpers import PostsTestCase


class TestDocumentsAreNotTagged(ConsentTestCase, PostsTestCase):
    def setUp(self):
        super().setUp()
        self.photo = loose_upload(self, "teacher", astronaut_jpeg(512), "kring.jpg")
        self.pdf = loose_upload(self, "teacher", pdf_bytes(), "brief.pdf")

    def test_the_rule(self):
        self.assertEqual((is_taggable(self.photo), is_taggable(self.pdf)), (True, False))

    def test_the_check_step_offers_no_child_for_a_document(self):
        fields = {
            "groups": [self.world.group3.id],
            "kind": "announcement",
            "title": "Herfst",
            "step": "check",
        }
        fields["media"] = [self.photo.public_id, self.pdf.public_id]
        response = self.login("teacher").post("/posts/new/", fields)
        photo_page, pdf_page = response.context["pages"]
        self.assertTrue(photo_page.candidates)
        self.assertEqual(pdf_page.candidates, [])
        html = response.content.decode()
        pdf_card = html.split(f'id="photo-{self.pdf.public_id}"')[1].split("</li>")[0]
        self.assertIn('data-testid="not-taggable"', pdf_card)
        self.assertNotIn("Kind toevoegen", pdf_card)
        self.assertNotIn(f'name="add-{self.pdf.public_id}"', pdf_card)
        photo_card = html.split(f'id="photo-{self.photo.public_id}"')[1]
        self.assertIn(f'name="add-{self.photo.public_id}"', photo_card)

    def test_a_forged_choice_for_a_document_tags_nobody(self):
        fields = {
            "groups": [self.world.group3.id],
            "kind": "announcement",
            "title": "Herfst",
            "step": "check",
        }
        fields |= {"media": [self.pdf.public_id], f"add-{self.pdf.public_id}": self.world.child.public_id}
        self.login("teacher").post("/posts/new/", fields)
        self.assertFalse(PhotoTag.objects.exists())

    def test_the_api_says_a_document_is_not_taggable(self):
        self.login("teacher")
        body = {
            "groups": [self.world.group3.public_id],
            "media_ids": [self.photo.public_id, self.pdf.public_id],
        }
        photo, pdf = self.client.post(
            "/api/v1/posts/photo-check", body, content_type="application/json"
        ).json()
        self.assertEqual((photo["taggable"], pdf["taggable"]), (True, False))
        self.assertEqual(pdf["candidates"], [])
        tag = self.client.post(
            f"/api/v1/privacy/media/{self.pdf.public_id}/tags",
            {"pupil": self.world.child.public_id},
            content_type="application/json",
        )
        self.assertEqual(tag.status_code, 404)  # not a file one tags, like a missing one

    def test_the_action_refuses_a_document(self):
        with self.assertRaises(ValidationError) as refused:
            check_tag(acting_user=self.world.teacher, media=self.pdf, pupil=self.world.child)
        self.assertEqual(refused.exception.code, "not_taggable")
        self.assertFalse(PhotoTag.objects.exists())
