import json
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import SimpleTestCase
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conferences.actions import check_answer as check_conference_answer
from conferences.tests.helpers import at, make_round
from core.models import AuditEvent
from core.testing import PersonaTestCase
from core.viewer import verified
from forms.actions import check_answer as check_form_answer
from forms.tests.helpers import permission_slip
from media.queries import largest_still
from media.storage import media_storage, rendition_bytes
from moderation.actions import check_suspend, do_lift_suspension, do_set_muted
from posts.actions import do_mark_read
from privacy import sections
from privacy.exports import (
    STALE_AFTER,
    check_request_export,
    do_expire_exports,
    do_fail_export,
    do_recover_stale_exports,
    zip_name,
)
from privacy.models import DataExport
from privacy.tests.helpers import (
    COMMENT,
    NEIGHBOUR_MESSAGE,
    OTHER_SCHOOL_ABSENCE,
    OTHER_SCHOOL_FORM,
    OTHER_SCHOOL_MESSAGE,
    PARENT_MESSAGE,
    TEACHER_REPLY,
    busy_family,
    read_zip,
    second_school,
)
from schools.models import ClassParent
from translation.models import ReadingPreference


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
        verified(w.director)
        slip = permission_slip(w)
        check_form_answer(
            acting_user=w.parent,
            form=slip,
            pupil=w.child,
            answers={slip.questions.first().public_id: {"yes": True}},
        )
        round_ = make_round(w, phase="published")
        export = self.export("director", subject_pupil=w.child, school=w.school)
        data, _index, photos = self.download(export, "director")
        self.assertEqual(data["sections"]["pupil"][0]["first_name"], "Daan")
        # The forms answered for him and the talks planned about him are his record too.
        (answer,) = data["sections"]["forms"]
        self.assertEqual((answer["form"], answer["answered_by"]), (slip.title, w.parent.full_name))
        (talk,) = data["sections"]["conferences"]
        self.assertEqual(talk["talk"], round_.name)
        self.assertIn(w.parent.full_name, talk["with"])
        self.assertEqual(len(photos), 1)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="privacy.export_requested", actor=w.director, object_id=export.public_id
            ).exists()
        )


def everything_in(data: dict, index: str) -> str:
    """The whole zip's text: data.json as written (not escaped) and index.html."""
    return json.dumps(data, ensure_ascii=False) + index


class TestAParentAtTwoSchools(ExportTestCase):
    """Sanne has Daan and Eva at De Schakel and Noor at De Regenboog, the board's other school."""

    def setUp(self):
        super().setUp()
        second_school(self)

    def test_the_directors_export_holds_nothing_of_the_other_school(self):
        w = self.world
        export = self.export("director", subject_user=w.parent, school=w.school)
        data, index, photos = self.download(export, "director")
        text = everything_in(data, index)
        for foreign in (
            "Noor",
            "De Regenboog",
            w.other_school_group.name,
            "Zwemles",
            OTHER_SCHOOL_MESSAGE,
            OTHER_SCHOOL_ABSENCE,
            OTHER_SCHOOL_FORM,
            w.other_director.full_name,
        ):
            self.assertFalse(foreign in text, f"{foreign!r} is in the export")
        self.assertEqual(list(photos), [name for name in photos if name.startswith("photos/Daan/")])
        # What the parent did at the other school is not in the audit rows either.
        self.assertNotIn("form.answered", {row["action"] for row in data["sections"]["audit"]})
        # ... while De Schakel's part is whole.
        self.assertEqual({child["first_name"] for child in data["sections"]["children"]}, {"Daan", "Eva"})
        self.assertIn(PARENT_MESSAGE, text)
        self.assertEqual(len(photos), 1)
        self.assertEqual(data["sections"]["profile"][0]["email"], w.parent.email)

    def test_the_other_directors_export_holds_only_their_school(self):
        w = self.world
        export = self.export("other_director", subject_user=w.parent, school=w.other_school)
        data, index, photos = self.download(export, "other_director")
        text = everything_in(data, index)
        for foreign in ("Daan", "Eva", "De Schakel", "Groep 3", "Groep 6", PARENT_MESSAGE, COMMENT):
            self.assertFalse(foreign in text, f"{foreign!r} is in the export")
        self.assertEqual({child["first_name"] for child in data["sections"]["children"]}, {"Noor"})
        self.assertIn(OTHER_SCHOOL_MESSAGE, text)
        self.assertIn(OTHER_SCHOOL_ABSENCE, text)
        self.assertIn(OTHER_SCHOOL_FORM, text)
        self.assertEqual([name.split("/")[1] for name in photos], ["Noor"])

    def test_the_parents_own_export_holds_both_schools(self):
        data, index, photos = self.download(self.export())
        text = everything_in(data, index)
        self.assertEqual(
            {child["first_name"] for child in data["sections"]["children"]}, {"Daan", "Eva", "Noor"}
        )
        for both in (PARENT_MESSAGE, OTHER_SCHOOL_MESSAGE, OTHER_SCHOOL_ABSENCE, OTHER_SCHOOL_FORM):
            self.assertIn(both, text)
        self.assertEqual(sorted(name.split("/")[1] for name in photos), ["Daan", "Noor"])

    def test_an_export_for_someone_else_names_its_school(self):
        w = self.world
        with self.assertRaises(ValueError):
            check_request_export(acting_user=w.director, subject_user=w.parent)
        self.assertFalse(DataExport.objects.exists())


