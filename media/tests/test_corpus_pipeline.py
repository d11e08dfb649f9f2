"""The hostile corpus end to end: upload through the page face, process, serve to a parent of the group."""

import shutil
import tempfile
from pathlib import Path

from django.test import override_settings
from django.urls import reverse

from media.models import MediaFile
from media.queries import rendition_url
from media.tests import corpus
from media.tests.helpers import MediaTestCase, quarantined_files, stored_files, upload_of
from media.tests.test_rendition_view import body


class TestCorpusThroughThePipeline(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def share(self, make) -> tuple[bytes, object]:
        path = make(self.tmp)
        data = path.read_bytes()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.login("teacher").post(
                reverse("media:group_upload", args=[self.world.group3.public_id]),
                {"files": [upload_of(path.name, data)]},
                follow=True,
            )
        return data, response

    def served(self, media: MediaFile) -> dict[str, bytes]:
        parent = self.client_for("parent")
        out = {}
        for rendition in media.renditions.all():
            response = parent.get(rendition_url(media, rendition.name))
            self.assertEqual(response.status_code, 200, rendition.name)
            out[rendition.name] = body(response)
        return out

    def assert_clean(self, original: bytes, media: MediaFile) -> dict[str, bytes]:
        served = self.served(media)
        self.assertTrue(served)
        for name, data in served.items():
            self.assertEqual(corpus.leaks(data), [], name)
            self.assertNotEqual(data, original, name)
        self.assertEqual(quarantined_files(), [])
        for stored in stored_files():
            self.assertNotEqual(Path(stored).read_bytes(), original)
        return served

    def test_it_serves_a_gps_jpeg_without_any_trace_of_location_or_camera(self):
        original, _response = self.share(corpus.jpeg_with_gps)
        self.assertNotEqual(corpus.leaks(original), [])  # the sample really carries them
        media = MediaFile.objects.get()
        self.assertEqual(media.status, MediaFile.Status.READY)
        served = self.assert_clean(original, media)
        self.assertIn("400.webp", served)
        self.assertIn("400.jpg", served)

    def test_it_serves_a_polyglot_only_as_a_re_encoded_image(self):
        original, _response = self.share(corpus.jpeg_html_polyglot)
        media = MediaFile.objects.get()
        for data in self.assert_clean(original, media).values():
            self.assertNotIn(b"<html", data.lower())

    def test_it_serves_a_phone_heic_as_clean_webp(self):
        original, _response = self.share(corpus.heic_from_phone)
        self.assert_clean(original, MediaFile.objects.get())

    def test_it_serves_a_located_video_without_its_location_and_lets_the_player_seek(self):
        original, _response = self.share(corpus.mp4_with_location)
        media = MediaFile.objects.get()
        self.assertEqual(media.kind, MediaFile.Kind.VIDEO)
        served = self.assert_clean(original, media)
        video = served["video.mp4"]
        self.assertIn("poster.webp", served)
        parent = self.client_for("parent")
        url = rendition_url(media, "video.mp4")
        size = len(video)
        for first, last in [(0, 1), (size // 3, size // 3 + 4095), (size - 100, size - 1), (10, 10)]:
            response = parent.get(url, headers={"Range": f"bytes={first}-{last}"})
            self.assertEqual(response.status_code, 206)
            self.assertEqual(response["Content-Type"], "video/mp4")
            self.assertEqual(body(response), video[first : last + 1])

    def test_it_refuses_hostile_files_with_a_clear_message_and_keeps_nothing(self):
        for make, words in [
            (corpus.svg_with_script, "SVG"),
            (corpus.html_page, "SVG"),
            (corpus.windows_exe, "niet worden gedeeld"),
            (corpus.zip_archive, "ZIP"),
            (corpus.empty_file, "leeg"),
            (corpus.png_pixel_bomb, "megapixel"),
        ]:
            with self.subTest(sample=make.__name__):
                _data, response = self.share(make)
                self.assertContains(response, words)
                self.assertFalse(MediaFile.objects.exists())
                self.assertEqual(quarantined_files(), [])
                self.assertEqual(stored_files(), [])

    def test_it_shows_why_a_truncated_photo_failed_and_never_serves_it(self):
        self.share(corpus.jpeg_truncated)
        media = MediaFile.objects.get()
        self.assertEqual((media.status, media.failure_code), (MediaFile.Status.FAILED, "corrupt"))
        page = self.login("teacher").get(reverse("media:group_files", args=[self.world.group3.public_id]))
        self.assertContains(page, "beschadigd")
        self.assertFalse(media.renditions.exists())
        self.assertEqual(self.login("teacher").get(rendition_url(media, "400.webp")).status_code, 404)
        self.assertEqual(quarantined_files(), [])

    @override_settings(MEDIA_LIMITS={"video_seconds": 1, "files_per_post": 50})
    def test_it_refuses_a_video_over_the_duration_limit(self):
        _data, response = self.share(corpus.mp4_with_location)
        self.assertContains(response, "langer dan 1")
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(quarantined_files(), [])
