from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import override_settings

from accounts.models import ApiToken, hash_token
from media import actions
from media.models import MediaFile
from media.queries import rendition_url
from media.tests.helpers import MediaTestCase, docx_bytes, jpeg_bytes, pdf_bytes
from schools.models import Enrolment


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class TestRenditionView(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.upload(data=jpeg_bytes(1600, 1200))
        self.thumb = self.media.renditions.get(name="400.webp")
        self.url = rendition_url(self.media, "400.webp")

    def stored_bytes(self, rendition) -> bytes:
        from media.storage import media_storage

        with media_storage().open(rendition.storage_name) as handle:
            return handle.read()

    def test_it_serves_a_thumbnail_to_a_parent_of_the_group(self):
        response = self.login("parent").get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/webp")
        self.assertEqual(body(response), self.stored_bytes(self.thumb))
        self.assertEqual(response["Content-Length"], str(self.thumb.byte_size))
        self.assertEqual(response["ETag"], f'"{self.thumb.etag}"')
        self.assertEqual(response["Cache-Control"], f"private, max-age={settings.MEDIA_CACHE_SECONDS}")
        self.assertIn("Cookie", response["Vary"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Accept-Ranges"], "bytes")
        self.assertTrue(response["Content-Disposition"].startswith("inline"))
        self.assertIn('filename="schoolreis.webp"', response["Content-Disposition"])

    def test_it_checks_access_with_two_small_queries(self):
        client = self.login("parent")
        client.get("/")  # warm the session and content type caches
        # Session, user (with its staff flag), the rendition, the viewer's groups (SQL compiled once per
        # process, core.compiled) and its carrier's check on their ids.
        with self.assertNumQueries(5):
            body(client.get(self.url))

    def test_it_answers_404_to_outsiders_exactly_like_a_missing_file(self):
        for persona in ["outsider", "other_teacher", "other_school_parent", "other_board_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(self.url).status_code, 404)
        self.assertEqual(self.login("parent").get(rendition_url(self.media, "9999.webp")).status_code, 404)
        self.assertEqual(self.login("parent").get("/media/AAAAAAAAAAAAAAAA/1/400.webp").status_code, 404)

    def test_it_sends_anonymous_visitors_to_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_it_accepts_a_personal_api_token(self):
        ApiToken.objects.create(
            user=self.world.parent, name="telefoon", token_hash=hash_token("s3cret"), prefix="s3"
        )
        response = self.client.get(self.url, headers={"Authorization": "Bearer s3cret"})
        self.assertEqual(response.status_code, 200)
        wrong = self.client.get(self.url, headers={"Authorization": "Bearer wrong"})
        self.assertEqual(wrong.status_code, 302)

    def test_it_revokes_access_when_the_pupil_leaves_the_group(self):
        client = self.login("parent")
        self.assertEqual(client.get(self.url).status_code, 200)
        Enrolment.objects.filter(pupil=self.world.child).update(group=self.world.group4)
        self.assertEqual(client.get(self.url).status_code, 404)

    def test_it_revokes_access_when_the_file_is_deleted(self):
        client = self.login("parent")
        self.assertEqual(client.get(self.url).status_code, 200)
        actions.do_delete_media(acting_user=self.world.teacher, media=self.media)
        self.assertEqual(client.get(self.url).status_code, 404)

    def test_it_revokes_access_when_the_carrier_is_deleted(self):
        client = self.login("parent")
        self.assertEqual(client.get(self.url).status_code, 200)
        self.world.group3.delete()
        self.assertEqual(client.get(self.url).status_code, 404)

    def test_it_never_serves_a_file_that_is_not_ready(self):
        MediaFile.objects.filter(id=self.media.id).update(
            status=MediaFile.Status.FAILED, failure_code="corrupt"
        )
        self.assertEqual(self.login("teacher").get(self.url).status_code, 404)

    def test_it_answers_304_when_the_etag_matches(self):
        client = self.login("parent")
        response = client.get(self.url, headers={"If-None-Match": f'"{self.thumb.etag}"'})
        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["ETag"], f'"{self.thumb.etag}"')
        self.assertEqual(client.get(self.url, headers={"If-None-Match": '"other"'}).status_code, 200)

    def test_it_answers_404_before_304_to_an_outsider(self):
        response = self.login("outsider").get(self.url, headers={"If-None-Match": f'"{self.thumb.etag}"'})
        self.assertEqual(response.status_code, 404)


class TestRangeRequests(MediaTestCase):
    def setUp(self):
        super().setUp()
        media = self.upload(data=jpeg_bytes(1600, 1200))
        self.rendition = media.renditions.get(name="1280.webp")
        self.url = rendition_url(media, "1280.webp")
        self.size = self.rendition.byte_size
        from media.storage import media_storage

        with media_storage().open(self.rendition.storage_name) as handle:
            self.data = handle.read()
        self.client = self.client_for("parent")

    def ranged(self, value: str, **headers):
        return self.client.get(self.url, headers={"Range": value, **headers})

    def test_it_serves_the_first_bytes(self):
        response = self.ranged("bytes=0-99")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response["Content-Range"], f"bytes 0-99/{self.size}")
        self.assertEqual(response["Content-Length"], "100")
        self.assertEqual(body(response), self.data[:100])

    def test_it_serves_a_suffix(self):
        response = self.ranged("bytes=-50")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response["Content-Range"], f"bytes {self.size - 50}-{self.size - 1}/{self.size}")
        self.assertEqual(body(response), self.data[-50:])

    def test_it_serves_an_open_ended_range(self):
        response = self.ranged("bytes=1000-")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(body(response), self.data[1000:])

    def test_it_clamps_a_range_past_the_end(self):
        response = self.ranged(f"bytes=10-{self.size + 500}")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(body(response), self.data[10:])

    def test_it_answers_416_to_an_unsatisfiable_range(self):
        for value in [f"bytes={self.size}-", "bytes=-0", "bytes=50-10"]:
            with self.subTest(value=value):
                response = self.ranged(value)
                self.assertEqual(response.status_code, 416)
                self.assertEqual(response["Content-Range"], f"bytes */{self.size}")

    def test_it_sends_everything_for_a_malformed_or_multiple_range(self):
        for value in ["bytes=abc", "items=0-5", "bytes=0-5,10-20"]:
            with self.subTest(value=value):
                response = self.ranged(value)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(body(response), self.data)

    def test_it_seeks_many_times_like_a_video_player(self):
        pieces = [(0, 1), (self.size // 2, self.size // 2 + 255), (200, 399), (self.size - 10, self.size - 1)]
        for first, last in pieces:
            response = self.ranged(f"bytes={first}-{last}")
            self.assertEqual(response.status_code, 206)
            self.assertEqual(body(response), self.data[first : last + 1])

    def test_it_ignores_the_range_when_if_range_is_stale(self):
        response = self.ranged("bytes=0-9", **{"If-Range": '"stale"'})
        self.assertEqual(response.status_code, 200)
        fresh = self.ranged("bytes=0-9", **{"If-Range": f'"{self.rendition.etag}"'})
        self.assertEqual(fresh.status_code, 206)


class TestDocumentServing(MediaTestCase):
    def test_it_sends_documents_as_sandboxed_downloads(self):
        for data, name, rendition_name in [
            (docx_bytes(), "Schoolgids 2026.docx", "document.docx"),
            (pdf_bytes(), "Schoolgids.pdf", "document.pdf"),
        ]:
            with self.subTest(name=name):
                media = self.upload(data=data, name=name)
                response = self.login("parent").get(rendition_url(media, rendition_name))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response["Content-Disposition"].startswith("attachment"))
                self.assertIn(name, response["Content-Disposition"])
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Content-Security-Policy"], "sandbox; default-src 'none'")
                if name.endswith(".pdf"):  # rewritten without active content (test_processing_pdf_*)
                    self.assertTrue(body(response).startswith(b"%PDF-"))
                else:
                    self.assertEqual(body(response), data)


class SigningStorage(FileSystemStorage):
    """Stands in for the S3 storage: signs a URL with the same arguments django-storages takes."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        disposition = (parameters or {}).get("ResponseContentDisposition", "")
        return f"https://bucket.invalid/{name}?expires={expire}&disposition={disposition}"


class TestHandOff(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.upload(data=jpeg_bytes())
        self.rendition = self.media.renditions.get(name="400.webp")
        self.url = rendition_url(self.media, "400.webp")

    @override_settings(MEDIA_SERVE_MODE="nginx", MEDIA_NGINX_LOCATION="/_protected_media/")
    def test_it_hands_the_bytes_to_nginx_with_the_apps_headers(self):
        response = self.login("parent").get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Accel-Redirect"], f"/_protected_media/{self.rendition.storage_name}")
        self.assertEqual(response["Content-Type"], "image/webp")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response.content, b"")
        self.assertEqual(self.login("outsider").get(self.url).status_code, 404)

    def test_it_redirects_to_a_short_lived_presigned_url(self):
        storage = {**settings.STORAGES["media"], "BACKEND": f"{__name__}.SigningStorage"}
        with override_settings(
            MEDIA_SERVE_MODE="s3",
            MEDIA_PRESIGNED_SECONDS=120,
            STORAGES={**settings.STORAGES, "media": storage},
        ):
            response = self.login("parent").get(self.url)
            outsider = self.login("outsider").get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response["Location"].startswith(f"https://bucket.invalid/{self.rendition.storage_name}")
        )
        self.assertIn("expires=120", response["Location"])
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(outsider.status_code, 404)


class TestObjectStoreDown(MediaTestCase):
    def test_an_unreachable_object_store_answers_503_with_a_retry_hint(self):
        from botocore.config import Config

        media = self.upload(data=jpeg_bytes())
        # The real S3 storage, at an address where nothing listens: connecting is refused at once.
        storage = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "schoolplein-media",
                "endpoint_url": "http://127.0.0.1:1",
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "client_config": Config(retries={"total_max_attempts": 1}, connect_timeout=2),
            },
        }
        with override_settings(MEDIA_SERVE_MODE="app", STORAGES={**settings.STORAGES, "media": storage}):
            client = self.login("parent")
            client.raise_request_exception = False
            response = client.get(rendition_url(media, "400.webp"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")


class TestRenditionHead(MediaTestCase):
    def test_it_answers_head_with_the_headers_and_no_body(self):
        media = self.upload()
        response = self.login("parent").head(rendition_url(media, "400.webp"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/webp")
        self.assertEqual(self.login("outsider").head(rendition_url(media, "400.webp")).status_code, 404)
