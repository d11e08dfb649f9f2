import numpy as np
import pyvips
from django.core.exceptions import ValidationError

from consent.actions import check_release, check_tag, do_blur
from consent.enforcement import ConsentRefused
from consent.faces import Box, blur_boxes, find_faces, pixel_rect
from consent.models import FaceBox, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, pixels
from media.models import MediaFile
from media.queries import rendition_url
from media.storage import media_storage
from media.tests.helpers import jpeg_bytes, stored_files


def stored_image(rendition) -> pyvips.Image:
    with media_storage().open(rendition.storage_name, "rb") as handle:
        return pyvips.Image.new_from_buffer(handle.read(), "")


class TestFindFaces(ConsentTestCase):
    def test_it_finds_the_face_in_a_real_photograph(self):
        [box] = find_faces(pyvips.Image.new_from_buffer(astronaut_jpeg(), ""))
        # The astronaut's face: left of centre, in the upper third.
        self.assertTrue(0.25 < box.left < 0.45 and 0.05 < box.top < 0.25, box)
        self.assertTrue(0.1 < box.width < 0.3, box)

    def test_it_finds_a_tilted_face(self):
        # A child leaning over a table: the Haar cascade used before found no face tilted this far.
        image = pyvips.Image.new_from_buffer(astronaut_jpeg(), "").similarity(angle=-30)
        boxes = find_faces(pyvips.Image.new_from_buffer(image.jpegsave_buffer(Q=90), ""))
        [box] = boxes
        self.assertTrue(0.2 < box.left < 0.5 and 0.1 < box.top < 0.4, box)

    def test_it_finds_nothing_in_a_gradient(self):
        self.assertEqual(find_faces(pyvips.Image.new_from_buffer(jpeg_bytes(), "")), [])

    def test_blurring_changes_the_box_and_nothing_outside_it(self):
        image = pyvips.Image.new_from_buffer(astronaut_jpeg(512), "")
        [box] = find_faces(image)
        before, after = pixels(image).astype(int), pixels(blur_boxes(image, [box])).astype(int)
        left, top, width, height = pixel_rect(box, image.width, image.height)
        inside = np.zeros(before.shape[:2], dtype=bool)
        inside[top : top + height, left : left + width] = True
        self.assertEqual(np.abs(after - before)[~inside].max(), 0)
        self.assertGreater(np.abs(after - before)[inside].mean(), 10)


class TestFacesAtProcessing(ConsentTestCase):
    def test_it_stores_the_face_and_holds_a_group_photo_for_its_check(self):
        media = self.upload(data=astronaut_jpeg())
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertEqual(FaceBox.objects.filter(media=media).count(), 1)
        self.assertIsNotNone(media.withheld_at)
        self.assertEqual(self.login("parent").get(rendition_url(media, "400.webp")).status_code, 404)
        self.assertEqual(self.login("teacher").get(rendition_url(media, "400.webp")).status_code, 200)

    def test_it_holds_a_processed_photo_with_faces_when_it_is_put_on_a_group(self):
        from consent.tests.helpers import loose_upload
        from media.actions import check_attach_media

        media = loose_upload(self, "teacher", astronaut_jpeg(512))
        self.assertIsNone(media.withheld_at)
        check_attach_media(acting_user=self.world.teacher, media_files=[media], carrier=self.world.group3)
        media.refresh_from_db()
        self.assertIsNotNone(media.withheld_at)

    def test_it_shows_a_photo_without_faces_at_once(self):
        media = self.upload()
        self.assertFalse(FaceBox.objects.filter(media=media).exists())
        self.assertIsNone(media.withheld_at)


