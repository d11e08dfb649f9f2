"""A child's photo for the face picker (consent.avatars): the school's setting, the parent's upload and
removal on their page and in the API, who sees it (one owner), consent, metadata, export and erasure."""

import datetime
import tempfile
from pathlib import Path

from django.urls import reverse

from consent.avatars import avatar_files, do_set_child_avatars, with_avatars
from consent.models import FaceBox, Scope
from consent.tests.helpers import ConsentTestCase, astronaut_jpeg, loose_upload
from core.clock import school_today
from core.viewer import verified
from media.models import MediaFile
from media.queries import rendition_url
from media.tests import corpus
from media.tests.helpers import jpeg_bytes, pdf_bytes, stored_files, upload_of
from privacy.actions import do_run_retention as run_retention
from privacy.erasure import do_erase_account
from privacy.exports import check_request_export
from privacy.retention import months_before
from privacy.tests.helpers import read_zip
from schools.models import Enrolment

AVATAR_API = "/api/v1/privacy/children/{}/photo"


class AvatarTestCase(ConsentTestCase):
    def allow(self, enabled: bool = True):
        do_set_child_avatars(acting_user=self.world.director, school=self.world.school, enabled=enabled)

    def send(self, persona="parent", child="child", data: bytes | None = None, name="daan.jpg"):
        """A parent's upload on their page, processed at once."""
        pupil = getattr(self.world, child)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client_for(persona).post(
                reverse("consent:avatar", args=[pupil.public_id]),
                {"photo": upload_of(name, jpeg_bytes() if data is None else data)},
            )
        self.assertEqual(response.status_code, 302)
        return avatar_files([pupil.id]).first()

    def fetch(self, persona: str, media: MediaFile, name="400.webp") -> int:
        return self.client_for(persona).get(rendition_url(media, name)).status_code

    def tagging(self, photo) -> str:
        """The teacher's tagging page of a photo: the picker's names."""
        response = self.client_for("teacher").get(reverse("consent:media", args=[photo.public_id]))
        return response.content.decode()

    def page(self, persona="parent") -> str:
        response = self.client_for(persona).get(reverse("consent:preferences"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class TestTheSchoolSetting(AvatarTestCase):
    def test_it_is_off_by_default_without_an_upload_control_and_the_api_refuses(self):
        self.assertNotIn('data-testid="avatar-form"', self.page())
        client = self.client_for("parent")
        path = AVATAR_API.format(self.world.child.public_id)
        self.assertEqual(client.get(path).json(), {"allowed": False, "photo": None})
        response = client.post(path, {"photo": upload_of("daan.jpg", jpeg_bytes())})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["code"], "avatars_off")
        self.assertFalse(MediaFile.objects.exists())

    def test_the_director_turns_it_on_on_the_page_and_in_the_api(self):
        school = self.world.school
        director = self.client_for("director")
        director.post(reverse("consent:settings", args=[school.public_id]), {"child_avatars": "on"})
        self.assertIn('data-testid="avatar-form"', self.page())
        path = f"/api/v1/privacy/schools/{school.public_id}/settings"
        response = director.patch(path, {"child_avatars": False}, content_type="application/json")
        self.assertEqual(response.json(), {"blur_untagged_faces": False, "child_avatars": False})
        self.assertNotIn('data-testid="avatar-form"', self.page())
        # Not theirs to change: a teacher and a parent get 404.
        for persona in ("teacher", "parent"):
            client = self.client_for(persona)
            self.assertEqual(client.get(path).status_code, 404)


class TestWhoSeesIt(AvatarTestCase):
    def setUp(self):
        super().setUp()
        self.allow()
        self.media = self.send()

    def test_only_the_smallest_clean_size_is_kept(self):
        self.assertEqual(self.media.status, MediaFile.Status.READY)
        self.assertEqual(
            sorted(self.media.renditions.values_list("name", flat=True)), ["400.jpg", "400.webp"]
        )

    def test_its_parents_and_the_staff_of_its_class_see_it_and_nobody_else(self):
        for persona in ("parent", "co_parent", "teacher", "duo_teacher", "director"):
            self.assertEqual(self.fetch(persona, self.media), 200, persona)
        for persona in ("other_teacher", "class_parent", "outsider", "other_school_parent", "other_director"):
            self.assertEqual(self.fetch(persona, self.media), 404, persona)
        # Signed out: to the sign-in page, never the bytes.
        self.assertEqual(self.client.get(rendition_url(self.media, "400.webp")).status_code, 302)

    def test_the_teacher_sees_it_in_the_picker(self):
        photo = self.fake_photo()
        page = (
            self.client_for("teacher").get(reverse("consent:media", args=[photo.public_id])).content.decode()
        )
        self.assertIn(f'value="{self.world.child.public_id}" data-avatar="', page)
        self.assertNotIn(f'value="{self.world.class_parent_child.public_id}" data-avatar', page)
        api = self.client_for("teacher").get(f"/api/v1/privacy/media/{photo.public_id}").json()
        avatars = {c["pupil"]: c["avatar"] for c in api["candidates"]}
        self.assertTrue(avatars[self.world.child.public_id].startswith(rendition_url(self.media, "400.webp")))
        self.assertIsNone(avatars[self.world.class_parent_child.public_id])

    def test_the_picker_finds_every_avatar_in_two_queries(self):
        yasmin = self.send("class_parent", "class_parent_child")
        teacher = verified(self.world.teacher)  # as in a two-factor-verified session
        pupils = [self.world.child, self.world.class_parent_child, self.world.outsider_child]
        with_avatars(teacher, pupils[:1])  # the content types are cached from here on
        with self.assertNumQueries(2):
            with_avatars(teacher, pupils)
        self.assertTrue(pupils[0].avatar.startswith(rendition_url(self.media, "400.webp")))
        self.assertTrue(pupils[1].avatar.startswith(rendition_url(yasmin, "400.webp")))
        self.assertEqual(pupils[2].avatar, "")  # Lars is in Groep 4: not this teacher's class

    def test_turning_the_setting_off_hides_it_from_everyone_but_its_uploader(self):
        self.allow(False)
        for persona in ("co_parent", "teacher", "director"):
            self.assertEqual(self.fetch(persona, self.media), 404, persona)
        photo = self.fake_photo()
        page = (
            self.client_for("teacher").get(reverse("consent:media", args=[photo.public_id])).content.decode()
        )
        self.assertNotIn("data-avatar", page)
        # Its parent can still remove it.
        self.assertIn('data-testid="avatar-remove"', self.page())

    def test_a_parents_no_to_class_photos_hides_it_and_refuses_a_new_one(self):
        self.answer("co_parent", "child", False, Scope.CLASS)
        self.assertEqual(self.fetch("teacher", self.media), 404)
        self.assertEqual(self.fetch("co_parent", self.media), 404)
        self.assertIn('data-testid="avatar-refused"', self.page())
        path = AVATAR_API.format(self.world.child.public_id)
        response = self.client_for("parent").post(path, {"photo": upload_of("daan.jpg", jpeg_bytes())})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["code"], "photo_refused")
        # Saying yes again shows it again.
        self.answer("co_parent", "child", True, Scope.CLASS)
        self.assertEqual(self.fetch("teacher", self.media), 200)

    def test_a_new_photo_replaces_the_old_one_and_removal_deletes_its_bytes(self):
        second = self.send(data=jpeg_bytes(300, 300))
        self.assertEqual(list(avatar_files([self.world.child.id])), [second])
        self.assertEqual(self.fetch("teacher", self.media), 404)
        self.assertEqual(self.fetch("teacher", second), 200)
        self.assertEqual(len(stored_files()), 2)
        with self.captureOnCommitCallbacks(execute=True):
            self.client_for("co_parent").post(
                reverse("consent:avatar_remove", args=[self.world.child.public_id])
            )
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(stored_files(), [])
        self.assertNotIn('data-testid="avatar-image"', self.page())

    def test_its_faces_are_neither_looked_for_nor_kept(self):
        photo = astronaut_jpeg(512)
        elsewhere = loose_upload(self, "teacher", photo, "klas.jpg")  # a face the detector finds
        self.assertTrue(FaceBox.objects.filter(media=elsewhere).exists())
        media = self.send(child="child", data=photo, name="gezicht.jpg")
        self.assertEqual(media.status, MediaFile.Status.READY)
        self.assertFalse(FaceBox.objects.filter(media=media).exists())

    def test_nobody_tags_children_in_it(self):
        for persona in ("parent", "teacher"):
            response = self.client_for(persona).get(reverse("consent:media", args=[self.media.public_id]))
            self.assertEqual(response.status_code, 404, persona)

    def test_another_parent_cannot_change_or_remove_it(self):
        path = AVATAR_API.format(self.world.child.public_id)
        client = self.client_for("class_parent")
        self.assertEqual(client.get(path).status_code, 404)
        self.assertEqual(client.delete(path).status_code, 404)
        self.assertEqual(client.post(path, {"photo": upload_of("x.jpg", jpeg_bytes())}).status_code, 404)
        self.assertEqual(self.client_for("teacher").delete(path).status_code, 404)
        self.assertTrue(avatar_files([self.world.child.id]).exists())


