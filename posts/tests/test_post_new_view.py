from media.tests.helpers import MediaTestCase, jpeg_bytes, upload_of
from posts.models import Post
from posts.tests.helpers import PostsTestCase


class TestPostNewView(MediaTestCase, PostsTestCase):
    def test_it_publishes_a_post_with_photos_after_the_check_step(self):
        self.login("teacher")
        fields = {
            "groups": [self.world.group3.id],
            "kind": "announcement",
            "title": "Herfstwandeling",
            "body": "Wat een mooie dag!",
        }
        files = [upload_of("a.jpg", jpeg_bytes()), upload_of("b.jpg", jpeg_bytes(320, 240))]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/posts/new/", fields | {"files": files})
        # The photos are uploaded and shown to check; nothing is published yet.
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Post.objects.exists())
        media = [page.media.public_id for page in response.context["pages"]]
        self.assertEqual(len(media), 2)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/posts/new/", fields | {"media": media, "step": "publish"})
        post = Post.objects.get()
        self.assertRedirects(response, f"/posts/{post.public_id}/")
        post.refresh_from_db()
        self.assertIsNotNone(post.published_at)
        page = self.login("parent").get(f"/posts/{post.public_id}/")
        self.assertEqual(len(page.context["post"].photos), 2)
        self.assertContains(page, "photos.zip")

    def test_it_explains_a_group_the_teacher_does_not_teach(self):
        response = self.login("teacher").post(
            "/posts/new/", {"groups": [self.world.group4.id], "kind": "announcement", "title": "X"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Post.objects.exists())

    def test_it_explains_an_empty_post(self):
        response = self.login("teacher").post(
            "/posts/new/", {"groups": [self.world.group3.id], "kind": "announcement", "title": ""}
        )
        self.assertContains(response, "Geef het bericht een titel.")
        self.assertFalse(Post.objects.exists())

    def test_it_offers_parents_no_groups(self):
        response = self.login("parent").get("/posts/new/")
        self.assertEqual(list(response.context["form"].fields["groups"].queryset), [])


class TestPostEditView(PostsTestCase):
    def test_it_saves_changes(self):
        post = self.post(title="Oud")
        response = self.login("teacher").post(
            f"/posts/{post.public_id}/edit/", {"title": "Nieuw", "body": "x"}
        )
        self.assertRedirects(response, f"/posts/{post.public_id}/")
        post.refresh_from_db()
        self.assertEqual(post.title, "Nieuw")

    def test_it_is_404_for_a_co_teacher(self):
        post = self.post(title="Oud")
        self.assertEqual(self.login("duo_teacher").get(f"/posts/{post.public_id}/edit/").status_code, 404)


class TestPostPhotosZipView(MediaTestCase, PostsTestCase):
    def test_it_is_404_when_the_school_does_not_allow_downloads(self):
        from posts.models import SchoolTimelineSettings

        media = self.upload("teacher", carrier=self.world.group3)
        media.carrier_type = media.carrier_id = None
        media.save()
        post = self.post(media_files=[media])
        self.assertEqual(self.login("parent").get(f"/posts/{post.public_id}/photos.zip").status_code, 200)
        SchoolTimelineSettings.objects.create(school=self.world.school, photo_download_allowed=False)
        self.assertEqual(self.client.get(f"/posts/{post.public_id}/photos.zip").status_code, 404)
        self.assertEqual(self.login("outsider").get(f"/posts/{post.public_id}/photos.zip").status_code, 404)


class TestPostKinds(PostsTestCase):
    def test_a_photos_post_is_an_announcement(self):
        self.login("teacher")
        fields = {"groups": [self.world.group3.id], "kind": "photos", "title": "Foto's van de gym"}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/posts/new/", fields)
        self.assertEqual(Post.objects.get().kind, Post.Kind.ANNOUNCEMENT)

    def test_each_field_names_the_kinds_it_belongs_to(self):
        page = self.login("teacher").get("/posts/new/")
        self.assertContains(page, 'class="field field-tasks kinded for-help"')
        self.assertContains(page, 'class="field field-respond_by kinded for-event for-help"')
        self.assertContains(page, 'class="field field-title"')
