"""A file or a text that is hidden, withheld or deleted leaves every surface that can show it, on the very
next request.

The surfaces are not listed by hand: every GET route of the project is walked (pages and API, as the access
matrix walks them), its parameters filled with the post, its group, school, file and child. A route whose
parameters name something else (an absence, a token) must say here why it cannot show a post's file or
comment, so a new route is either walked or explained. The viewer is a parent of the class; before the change
the file and the comment must be on the surfaces a parent reads them on, so the test can fail.
"""

import hashlib
import io
import re
import zipfile

from consent.actions import check_answer, check_tag, do_ensure_default_purposes
from consent.models import Purpose, Scope
from core.access_matrix import url_patterns
from core.testing import PersonaTestCase
from core.viewer import verified
from media.actions import check_upload, do_delete_media
from media.models import MediaFile
from media.queries import largest_still
from media.storage import rendition_bytes
from media.tests.helpers import jpeg_bytes, upload_of
from moderation.actions import check_report, do_hide_item
from moderation.registry import reportable
from posts.actions import Draft, check_publish_post
from posts.comment_actions import check_comment, do_delete_comment
from posts.models import GroupTimelineSettings, SchoolTimelineSettings

# Parameters that name something a post's file or comment is never shown through, and why.
UNRELATED = {
    "absence_id": "an absence report shows the absence only",
    "leave_id": "a leave request shows the request only",
    "conversation_id": "a conversation shows its own messages and attachments, never a post's",
    "import_id": "a roster import shows pupils, guardians and groups",
    "purpose_id": "a consent purpose's wording and versions, for the school's administrators",
    "report_id": "the moderation queue is for staff; a parent's own reports are at /moderation/reports/",
    "token": "a sign-in, invitation, reset, unsubscribe or calendar token page; the post is no event",
    "uidb64": "the password reset form",
    "persona": "the demo's sign-in as a persona",
    "export_id": "a data export is a zip of its requester's own data, built before the change",
    "guardian_id": "the director's erasure page names a parent, not a post",
    "form_id": "a form shows its questions and answers, never a post's files or comments",
    "round_id": "a conference round shows times and families",
    "talk_id": "a conference talk shows a time, a room and a teacher",
}

COMMENT_TEXT = "Kruiscontrole: wat een mooie dag was de schoolreis"
HELD_TEXT = "Die buitenlanders horen niet in onze klas."


class SurfaceTestCase(PersonaTestCase):
    """A published post in Groep 3 with two photos (Daan is tagged in one) and a class parent's comment."""

    def setUp(self):
        super().setUp()
        w = self.world
        do_ensure_default_purposes(school=w.school)
        SchoolTimelineSettings.objects.update_or_create(
            school=w.school, defaults={"photo_download_allowed": True}
        )
        GroupTimelineSettings.objects.update_or_create(group=w.group3, defaults={"comments_enabled": True})
        self.photo = self.upload(jpeg_bytes(640, 480), "kruiscontrole.jpg")
        self.other = self.upload(jpeg_bytes(800, 600), "klas.jpg")
        with self.captureOnCommitCallbacks(execute=True):
            self.post = check_publish_post(
                acting_user=verified(w.teacher),
                groups=[w.group3],
                draft=Draft(title="Schoolreis"),
                media_files=[self.photo, self.other],
            )
        self.photo.refresh_from_db()
        largest = largest_still(self.photo.renditions.all(), prefer=".jpg")
        self.photo_digest = hashlib.sha256(rendition_bytes(largest)).hexdigest()
        self.photo_url = f"/media/{self.photo.public_id}/{self.photo.version}/{largest.name}"
        self.comment = check_comment(acting_user=w.class_parent, post=self.post, body=COMMENT_TEXT)

    def upload(self, data: bytes, name: str) -> MediaFile:
        with self.captureOnCommitCallbacks(execute=True):
            media = check_upload(
                acting_user=self.world.teacher, school=self.world.school, upload=upload_of(name, data)
            )
        media.refresh_from_db()
        return media

    def routes(self, item_kind: str, item_id: str) -> dict[str, str]:
        """Every GET route, by its pattern key, as a concrete path about this post."""
        w = self.world
        values = {
            "group_id": w.group3.public_id,
            "school_id": w.school.public_id,
            "post_id": self.post.public_id,
            "media_id": self.photo.public_id,
            "version": str(self.photo.version),
            "name": self.photo_url.rsplit("/", 1)[-1],
            "pupil_id": w.child.public_id,
            "kind": item_kind,
            "item_id": item_id,
            "subject_type": "post",
            "subject_id": self.post.public_id,
        }
        paths, unexplained = {}, set()
        for key, route, methods in url_patterns():
            if "GET" not in methods:
                continue
            names = re.findall(r"<(?:\w+:)?(\w+)>", route)
            if any(name in UNRELATED for name in names):
                continue
            unexplained.update(name for name in names if name not in values)
            paths[key] = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values.get(match[1], ""), route)
        self.assertFalse(unexplained, "route parameters neither filled nor explained in UNRELATED")
        return paths

    def surfaces_showing(self, marker: str, paths: dict[str, str], *, photo: bool = False) -> set[str]:
        """The routes whose answer to the parent shows the marker: a text, or for the photo also its bytes
        (the rendition itself, or an entry of a zip)."""
        client = self.client_for("parent")
        showing = set()
        for key, path in paths.items():
            response = client.get(path)
            self.assertLess(response.status_code, 500, path)
            if response.status_code != 200:
                continue
            if response.get("Content-Type") == "application/zip":
                archive = zipfile.ZipFile(io.BytesIO(response.content))
                digests = {hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()}
                shown = photo and self.photo_digest in digests
            elif key == "media:rendition":
                shown = photo
            else:
                # A page repeats its own address (the language switch's "next"); that shows nothing.
                shown = marker in response.content.decode(errors="replace").replace(path, "")
            if shown:
                showing.add(key)
        return showing