class TestDoBlur(ConsentTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.upload(data=astronaut_jpeg())
        self.face = FaceBox.objects.get(media=self.media)

    def test_it_replaces_every_rendition_and_deletes_the_unblurred_files(self):
        old = {r.name: r for r in self.media.renditions.all()}
        largest_before = stored_image(old["1280.webp"])
        files_before = stored_files()
        with self.captureOnCommitCallbacks(execute=True):
            do_blur(acting_user=self.world.teacher, media=self.media, boxes=[self.face])
        new = {r.name: r for r in self.media.renditions.all()}
        self.assertEqual(set(new), set(old))
        for name in old:
            self.assertNotEqual(new[name].storage_name, old[name].storage_name)
            self.assertNotEqual(new[name].etag, old[name].etag)
            self.assertFalse(media_storage().exists(old[name].storage_name))
        self.assertEqual(len(stored_files()), len(files_before))
        self.face.refresh_from_db()
        self.assertIsNotNone(self.face.blurred_at)
        # The face box differs; outside it only the re-encoding's noise remains.
        after = stored_image(new["1280.webp"])
        before_px, after_px = pixels(largest_before).astype(int), pixels(after).astype(int)
        left, top, width, height = pixel_rect(
            Box(self.face.left, self.face.top, self.face.width, self.face.height), after.width, after.height
        )
        inside = np.zeros(before_px.shape[:2], dtype=bool)
        inside[top : top + height, left : left + width] = True
        self.assertGreater(np.abs(after_px - before_px)[inside].mean(), 10)
        self.assertLess(np.abs(after_px - before_px)[~inside].mean(), 2)
        # The face is gone: the detector finds nothing where it was.
        for found in find_faces(after):
            self.assertFalse(
                found.left < self.face.left + self.face.width
                and self.face.left < found.left + found.width
                and found.top < self.face.top + self.face.height
                and self.face.top < found.top + found.height,
                found,
            )

    def test_a_blur_gives_every_rendition_a_new_url_and_the_old_one_answers_404(self):
        client = self.login("teacher")
        url = rendition_url(self.media, "400.webp")
        old = client.get(url)
        old_bytes = b"".join(old.streaming_content)
        do_blur(acting_user=self.world.teacher, media=self.media, boxes=[self.face])
        self.assertEqual(client.get(url, HTTP_IF_NONE_MATCH=old["ETag"]).status_code, 404)
        self.media.refresh_from_db()
        new_url = rendition_url(self.media, "400.webp")
        self.assertNotEqual(new_url, url)
        response = client.get(new_url)
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], old["ETag"])
        self.assertNotEqual(b"".join(response.streaming_content), old_bytes)

    def test_it_refuses_a_video_or_unprocessed_file_and_keeps_it(self):
        MediaFile.objects.filter(id=self.media.id).update(status=MediaFile.Status.PROCESSING)
        self.media.refresh_from_db()
        with self.assertRaises(ValidationError):
            do_blur(acting_user=self.world.teacher, media=self.media, boxes=[self.face])
        self.face.refresh_from_db()
        self.assertIsNone(self.face.blurred_at)


class TestReleaseAfterBlur(ConsentTestCase):
    def test_the_author_blurs_the_child_without_consent_and_the_parent_sees_the_photo(self):
        media = self.upload(data=astronaut_jpeg())
        face = FaceBox.objects.get(media=media)
        check_tag(acting_user=self.world.teacher, media=media, pupil=self.world.child, face=face)
        with self.assertRaises(ConsentRefused) as refused:
            check_release(acting_user=self.world.teacher, media_files=[media])
        self.assertIn("Daan", refused.exception.messages[0])
        self.assertIn(media.original_name, refused.exception.messages[0])
        do_blur(acting_user=self.world.teacher, media=media, boxes=[face])
        check_release(acting_user=self.world.teacher, media_files=[media])
        self.assertEqual(self.login("parent").get(rendition_url(media, "400.webp")).status_code, 200)

    def test_it_blurs_untagged_faces_on_release_when_the_school_wants_that(self):
        media = self.upload(data=astronaut_jpeg())
        check_release(acting_user=self.world.teacher, media_files=[media])
        self.assertIsNotNone(FaceBox.objects.get(media=media).blurred_at)

    def test_it_leaves_untagged_faces_when_the_setting_is_off(self):
        from consent.actions import do_set_blur_untagged

        do_set_blur_untagged(acting_user=self.world.director, school=self.world.school, enabled=False)
        media = self.upload(data=astronaut_jpeg())
        check_release(acting_user=self.world.teacher, media_files=[media])
        self.assertIsNone(FaceBox.objects.get(media=media).blurred_at)


class TestWithdrawalAfterPublishing(ConsentTestCase):
    def test_the_rendition_urls_stop_working_for_parents_in_the_same_request(self):
        self.consent_all("child", Scope.CLASS)
        media = self.upload()
        check_tag(acting_user=self.world.teacher, media=media, pupil=self.world.child)
        media.refresh_from_db()
        self.assertIsNone(media.withheld_at)
        parent = self.login("class_parent")
        urls = [rendition_url(media, r.name) for r in media.renditions.all()]
        self.assertTrue(all(parent.get(url).status_code == 200 for url in urls))
        response = self.client_for("co_parent").post(
            f"/privacy/children/{self.world.child.public_id}/",
            {f"purpose_{self.purpose(Scope.CLASS).public_id}": "no"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(all(parent.get(url).status_code == 404 for url in urls))
        self.assertEqual(self.client_for("teacher").get(urls[0]).status_code, 200)
        tasks = self.client_for("teacher").get("/privacy/tasks/")
        self.assertContains(tasks, media.original_name)
        self.assertContains(tasks, "Daan")
