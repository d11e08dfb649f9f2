from consent.actions import check_tag, do_blur
from consent.enforcement import ConsentRefused
from consent.models import FaceBox, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from core.viewer import verified
from media.models import MediaFile
from media.queries import rendition_url
from media.tests.helpers import jpeg_bytes
from posts.actions import Draft, check_publish_post
from posts.models import Post


class TestPublishingAPostWithPhotos(ConsentTestCase):
    def publish(self, media_files, groups=None, persona="teacher"):
        with self.captureOnCommitCallbacks(execute=True):
            return check_publish_post(
                acting_user=verified(getattr(self.world, persona)),
                groups=groups or [self.world.group3],
                draft=Draft(title="Schoolreis"),
                media_files=media_files,
            )

    def test_it_stops_a_photo_of_a_child_without_consent_and_names_child_and_photo(self):
        photos = [loose_upload(self, "teacher", jpeg_bytes(), f"foto{i}.jpg") for i in range(2)]
        face_photo = loose_upload(self, "teacher", astronaut_jpeg(512), "astronaut.jpg")
        self.consent_all("class_parent_child", Scope.CLASS)
        check_tag(acting_user=self.world.teacher, media=photos[0], pupil=self.world.class_parent_child)
        face = FaceBox.objects.get(media=face_photo)
        check_tag(acting_user=self.world.teacher, media=face_photo, pupil=self.world.child, face=face)
        with self.assertRaises(ConsentRefused) as refused:
            self.publish([*photos, face_photo])
        [message] = refused.exception.messages
        self.assertIn("Daan", message)
        self.assertIn("astronaut.jpg", message)
        self.assertIn("onherkenbaar", message)  # the way out: blur the child
        self.assertFalse(Post.objects.exists())
        for media in [*photos, face_photo]:
            media.refresh_from_db()
            self.assertIsNone(media.carrier_id)  # nothing half-saved: the photos are still free uploads

        do_blur(acting_user=self.world.teacher, media=face_photo, boxes=[face])
        post = self.publish([*photos, face_photo])
        self.assertIsNotNone(post.published_at)
        self.assertEqual(self.login("parent").get(rendition_url(face_photo, "400.webp")).status_code, 200)

    def test_it_blurs_faces_nobody_tagged_when_the_post_is_published(self):
        face_photo = loose_upload(self, "teacher", astronaut_jpeg(512), "astronaut.jpg")
        etag = face_photo.renditions.get(name="400.webp").etag
        post = self.publish([face_photo])
        self.assertIsNotNone(post.published_at)
        self.assertIsNotNone(FaceBox.objects.get(media=face_photo).blurred_at)
        self.assertNotEqual(face_photo.renditions.get(name="400.webp").etag, etag)

    def test_it_checks_the_school_wide_purpose_for_a_school_wide_post(self):
        photo = loose_upload(self, "director", jpeg_bytes())
        self.consent_all("child", Scope.CLASS)
        check_tag(acting_user=self.world.director, media=photo, pupil=self.world.child)
        with self.assertRaises(ConsentRefused):
            self.publish([photo], groups=[self.world.wide], persona="director")
        photo.refresh_from_db()
        self.assertEqual(self.publish([photo], persona="director").groups.get(), self.world.group3)

    def test_a_tag_added_after_publishing_withholds_the_photo_from_the_post_audience(self):
        photo = loose_upload(self, "teacher", jpeg_bytes())
        self.publish([photo])
        url = rendition_url(photo, "400.webp")
        self.assertEqual(self.login("class_parent").get(url).status_code, 200)
        check_tag(acting_user=self.world.teacher, media=photo, pupil=self.world.child)
        self.assertEqual(self.login("class_parent").get(url).status_code, 404)