class TestAPhotoLeavesEverySurface(SurfaceTestCase):
    # Where a parent of the class sees a post's photo today; each must lose it.
    EXPECTED = {
        "posts:post_detail",
        "posts:feed",
        "posts:album",
        "posts:post_photos_zip",
        "media:rendition",
        "api:posts",
        "api:posts/<post_id>",
    }

    def paths(self) -> dict[str, str]:
        return self.routes("photo", self.photo.public_id)

    def assert_gone_after(self, change) -> None:
        paths = self.paths()
        before = self.surfaces_showing(self.photo.public_id, paths, photo=True)
        self.assertLessEqual(self.EXPECTED, before, "the photo is not on a surface it should be on")
        change()
        self.assertEqual(self.surfaces_showing(self.photo.public_id, paths, photo=True), set())
        # The other photo of the post stays: the post itself is not what disappeared.
        post_page = self.client_for("parent").get(f"/posts/{self.post.public_id}/")
        self.assertContains(post_page, self.other.public_id)

    def test_it_leaves_when_moderation_hides_it(self):
        w = self.world
        report = check_report(
            acting_user=w.class_parent, entry=reportable("photo"), item=self.photo, reason="privacy", text=""
        )
        self.assert_gone_after(lambda: do_hide_item(acting_user=w.teacher, report=report))

    def test_it_leaves_when_consent_is_withdrawn(self):
        w = self.world
        purpose = Purpose.objects.get(school=w.school, current__scope=Scope.CLASS)
        for guardian in (w.parent, w.co_parent):
            check_answer(acting_user=guardian, pupil=w.child, answers={purpose: True})
        check_tag(acting_user=w.teacher, media=self.photo, pupil=w.child)
        self.assert_gone_after(
            lambda: check_answer(acting_user=w.co_parent, pupil=w.child, answers={purpose: False})
        )

    def test_it_leaves_when_it_is_deleted(self):
        self.assert_gone_after(lambda: do_delete_media(acting_user=self.world.teacher, media=self.photo))


class TestACommentLeavesEverySurface(SurfaceTestCase):
    EXPECTED = {"posts:post_detail", "api:posts/<post_id>/comments"}

    def paths(self) -> dict[str, str]:
        return self.routes("comment", self.comment.public_id)

    def assert_gone_after(self, change) -> None:
        paths = self.paths()
        before = self.surfaces_showing(COMMENT_TEXT, paths)
        self.assertLessEqual(self.EXPECTED, before, "the comment is not on a surface it should be on")
        change()
        self.assertEqual(self.surfaces_showing(COMMENT_TEXT, paths), set())

    def test_it_leaves_when_moderation_hides_it(self):
        w = self.world
        report = check_report(
            acting_user=w.parent, entry=reportable("comment"), item=self.comment, reason="offensive", text=""
        )
        self.assert_gone_after(lambda: do_hide_item(acting_user=w.teacher, report=report))

    def test_it_leaves_when_its_author_deletes_it(self):
        self.assert_gone_after(
            lambda: do_delete_comment(acting_user=self.world.class_parent, comment=self.comment)
        )

    def test_a_comment_screening_held_is_on_no_surface(self):
        held = check_comment(acting_user=self.world.class_parent, post=self.post, body=HELD_TEXT)
        self.assertIsNotNone(held.hidden_at)
        paths = self.routes("comment", held.public_id)
        self.assertEqual(self.surfaces_showing(HELD_TEXT, paths), set())
        # The comment beside it, not held, is shown: the walk does reach the comments.
        self.assertLessEqual(self.EXPECTED, self.surfaces_showing(COMMENT_TEXT, paths))