class TestWhatElseTheParentGaveUs(ExportTestCase):
    """The sections for form answers, conferences, conduct, reading language, reads, mutes and two-factor."""

    def test_each_is_in_the_parents_export(self):
        w = self.world
        for persona in ("teacher", "director"):
            verified(getattr(w, persona))
        slip = permission_slip(w)
        check_form_answer(
            acting_user=w.parent,
            form=slip,
            pupil=w.child,
            answers={slip.questions.first().public_id: {"yes": False, "reason": "Hij is bang voor dieren"}},
        )
        round_ = make_round(w, phase="preferences")
        check_conference_answer(
            acting_user=w.parent, round_=round_, choices={at(round_, 18): True}, interpreter="Pools"
        )
        ReadingPreference.objects.create(user=w.parent, language="pl", always=True)
        do_mark_read(acting_user=w.parent, post=self.post)
        do_set_muted(acting_user=w.parent, item=self.conversation, muted=True)
        ClassParent.objects.create(guardian=w.parent, group=w.group3)
        suspension = check_suspend(acting_user=w.director, school=w.school, user=w.parent, reason="Toon")
        do_lift_suspension(acting_user=w.director, suspension=suspension)
        device = TOTPDevice.objects.create(user=w.parent, name="Telefoon van Sanne", confirmed=True)

        data, index, _photos = self.download(self.export())
        found = data["sections"]
        (answer,) = [row for row in found["forms"] if row["form"] == slip.title]
        self.assertEqual((answer["child"], answer["answered_by"]), ("Daan", "u"))
        self.assertEqual(answer["answers"][0]["answer"], {"yes": False, "reason": "Hij is bang voor dieren"})
        (preferences,) = found["conferences"]
        self.assertEqual((preferences["round"], preferences["interpreter"]), (round_.name, "Pools"))
        self.assertEqual([datetime.fromisoformat(t) for t in preferences["can_come"]], [at(round_, 18)])
        profile = found["profile"][0]
        self.assertEqual((profile["reading_language"], profile["always_translate"]), ("pl", True))
        self.assertEqual([row["post"] for row in found["post_reads"]], [self.post.title])
        self.assertIn(
            self.conversation.subject, [row.get("muted_conversation") for row in found["notifications"]]
        )
        self.assertIn("Groep 3", [row.get("class_parent_of") for row in found["groups"]])
        conduct = found["conduct"]
        self.assertIn("De Schakel", [row.get("rules_of") for row in conduct])
        (suspended,) = [row for row in conduct if "suspended_at" in row]
        self.assertEqual((suspended["reason"], suspended["by"]), ("Toon", w.director.full_name))
        self.assertIsNotNone(suspended["lifted"])
        (two_factor,) = [row for row in found["devices"] if "two_factor_device" in row]
        self.assertEqual((two_factor["two_factor_device"], two_factor["confirmed"]), (device.name, True))
        self.assertIsNotNone(two_factor["made"])
        # The secret never leaves: not as stored (hex), not as the app shows it (base32), not as a URL.
        text = everything_in(data, index)
        for secret in (device.key, device.bin_key.hex(), device.config_url.split("secret=")[1].split("&")[0]):
            self.assertNotIn(secret, text)
        self.assertNotIn("secret", text)


# A model points at a person when it has a foreign key, one-to-one or many-to-many to one of these.
PEOPLE = (settings.AUTH_USER_MODEL, "schools.Pupil", "schools.Guardianship")


class TestEveryModelIsAccountedFor(SimpleTestCase):
    def pointing_at_people(self) -> set[str]:
        people = {apps.get_model(label) for label in PEOPLE}
        return {
            model._meta.label
            for model in apps.get_models()
            for field in [*model._meta.fields, *model._meta.many_to_many]
            if field.is_relation and field.related_model in people
        }

    def test_each_model_about_a_person_is_exported_or_left_out_with_a_reason(self):
        exported, left_out = sections.exported_models(), set(sections.NOT_EXPORTED)
        missing = self.pointing_at_people() - exported - left_out
        self.assertEqual(
            missing, set(), "add an export section for these models, or a reason to leave them out"
        )
        self.assertEqual(exported & left_out, set())
        self.assertTrue(all(sections.NOT_EXPORTED.values()))

    def test_every_name_in_the_lists_is_a_model(self):
        for label in sections.exported_models() | set(sections.NOT_EXPORTED):
            apps.get_model(label)  # raises LookupError for a model renamed or removed

    def test_the_walk_finds_the_models_about_people(self):
        # A walk that found nothing would pass the first test; these are among what it must find.
        self.assertLessEqual(
            {"forms.Response", "conferences.Talk", "otp_totp.TOTPDevice", "schools.Enrolment"},
            self.pointing_at_people(),
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
        # The third run died after it had stored the zip: that file holds the parent's data.
        storage = media_storage()
        storage.save(zip_name(export.public_id), ContentFile(PARENT_MESSAGE.encode()))
        do_recover_stale_exports()
        export.refresh_from_db()
        self.assertEqual(export.status, DataExport.Status.FAILED)
        self.assertFalse(storage.exists(zip_name(export.public_id)))


class TestABuildThatFails(ExportTestCase):
    def test_the_zip_it_stored_is_deleted(self):
        w = self.world
        export = DataExport.objects.create(
            requested_by=w.parent,
            subject_user=w.parent,
            status=DataExport.Status.BUILDING,
            heartbeat_at=timezone.now(),
            attempts=1,
        )
        storage = media_storage()
        stored = storage.save(zip_name(export.public_id), ContentFile(PARENT_MESSAGE.encode()))
        do_fail_export(export=export)
        export.refresh_from_db()
        self.assertEqual(export.status, DataExport.Status.FAILED)
        self.assertFalse(storage.exists(stored))

    def test_a_ready_export_keeps_its_zip(self):
        export = self.export()
        do_fail_export(export=export)  # too late: it is ready, and nothing is taken from the parent
        export.refresh_from_db()
        self.assertEqual(export.status, DataExport.Status.READY)
        self.assertTrue(media_storage().exists(export.storage_name))


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
