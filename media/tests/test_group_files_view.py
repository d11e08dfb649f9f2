from django.test import override_settings
from django.urls import reverse

from media.models import MediaFile
from media.queries import rendition_url
from media.tests.helpers import MediaTestCase, jpeg_bytes, quarantined_files, upload_of


class TestGroupFilesView(MediaTestCase):
    def url(self, group=None):
        return reverse("media:group_files", args=[(group or self.world.group3).public_id])

    def test_it_shows_parents_the_ready_files_with_thumbnails(self):
        media = self.upload()
        response = self.login("parent").get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, rendition_url(media, "400.webp"))
        self.assertContains(response, "schoolreis.jpg")
        self.assertNotContains(response, 'enctype="multipart/form-data"')

    def test_it_hides_pending_and_failed_files_from_parents_but_shows_them_to_staff(self):
        media = self.upload()
        MediaFile.objects.filter(id=media.id).update(status=MediaFile.Status.FAILED, failure_code="corrupt")
        parent = self.login("parent").get(self.url())
        self.assertNotContains(parent, "schoolreis.jpg")
        staff = self.login("duo_teacher").get(self.url())
        self.assertContains(staff, "schoolreis.jpg")
        self.assertContains(staff, "beschadigd")
        self.assertNotContains(staff, rendition_url(media, "400.webp"))

    def test_it_offers_the_upload_form_to_staff(self):
        response = self.login("teacher").get(self.url())
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, reverse("api:media_upload"))
        self.assertContains(response, "js/upload.js")

    def test_it_answers_404_to_outsiders(self):
        for persona in ["outsider", "other_teacher", "other_school_parent", "other_board_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(self.url()).status_code, 404)

    def test_it_lists_many_files_in_constant_queries(self):
        for _ in range(3):
            self.upload()
        client = self.login("parent")
        client.get(self.url())  # warm caches
        # Session, user (with its staff flag), the viewer's groups (resolved once per request: core.viewer),
        # group, files, renditions (a parent has no staff powers to check, so no manage query).
        with self.assertNumQueries(7):
            response = client.get(self.url())
        self.assertEqual(response.content.count(b'data-testid="media-file"'), 3)


class TestGroupUploadView(MediaTestCase):
    def url(self):
        return reverse("media:group_upload", args=[self.world.group3.public_id])

    def post(self, *files, persona="teacher"):
        with self.captureOnCommitCallbacks(execute=True):
            return self.login(persona).post(self.url(), {"files": list(files)}, follow=True)

    def test_it_uploads_several_files_without_javascript(self):
        response = self.post(upload_of("a.jpg", jpeg_bytes()), upload_of("b.jpg", jpeg_bytes(500, 500)))
        self.assertEqual(
            response.redirect_chain[-1][0], reverse("media:group_files", args=[self.world.group3.public_id])
        )
        files = MediaFile.objects.order_by("position")
        self.assertEqual([m.original_name for m in files], ["a.jpg", "b.jpg"])
        self.assertEqual({m.status for m in files}, {MediaFile.Status.READY})
        self.assertEqual({m.carrier for m in files}, {self.world.group3})
        self.assertContains(response, "worden verwerkt")

    def test_it_refuses_a_bad_file_with_its_name_and_keeps_the_good_ones(self):
        response = self.post(
            upload_of("virus.exe", b"MZ\x90\x00" + b"\x00" * 100), upload_of("a.jpg", jpeg_bytes())
        )
        self.assertContains(response, "virus.exe:")
        self.assertEqual(list(MediaFile.objects.values_list("original_name", flat=True)), ["a.jpg"])
        self.assertEqual(quarantined_files(), [])

    def test_it_asks_for_a_file(self):
        response = self.post()
        self.assertContains(response, "Kies een of meer bestanden")
        self.assertFalse(MediaFile.objects.exists())

    @override_settings(MEDIA_LIMITS={"files_per_post": 2})
    def test_it_refuses_more_files_than_the_limit(self):
        response = self.post(*[upload_of(f"{n}.jpg", jpeg_bytes(100, 100)) for n in range(3)])
        self.assertContains(response, "maximaal 2 bestanden")
        self.assertFalse(MediaFile.objects.exists())

    def test_it_answers_404_to_a_parent_of_the_group(self):
        response = self.login("parent").post(self.url(), {"files": [upload_of("a.jpg", jpeg_bytes())]})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(MediaFile.objects.exists())

    def test_it_answers_404_to_outsiders(self):
        for persona in ["outsider", "other_teacher", "other_school_parent"]:
            with self.subTest(persona=persona):
                response = self.login(persona).post(self.url(), {"files": [upload_of("a.jpg", jpeg_bytes())]})
                self.assertEqual(response.status_code, 404)
        self.assertFalse(MediaFile.objects.exists())


class TestMediaDeleteView(MediaTestCase):
    def test_it_lets_staff_of_the_group_remove_a_file(self):
        media = self.upload("teacher")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.login("duo_teacher").post(reverse("media:media_delete", args=[media.public_id]))
        self.assertRedirects(response, reverse("media:group_files", args=[self.world.group3.public_id]))
        self.assertFalse(MediaFile.objects.exists())

    def test_it_answers_404_to_a_parent_and_outsiders(self):
        media = self.upload("teacher")
        for persona in ["parent", "outsider", "other_teacher", "other_school_parent"]:
            with self.subTest(persona=persona):
                response = self.login(persona).post(reverse("media:media_delete", args=[media.public_id]))
                self.assertEqual(response.status_code, 404)
        self.assertTrue(MediaFile.objects.filter(id=media.id).exists())
