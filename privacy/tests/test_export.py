from django.utils import timezone

from core.models import AuditEvent
from core.testing import PersonaTestCase
from media.queries import largest_still
from media.storage import media_storage, rendition_bytes
from privacy.exports import STALE_AFTER, check_request_export, do_expire_exports, do_recover_stale_exports
from privacy.models import DataExport
from privacy.tests.helpers import (
    COMMENT,
    NEIGHBOUR_MESSAGE,
    PARENT_MESSAGE,
    TEACHER_REPLY,
    busy_family,
    read_zip,
)


class ExportTestCase(PersonaTestCase):
    def setUp(self):
        super().setUp()
        busy_family(self)

    def export(self, persona="parent", **subject):
        user = getattr(self.world, persona)
        subject = subject or {"subject_user": user}
        with self.captureOnCommitCallbacks(execute=True):
            export = check_request_export(acting_user=user, **subject)
        export.refresh_from_db()
        return export

    def download(self, export, persona="parent"):
        response = self.client_for(persona).get(f"/my-data/{export.public_id}/download/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        return read_zip(b"".join(response.streaming_content))


class TestAGuardiansExport(ExportTestCase):
    def test_it_holds_what_the_parent_sees_field_by_field(self):
        export = self.export()
        self.assertEqual(export.status, DataExport.Status.READY)
        data, index, photos = self.download(export)
        sections = data["sections"]
        w = self.world
        self.assertEqual(sections["profile"][0]["email"], w.parent.email)
        self.assertEqual({child["first_name"] for child in sections["children"]}, {"Daan", "Eva"})
        self.assertLessEqual({"Groep 3", "Groep 6"}, {group["group"] for group in sections["groups"]})
        self.assertNotIn("Groep 4", {group["group"] for group in sections["groups"]})
        self.assertEqual(
            [(m["from"], m["text"]) for m in sections["messages"]],
            [("u", PARENT_MESSAGE), (w.teacher.full_name, TEACHER_REPLY)],
        )
        self.assertEqual([c["text"] for c in sections["comments"]], [COMMENT])
        self.assertEqual(len(sections["reactions"]), 1)
        self.assertEqual({row["child"] for row in sections["consent"] if "answer" in row}, {"Daan"})
        # The report names its place as the moderation queue does; the audit rows are the parent's own.
        self.assertEqual([r["reported"] for r in sections["reports"]], ["Groep 3"])
        self.assertIn("post.commented", {row["action"] for row in sections["audit"]})
        commented = [row for row in sections["audit"] if row["action"] == "post.commented"]
        self.assertEqual({row["by"] for row in commented}, {"u"})
        # The photo in which Daan is tagged: the largest still, never the uploaded original.
        self.assertEqual(len(photos), 1)
        ((name, content),) = photos.items()
        self.assertTrue(name.startswith("photos/Daan/"))
        largest = largest_still(self.photo.renditions.all(), prefer=".jpg")
        self.assertEqual(content, rendition_bytes(largest))
        self.assertNotEqual(content, self.original)
        self.assertIn(PARENT_MESSAGE, index)

    def test_it_holds_nothing_of_another_family(self):
        data, index, photos = self.download(self.export())
        text = str(data) + index
        w = self.world
        for foreign in (w.outsider.email, w.outsider.full_name, "Lars", NEIGHBOUR_MESSAGE, "Gymles"):
            self.assertNotIn(foreign, text)
        self.assertFalse(any("Lars" in name for name in photos))

    def test_the_parent_is_told_when_it_is_ready(self):
        from notifications.models import Notification

        self.export()
        notice = Notification.objects.select_related("dispatch").get(
            user=self.world.parent, dispatch__kind="export.ready"
        )
        self.assertEqual(notice.dispatch.url, "/my-data/")
        self.assertEqual(notice.dispatch.display_title, "Uw gegevens staan klaar om te downloaden")

    def test_asked_twice_it_runs_once(self):
        w = self.world
        first = check_request_export(acting_user=w.parent, subject_user=w.parent)
        second = check_request_export(acting_user=w.parent, subject_user=w.parent)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(DataExport.objects.count(), 1)

    def test_only_the_one_who_asked_can_download_it(self):
        export = self.export()
        for persona in ("co_parent", "outsider", "teacher", "director"):
            response = self.client_for(persona).get(f"/my-data/{export.public_id}/download/")
            self.assertEqual(response.status_code, 404, persona)

    def test_a_director_exports_a_pupil_and_it_is_audited(self):
        w = self.world
        export = self.export("director", subject_pupil=w.child, school=w.school)
        data, _index, photos = self.download(export, "director")
        self.assertEqual(data["sections"]["pupil"][0]["first_name"], "Daan")
        self.assertEqual(len(photos), 1)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="privacy.export_requested", actor=w.director, object_id=export.public_id
            ).exists()
        )


class TestAWorkerThatDies(ExportTestCase):
    def test_nothing_is_served_and_the_export_is_built_again(self):
        w = self.world
        export = DataExport.objects.create(
            requested_by=w.parent,
            subject_user=w.parent,
            status=DataExport.Status.BUILDING,
            heartbeat_at=timezone.now() - STALE_AFTER * 2,
            attempts=1,
        )
        response = self.client_for("parent").get(f"/my-data/{export.public_id}/download/")
        self.assertEqual(response.status_code, 422)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_recover_stale_exports(), 1)
        export.refresh_from_db()
        self.assertEqual((export.status, export.attempts), (DataExport.Status.READY, 2))
        self.download(export)

    def test_it_gives_up_after_three_tries(self):
        w = self.world
        export = DataExport.objects.create(
            requested_by=w.parent,
            subject_user=w.parent,
            status=DataExport.Status.BUILDING,
            heartbeat_at=timezone.now() - STALE_AFTER * 2,
            attempts=3,
        )
        do_recover_stale_exports()
        export.refresh_from_db()
        self.assertEqual(export.status, DataExport.Status.FAILED)


class TestAfterAWeek(ExportTestCase):
    def test_the_zip_is_deleted(self):
        export = self.export()
        self.assertTrue(media_storage().exists(export.storage_name))
        self.assertEqual(do_expire_exports(now=export.expires_at + timezone.timedelta(seconds=1)), 1)
        self.assertFalse(media_storage().exists(export.storage_name))
        export.refresh_from_db()
        self.assertEqual(export.status, DataExport.Status.EXPIRED)
        self.assertEqual(
            self.client_for("parent").get(f"/my-data/{export.public_id}/download/").status_code, 422
        )
