"""The new-post form with photos: upload, check the photos (tag children, blur), then publish."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.actions import do_set_blur_untagged
from consent.models import FaceBox, PhotoTag, Scope
from consent.queries import tagging_pages
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from media.models import MediaFile
from media.tests.helpers import jpeg_bytes, pdf_bytes, upload_of
from posts.models import Post
from posts.tests.helpers import PostsTestCase


class ComposeTestCase(ConsentTestCase, PostsTestCase):
    def send(self, persona: str = "teacher", media=(), **data):
        """Submit the new-post form to Groep 3, with these uploads and choices; run on_commit work."""
        fields = {"groups": [self.world.group3.id], "kind": "announcement", "title": "Herfst"}
        fields |= {"media": [m.public_id for m in media], **data}
        with self.captureOnCommitCallbacks(execute=True):
            return self.login(persona).post("/posts/new/", fields)

    def three_photos(self):
        response = self.send(
            files=[
                upload_of("kring.jpg", astronaut_jpeg(512)),
                upload_of("tekenen.jpg", jpeg_bytes()),
                upload_of("buiten.jpg", jpeg_bytes(320, 240)),
            ]
        )
        self.assertEqual(response.status_code, 200)
        names = ("kring.jpg", "tekenen.jpg", "buiten.jpg")
        return [MediaFile.objects.get(original_name=name) for name in names]


class TestCheckStep(ComposeTestCase):
    def test_it_stops_at_the_check_step_with_the_uploads_unattached(self):
        kring, tekenen, buiten = self.three_photos()
        self.assertFalse(Post.objects.exists())
        for media in (kring, tekenen, buiten):
            self.assertIsNone(media.carrier_id)
            self.assertEqual(media.uploaded_by, self.world.teacher)
        response = self.send(media=[kring, tekenen, buiten], step="check")
        pages = response.context["pages"]
        self.assertEqual([page.media for page in pages], [kring, tekenen, buiten])
        self.assertEqual(len(pages[0].faces), 1)
        face = pages[0].faces[0]
        self.assertContains(response, f'name="face-{face.public_id}"')
        self.assertContains(response, 'data-testid="face-box"', count=1)
        self.assertContains(response, f'name="media" value="{kring.public_id}"')
        # Whom to pick from: the children of the chosen class, not every child the teacher may see.
        self.assertEqual(
            {p.first_name for p in pages[0].candidates}, {"Daan", "Yasmin"} | self.others_in_group3()
        )

    def others_in_group3(self) -> set[str]:
        from schools.models import Pupil

        return set(
            Pupil.objects.filter(enrolments__group=self.world.group3)
            .exclude(first_name__in=["Daan", "Yasmin"])
            .values_list("first_name", flat=True)
        )

    def test_it_publishes_in_one_step_without_photos(self):
        response = self.send(files=[upload_of("brief.pdf", pdf_bytes())])
        post = Post.objects.get()
        self.assertRedirects(response, f"/posts/{post.public_id}/")
        self.assertEqual(MediaFile.objects.get().carrier, post)
        response = self.send(title="Zonder bijlagen")
        self.assertRedirects(response, f"/posts/{Post.objects.get(title='Zonder bijlagen').public_id}/")

    def test_it_refuses_a_child_without_consent_naming_child_and_photo(self):
        kring, tekenen, buiten = self.three_photos()
        self.consent_all("class_parent_child", Scope.CLASS)
        face = FaceBox.objects.get(media=kring)
        response = self.send(
            media=[kring, tekenen, buiten],
            step="publish",
            **{
                f"face-{face.public_id}": self.world.child.public_id,
                f"add-{tekenen.public_id}": self.world.class_parent_child.public_id,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Post.objects.exists())
        [message] = [str(m) for m in response.context["messages"]]
        self.assertIn("Daan", message)
        self.assertIn("kring.jpg", message)
        self.assertEqual(PhotoTag.objects.get(media=tekenen).pupil, self.world.class_parent_child)
        tag = PhotoTag.objects.get(media=kring)
        self.assertEqual(tag.face, face)
        # The two ways out, on the photo that has the problem only.
        self.assertContains(response, f'name="blur" value="{tag.public_id}"', count=1)
        self.assertContains(response, f'name="leave" value="{kring.public_id}"', count=1)
        self.assertContains(response, 'data-testid="problem"', count=1)
        for media in (kring, tekenen, buiten):
            media.refresh_from_db()
            self.assertIsNone(media.carrier_id)  # nothing half-saved

    def test_blurring_the_child_lets_the_post_through(self):
        kring, tekenen, buiten = self.three_photos()
        face = FaceBox.objects.get(media=kring)
        self.send(media=[kring], step="check", **{f"face-{face.public_id}": self.world.child.public_id})
        tag = PhotoTag.objects.get(media=kring)
        etag = kring.renditions.get(name="400.webp").etag
        response = self.send(media=[kring, tekenen, buiten], blur=tag.public_id)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Post.objects.exists())  # a way out never publishes by itself
        face.refresh_from_db()
        self.assertIsNotNone(face.blurred_at)
        self.assertNotEqual(kring.renditions.get(name="400.webp").etag, etag)
        self.assertNotContains(response, 'data-testid="problem"')
        response = self.send(media=[kring, tekenen, buiten], step="publish")
        post = Post.objects.get()
        self.assertRedirects(response, f"/posts/{post.public_id}/")
        self.assertIsNotNone(post.published_at)
        self.assertEqual(list(MediaFile.objects.filter(carrier_id=post.id)), [kring, tekenen, buiten])

    def test_leaving_the_photo_out_deletes_it_and_the_rest_publishes(self):
        kring, tekenen, buiten = self.three_photos()
        PhotoTag.objects.create(media=tekenen, pupil=self.world.child)
        response = self.send(media=[kring, tekenen, buiten], leave=tekenen.public_id)
        self.assertEqual([page.media for page in response.context["pages"]], [kring, buiten])
        self.assertFalse(MediaFile.objects.filter(id=tekenen.id).exists())
        self.assertFalse(Post.objects.exists())
        self.send(media=[kring, buiten], step="publish")
        self.assertEqual(MediaFile.objects.filter(carrier_id=Post.objects.get().id).count(), 2)

    def test_blurring_a_face_from_its_choice(self):
        kring, _tekenen, _buiten = self.three_photos()
        face = FaceBox.objects.get(media=kring)
        self.send(media=[kring], step="check", **{f"face-{face.public_id}": "blur"})
        face.refresh_from_db()
        self.assertIsNotNone(face.blurred_at)

    def test_it_removes_a_tag(self):
        media = loose_upload(self, "teacher", jpeg_bytes(), "klas.jpg")
        tag = PhotoTag.objects.create(media=media, pupil=self.world.child)
        response = self.send(media=[media], untag=tag.public_id)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PhotoTag.objects.exists())

    def test_it_blurs_untagged_faces_at_publishing_when_the_school_wants_it(self):
        kring = loose_upload(self, "teacher", astronaut_jpeg(512), "kring.jpg")
        self.assertContains(self.send(media=[kring], step="check"), "Gezichten die niemand heeft aangewezen")
        self.send(media=[kring], step="publish")
        self.assertIsNotNone(FaceBox.objects.get(media=kring).blurred_at)

    def test_it_keeps_untagged_faces_when_the_school_says_so(self):
        do_set_blur_untagged(acting_user=self.world.director, school=self.world.school, enabled=False)
        kring = loose_upload(self, "teacher", astronaut_jpeg(512), "kring.jpg")
        response = self.send(media=[kring], step="check")
        self.assertNotContains(response, "Gezichten die niemand heeft aangewezen")
        self.send(media=[kring], step="publish")
        self.assertIsNotNone(Post.objects.get().published_at)
        self.assertIsNone(FaceBox.objects.get(media=kring).blurred_at)


class TestBadInput(ComposeTestCase):
    def test_it_is_404_for_someone_elses_upload(self):
        theirs = loose_upload(self, "duo_teacher", jpeg_bytes())
        self.assertEqual(self.send(media=[theirs], step="publish").status_code, 404)
        self.assertEqual(self.send(media=[theirs], leave=theirs.public_id).status_code, 404)
        self.assertTrue(MediaFile.objects.filter(id=theirs.id).exists())
        self.assertFalse(Post.objects.exists())

    def test_it_is_404_for_a_tag_on_a_photo_outside_the_post(self):
        mine = loose_upload(self, "teacher", jpeg_bytes())
        other = loose_upload(self, "teacher", jpeg_bytes())
        tag = PhotoTag.objects.create(media=other, pupil=self.world.child)
        self.assertEqual(self.send(media=[mine], blur=tag.public_id).status_code, 404)
        self.assertEqual(self.send(media=[mine], untag=tag.public_id).status_code, 404)
        self.assertTrue(PhotoTag.objects.filter(id=tag.id).exists())

    def test_it_explains_a_child_who_is_not_in_the_group(self):
        media = loose_upload(self, "teacher", jpeg_bytes())
        response = self.send(media=[media], step="publish", **{f"add-{media.public_id}": "nobody-0000"})
        self.assertContains(response, "Kies een kind uit de lijst.")
        self.assertFalse(PhotoTag.objects.exists())
        response = self.send(
            media=[media], step="check", **{f"add-{media.public_id}": self.world.outsider_child.public_id}
        )
        self.assertContains(response, "Kies een kind uit de lijst.")
        self.assertFalse(PhotoTag.objects.exists())

    def test_it_uploads_nothing_without_a_group(self):
        response = self.send(groups=[], files=[upload_of("a.jpg", jpeg_bytes())])
        self.assertContains(response, "Kies minstens één groep.")
        self.assertFalse(MediaFile.objects.exists())

    def test_it_refuses_all_files_when_one_is_refused(self):
        response = self.send(files=[upload_of("a.jpg", jpeg_bytes()), upload_of("b.jpg", b"\x7fELF\x02")])
        self.assertContains(response, "b.jpg")
        self.assertFalse(MediaFile.objects.exists())

    def test_a_file_that_failed_processing_is_explained_and_can_be_left_out(self):
        media = loose_upload(self, "teacher", jpeg_bytes(), "kapot.jpg")
        MediaFile.objects.filter(id=media.id).update(status=MediaFile.Status.FAILED, failure_code="corrupt")
        response = self.send(media=[media], step="publish")
        self.assertFalse(Post.objects.exists())
        self.assertContains(response, 'data-state="failed"')
        self.assertNotContains(response, 'hx-get="/posts/new/photos/')  # nothing to wait for
        self.assertContains(response, f'name="leave" value="{media.public_id}"')
        self.send(media=[media], leave=media.public_id)
        self.assertFalse(MediaFile.objects.exists())

    def test_an_invalid_form_keeps_the_photos(self):
        media = loose_upload(self, "teacher", jpeg_bytes(), "klas.jpg")
        response = self.send(media=[media], step="publish", publish_at="not a date")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'name="media" value="{media.public_id}"')
        self.assertFalse(Post.objects.exists())


class TestComposePhotosView(ComposeTestCase):
    def test_it_asks_again_about_photos_still_processing_and_swaps_in_the_ready_ones(self):
        ready = loose_upload(self, "teacher", jpeg_bytes(), "klaar.jpg")
        busy = loose_upload(self, "teacher", jpeg_bytes(), "bezig.jpg")
        MediaFile.objects.filter(id=busy.id).update(status=MediaFile.Status.PROCESSING)
        step = self.send(media=[ready, busy], step="check")
        self.assertContains(step, f'hx-get="/posts/new/photos/?media={busy.public_id}"', count=1)

        url = "/posts/new/photos/"
        query = {"media": [busy.public_id], "groups": [self.world.group3.id]}
        response = self.client.get(url, query)
        self.assertContains(response, f'hx-get="/posts/new/photos/?media={busy.public_id}"')
        self.assertNotContains(response, 'data-testid="compose-photo"')  # nothing to swap in yet
        MediaFile.objects.filter(id=busy.id).update(status=MediaFile.Status.READY)
        response = self.client.get(url, query)
        self.assertNotContains(response, "hx-get")  # the poller stops
        self.assertContains(response, f'id="photo-{busy.public_id}"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertContains(response, 'data-testid="add-child"')

    def test_it_ignores_groups_the_author_cannot_post_to(self):
        media = loose_upload(self, "teacher", jpeg_bytes())
        response = self.login("teacher").get(
            "/posts/new/photos/", {"media": [media.public_id], "groups": [self.world.group4.id, "x"]}
        )
        self.assertEqual(response.status_code, 200)

    def test_it_is_404_for_someone_else(self):
        media = loose_upload(self, "teacher", jpeg_bytes())
        for persona in ("duo_teacher", "director", "parent"):
            response = self.login(persona).get("/posts/new/photos/", {"media": [media.public_id]})
            self.assertEqual(response.status_code, 404, persona)


class TestTaggingPages(ComposeTestCase):
    def test_its_queries_do_not_grow_with_the_photos(self):
        one = [loose_upload(self, "teacher", jpeg_bytes(), "a.jpg")]
        three = [*one, *(loose_upload(self, "teacher", jpeg_bytes(), f"{n}.jpg") for n in "bc")]
        for media in three:
            PhotoTag.objects.create(media=media, pupil=self.world.child)

        def count(files):
            files = list(MediaFile.objects.filter(id__in=[m.id for m in files]))
            with CaptureQueriesContext(connection) as context:
                tagging_pages(self.world.teacher, files, groups=[self.world.group3])
            return len(context.captured_queries)

        self.assertEqual(count(one), count(three))