class TestTheApi(AvatarTestCase):
    def setUp(self):
        super().setUp()
        self.allow()
        self.path = AVATAR_API.format(self.world.child.public_id)

    def test_a_parent_uploads_reads_and_removes_it(self):
        client = self.client_for("parent")
        with tempfile.TemporaryDirectory() as directory:
            original = corpus.jpeg_with_gps(Path(directory)).read_bytes()
        self.assertNotEqual(corpus.leaks(original), [])
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(self.path, {"photo": upload_of("IMG_0001.jpg", original)})
        self.assertEqual(response.status_code, 201)
        body = client.get(self.path).json()
        self.assertTrue(body["allowed"])
        self.assertEqual(body["photo"]["status"], "ready")
        self.assertEqual(set(body["photo"]["renditions"]), {"400.webp", "400.jpg"})
        media = MediaFile.objects.get()
        for name in ("400.webp", "400.jpg"):
            served = b"".join(self.client_for("teacher").get(rendition_url(media, name)).streaming_content)
            self.assertEqual(corpus.leaks(served), [], name)
        for stored in stored_files():
            self.assertNotEqual(Path(stored).read_bytes(), original)
        self.assertEqual(client.delete(self.path).status_code, 204)
        self.assertEqual(client.get(self.path).json(), {"allowed": True, "photo": None})

    def test_it_refuses_a_document(self):
        response = self.client_for("parent").post(self.path, {"photo": upload_of("a.pdf", pdf_bytes())})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["code"], "not_a_photo")
        self.assertFalse(MediaFile.objects.exists())


