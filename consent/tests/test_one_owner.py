"""One owner per visibility rule: a file moderation hid, or consent withheld, leaves every surface that
shows a post's files at once (post page, feed, album, zip, API); a blur gives new URLs everywhere."""

import io
import zipfile

from django.utils import timezone

from consent.actions import check_tag, do_blur
from consent.models import FaceBox, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from core.viewer import verified
from media.models import MediaFile
from media.queries import rendition_url
from media.tests.helpers import jpeg_bytes
from posts.actions import Draft, check_publish_post
from posts.models import SchoolTimelineSettings


class TestAKeptBackPhotoLeavesEverySurface(ConsentTestCase):
    def setUp(self):
        super().setUp()
        SchoolTimelineSettings.objects.update_or_create(
            school=self.world.school, defaults={"photo_download_allowed": True}
        )
        self.photo = loose_upload(self, "teacher", jpeg_bytes(), "daan.jpg")
        self.other = loose_upload(self, "teacher", jpeg_bytes(), "klas.jpg")
        with self.captureOnCommitCallbacks(execute=True):
            self.post = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Schoolreis"),
                media_files=[self.photo, self.other],
            )

    def surfaces(self, persona) -> dict[str, str]:
        client = self.client_for(persona)
        post_id, group_id = self.post.public_id, self.world.group3.public_id
        pages = {
            "post page": f"/posts/{post_id}/",
            "feed": "/posts/",
            "album": f"/groups/{group_id}/album/",
            "api post": f"/api/v1/posts/{post_id}",
            "api feed": "/api/v1/posts",
        }
        shown = {name: client.get(url).content.decode() for name, url in pages.items()}
        archive = zipfile.ZipFile(io.BytesIO(client.get(f"/posts/{post_id}/photos.zip").content))
        shown["zip"] = str(len(archive.namelist()))
        return shown

    def assert_kept_back(self):
        for name, body in self.surfaces("class_parent").items():
            with self.subTest(surface=name):
                if name == "zip":
                    self.assertEqual(body, "1")
                else:
                    self.assertNotIn(self.photo.public_id, body)
        url = rendition_url(self.photo, "400.webp")
        self.assertEqual(self.client_for("class_parent").get(url).status_code, 404)
        # Those who manage the post still see it, marked as not shown to the others.
        teacher = self.client_for("teacher").get(f"/posts/{self.post.public_id}/")
        self.assertContains(teacher, self.photo.public_id)
        self.assertContains(teacher, 'data-testid="kept-back"')

    def test_everything_is_shown_before(self):
        for name, body in self.surfaces("class_parent").items():
            with self.subTest(surface=name):
                self.assertEqual(body, "2") if name == "zip" else self.assertIn(self.photo.public_id, body)

    def test_a_photo_moderation_hid(self):
        MediaFile.objects.filter(id=self.photo.id).update(hidden_at=timezone.now())
        self.assert_kept_back()

    def test_a_photo_consent_withheld(self):
        MediaFile.objects.filter(id=self.photo.id).update(withheld_at=timezone.now())
        self.assert_kept_back()


class TestABlurOnAPublishedPost(ConsentTestCase):
    def test_the_post_page_shows_the_new_url_and_the_old_one_answers_404(self):
        self.consent_all("child", Scope.CLASS)
        photo = loose_upload(self, "teacher", astronaut_jpeg(512), "astronaut.jpg")
        face = FaceBox.objects.get(media=photo)
        check_tag(acting_user=self.world.teacher, media=photo, pupil=self.world.child, face=face)
        with self.captureOnCommitCallbacks(execute=True):
            post = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Kring"),
                media_files=[photo],
            )
        photo.refresh_from_db()
        old_url = rendition_url(photo, "400.webp")
        parent = self.client_for("parent")
        self.assertContains(parent.get(f"/posts/{post.public_id}/"), old_url.rsplit("/", 1)[0])
        self.assertEqual(parent.get(old_url).status_code, 200)
        do_blur(acting_user=self.world.teacher, media=photo, boxes=[face])
        new_url = rendition_url(photo, "400.webp")
        page = parent.get(f"/posts/{post.public_id}/")
        self.assertNotContains(page, old_url.rsplit("/", 1)[0] + "/")
        self.assertContains(page, new_url.rsplit("/", 1)[0] + "/")
        self.assertEqual(parent.get(old_url).status_code, 404)
        self.assertEqual(parent.get(new_url).status_code, 200)
        check_step = self.client_for("teacher").get(f"/privacy/media/{photo.public_id}/")
        self.assertNotContains(check_step, old_url.rsplit("/", 1)[0] + "/")
        self.assertContains(check_step, new_url.rsplit("/", 1)[0] + "/")