class TestWithdrawalOnTheTimeline(ConsentTestCase):
    def test_a_withheld_photo_leaves_the_post_the_album_and_the_zip_at_once(self):
        import io
        import zipfile

        self.consent_all("child", Scope.CLASS)
        photo = loose_upload(self, "teacher", jpeg_bytes(), "daan.jpg")
        other = loose_upload(self, "teacher", jpeg_bytes(), "klas.jpg")
        check_tag(acting_user=self.world.teacher, media=photo, pupil=self.world.child)
        with self.captureOnCommitCallbacks(execute=True):
            post = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Schoolreis"),
                media_files=[photo, other],
            )
        parent = self.client_for("class_parent")

        def zipped():
            response = parent.get(f"/posts/{post.public_id}/photos.zip")
            return len(zipfile.ZipFile(io.BytesIO(response.content)).namelist())

        self.assertEqual(zipped(), 2)
        self.assertContains(parent.get(f"/posts/{post.public_id}/"), photo.public_id)
        self.answer("co_parent", "child", False)
        self.assertEqual(zipped(), 1)
        self.assertNotContains(parent.get(f"/posts/{post.public_id}/"), photo.public_id)
        self.assertEqual(parent.get(rendition_url(photo, "400.webp")).status_code, 404)


class TestPhotosAddedToAPostAlreadyShown(ConsentTestCase):
    """Editing a published post skips its publishing, so its checks run when the photos are added."""

    def setUp(self):
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.post = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Uitje"),
            )
        self.assertIsNotNone(self.post.published_at)

    def edit_with_upload(self):
        from media.tests.helpers import upload_of

        self.login("teacher")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                f"/posts/{self.post.public_id}/edit/",
                {"title": "Uitje", "body": "", "files": [upload_of("kring.jpg", astronaut_jpeg(512))]},
            )
        self.assertRedirects(response, f"/posts/{self.post.public_id}/")
        return MediaFile.objects.get(original_name="kring.jpg")

    def test_a_photo_processed_after_it_was_added_has_its_untagged_faces_blurred(self):
        media = self.edit_with_upload()
        self.assertEqual(media.carrier, self.post)
        self.assertIsNotNone(FaceBox.objects.get(media=media).blurred_at)
        self.assertEqual(self.login("parent").get(rendition_url(media, "400.webp")).status_code, 200)

    def test_the_school_may_keep_untagged_faces(self):
        from consent.actions import do_set_blur_untagged

        do_set_blur_untagged(acting_user=self.world.director, school=self.world.school, enabled=False)
        media = self.edit_with_upload()
        self.assertIsNone(FaceBox.objects.get(media=media).blurred_at)

    def patch(self, media):
        self.login("teacher")
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.patch(
                f"/api/v1/posts/{self.post.public_id}",
                {"media_ids": [media.public_id]},
                content_type="application/json",
            )

    def test_a_processed_photo_added_later_has_its_untagged_faces_blurred_at_once(self):
        media = loose_upload(self, "teacher", astronaut_jpeg(512), "kring.jpg")
        etag = media.renditions.get(name="400.webp").etag
        self.assertEqual(self.patch(media).status_code, 200)
        self.assertIsNotNone(FaceBox.objects.get(media=media).blurred_at)
        self.assertNotEqual(media.renditions.get(name="400.webp").etag, etag)

    def test_a_tagged_child_without_consent_stops_the_edit(self):
        media = loose_upload(self, "teacher", jpeg_bytes(), "daan.jpg")
        check_tag(acting_user=self.world.teacher, media=media, pupil=self.world.child)
        response = self.patch(media)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["problems"][0]["media"], media.public_id)
        media.refresh_from_db()
        self.assertIsNone(media.carrier_id)

    def test_a_post_not_published_yet_blurs_at_publishing_as_before(self):
        from posts.tests.helpers import in_days

        with self.captureOnCommitCallbacks(execute=True):
            later = check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title="Later", publish_at=in_days(1)),
            )
        self.post = later
        media = loose_upload(self, "teacher", astronaut_jpeg(512), "kring.jpg")
        self.assertEqual(self.patch(media).status_code, 200)
        self.assertIsNone(FaceBox.objects.get(media=media).blurred_at)