class TestPrivacy(AvatarTestCase):
    def setUp(self):
        super().setUp()
        self.allow()
        self.media = self.send()

    def test_the_parents_export_holds_it(self):
        for persona in ("parent", "co_parent"):
            user = getattr(self.world, persona)
            with self.captureOnCommitCallbacks(execute=True):
                export = check_request_export(acting_user=user, subject_user=user)
            response = self.client_for(persona).get(f"/my-data/{export.public_id}/download/")
            _data, _index, photos = read_zip(b"".join(response.streaming_content))
            self.assertEqual(list(photos), ["photos/Daan/0001.jpg"], persona)

    def test_erasing_its_uploader_deletes_it_and_its_bytes(self):
        with self.captureOnCommitCallbacks(execute=True):
            do_erase_account(acting_user=None, user_id=self.world.parent.id, reason="test")
        self.assertFalse(MediaFile.objects.exists())
        self.assertEqual(stored_files(), [])

    def test_retention_leaves_it_while_the_child_is_at_school_and_takes_it_with_a_family_that_left(self):
        outsider_avatar = self.send("outsider", "outsider_child")
        long_ago = months_before(school_today(), 8)
        Enrolment.objects.filter(pupil=self.world.outsider_child).update(left_on=long_ago)
        with self.captureOnCommitCallbacks(execute=True):
            run_retention(force=True, today=school_today() + datetime.timedelta(days=3 * 365))
        self.assertEqual(list(MediaFile.objects.all()), [self.media])  # Daan is still at school
        self.assertFalse(MediaFile.objects.filter(id=outsider_avatar.id).exists())
