"""Leavers: the accounts of families whose children are all gone (left, or unlinked by a roster import or the
office) and the pupil records of children who left, each after the school's leavers period; a family or a
pupil still enrolled is never touched."""

import datetime

from django.utils import translation

from absences.models import Absence
from accounts.models import User
from consent.models import PhotoTag
from core.clock import school_today
from core.testing import PersonaTestCase, enrol
from media.actions import do_attach_media
from media.models import MediaFile
from media.storage import media_storage
from media.tests.helpers import jpeg_bytes
from privacy import actions
from privacy.models import Deletion
from privacy.retention import BY_KEY, months_before
from privacy.tests.helpers import due, upload
from roster.tests.edexml import P, edexml
from roster.tests.helpers import empty_school, guardian_file, run_import
from schools.actions import do_remove_guardianship
from schools.models import Enrolment, FormerGuardian, Group, Guardianship, Pupil, StaffRole
from schools.queries import current_school_year_of


class TestLeavers(PersonaTestCase):
    def test_a_family_whose_children_all_left_goes_and_an_enrolled_family_stays(self):
        w = self.world
        long_ago = months_before(school_today(), 8)
        # The neighbours' only child left long ago; the parent's Eva left too, but Daan is still enrolled.
        Enrolment.objects.filter(pupil=w.outsider_child).update(left_on=long_ago)
        Enrolment.objects.filter(pupil=w.sibling).update(left_on=long_ago)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(force=True)
        self.assertFalse(User.objects.filter(id=w.outsider.id).exists())
        self.assertTrue(User.objects.filter(id=w.parent.id).exists())
        self.assertTrue(User.objects.filter(id=w.co_parent.id).exists())
        self.assertEqual(Deletion.objects.get(school=w.school, category="leavers").count, 1)

    def test_a_child_who_left_recently_keeps_the_family(self):
        w = self.world
        Enrolment.objects.filter(pupil=w.outsider_child).update(left_on=months_before(school_today(), 2))
        actions.do_run_retention(force=True)
        self.assertTrue(User.objects.filter(id=w.outsider.id).exists())


class TestUnlinkedAccounts(PersonaTestCase):
    """A roster import that no longer lists a guardian removes the link; the account then counts as a
    leaver's from that day."""

    def setUp(self):
        super().setUp()
        w = self.world
        self.school = empty_school(w)
        year = current_school_year_of(self.school).name
        self.roster = edexml(
            year=year, groups=[("G3", "Groep 3", "3")], pupils=[P("L1", "Eva", "Bakker", "G3")]
        )
        both = guardian_file(["L1;Piet;Bakker;piet@example.test", "L1;Ans;Smit;ans@example.test"])
        run_import(w.director, self.school, self.roster, guardians=both)
        self.piet = User.objects.get(email="piet@example.test")
        self.ans = User.objects.get(email="ans@example.test")

    def unlink_ans(self):
        only_piet = guardian_file(["L1;Piet;Bakker;piet@example.test"])
        run_import(self.world.director, self.school, self.roster, guardians=only_piet)
        self.assertFalse(Guardianship.objects.filter(guardian=self.ans).exists())

    def test_after_the_leavers_period_the_tick_erases_the_unlinked_account(self):
        self.unlink_ans()
        self.assertEqual(FormerGuardian.objects.get(user=self.ans).since, school_today())
        before = school_today() + datetime.timedelta(days=150)  # within the 6 months
        self.assertEqual(due(self.school, before)["leavers"], 0)
        actions.do_run_retention(today=before, force=True)
        self.assertTrue(User.objects.filter(id=self.ans.id).exists())

        after = school_today() + datetime.timedelta(days=200)
        self.assertEqual(due(self.school, after)["leavers"], 1)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(today=after, force=True)
        self.assertFalse(User.objects.filter(id=self.ans.id).exists())
        # Piet's child is still enrolled: his account and the pupil record stay.
        self.assertTrue(User.objects.filter(id=self.piet.id).exists())
        self.assertTrue(Pupil.objects.filter(school=self.school, external_key="L1").exists())
        self.assertEqual(Deletion.objects.get(school=self.school, category="leavers").count, 1)

    def test_an_unlinked_account_with_a_child_or_a_staff_role_is_never_erased(self):
        w = self.world
        self.unlink_ans()
        # Linked again to a child elsewhere, or on a school's staff: never a leaver.
        Guardianship.objects.create(guardian=self.ans, pupil=w.other_school_child)
        StaffRole.objects.create(user=self.piet, school=w.other_school, role=StaffRole.Role.OFFICE)
        Guardianship.objects.filter(guardian=self.piet).delete()
        FormerGuardian.objects.create(
            user=self.piet, school=self.school, since=months_before(school_today(), 12)
        )
        after = school_today() + datetime.timedelta(days=400)
        self.assertEqual(due(self.school, after)["leavers"], 0)
        actions.do_run_retention(today=after, force=True)
        self.assertEqual(User.objects.filter(id__in=[self.ans.id, self.piet.id]).count(), 2)

    def test_the_office_removing_the_last_link_starts_the_period_too(self):
        w = self.world
        guardianship = Guardianship.objects.get(guardian=w.outsider)
        do_remove_guardianship(acting_user=w.director, guardianship=guardianship)
        self.assertEqual(FormerGuardian.objects.get(user=w.outsider).school, w.school)
        # The parent loses one of two children: still linked, so not noted.
        do_remove_guardianship(acting_user=w.director, guardianship=Guardianship.objects.get(pupil=w.sibling))
        self.assertFalse(FormerGuardian.objects.filter(user=w.parent).exists())
        after = school_today() + datetime.timedelta(days=200)
        self.assertEqual(due(w.school, after)["leavers"], 1)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(today=after, force=True)
        self.assertFalse(User.objects.filter(id=w.outsider.id).exists())
        self.assertTrue(User.objects.filter(id=w.parent.id).exists())


class TestLeaverPupils(PersonaTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        self.long_ago = months_before(school_today(), 8)
        # Lars left long ago; he is tagged in a photo and has a photo for the face picker.
        Enrolment.objects.filter(pupil=w.outsider_child).update(left_on=self.long_ago)
        self.class_photo = upload(self, "teacher", jpeg_bytes(400, 300), "gym.jpg")
        PhotoTag.objects.create(media=self.class_photo, pupil=w.outsider_child)
        self.face_photo = upload(self, "outsider", jpeg_bytes(300, 300), "lars.jpg")
        do_attach_media(acting_user=w.outsider, media_files=[self.face_photo], carrier=w.outsider_child)
        self.stored = list(self.face_photo.renditions.values_list("storage_name", flat=True))

    def test_a_pupil_who_left_goes_with_tags_and_photo_after_the_period(self):
        w = self.world
        self.assertEqual(due(w.school)["leaver_pupils"], 1)
        self.assertTrue(all(media_storage().exists(name) for name in self.stored))
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(force=True)
        self.assertFalse(Pupil.objects.filter(id=w.outsider_child.id).exists())
        self.assertFalse(PhotoTag.objects.filter(pupil_id=w.outsider_child.id).exists())
        self.assertFalse(MediaFile.objects.filter(id=self.face_photo.id).exists())
        self.assertFalse(any(media_storage().exists(name) for name in self.stored))
        self.assertTrue(MediaFile.objects.filter(id=self.class_photo.id).exists())  # the class's photo
        self.assertEqual(Deletion.objects.get(school=w.school, category="leaver_pupils").count, 1)
        # Every other pupil is still enrolled and untouched.
        self.assertEqual(
            set(Pupil.objects.filter(school=w.school).values_list("id", flat=True)),
            {w.child.id, w.sibling.id, w.class_parent_child.id},
        )

    def test_a_pupil_who_left_recently_or_is_still_enrolled_stays(self):
        w = self.world
        Enrolment.objects.filter(pupil=w.outsider_child).update(left_on=months_before(school_today(), 2))
        # Daan left an earlier class long ago, but is enrolled this year.
        last_year_class = Group.objects.get(school=w.school, school_year=w.last_year, name="Groep 2")
        Enrolment.objects.filter(id=enrol(w.child, last_year_class).id).update(left_on=self.long_ago)
        # Eva leaves, but only next month.
        Enrolment.objects.filter(pupil=w.sibling).update(left_on=school_today() + datetime.timedelta(days=30))
        self.assertEqual(due(w.school)["leaver_pupils"], 0)
        actions.do_run_retention(force=True)
        self.assertEqual(Pupil.objects.filter(school=w.school).count(), 4)

    def test_the_record_waits_for_the_absences_kept_by_law(self):
        w = self.world
        absence = Absence.objects.create(
            school=w.school,
            pupil=w.outsider_child,
            kind="dentist",
            starts_on=months_before(school_today(), 10),
        )
        actions.do_run_retention(force=True)
        self.assertTrue(Pupil.objects.filter(id=w.outsider_child.id).exists())
        self.assertTrue(Absence.objects.filter(id=absence.id).exists())
        later = months_before(school_today(), -55)  # the absence is past its 60 months
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(today=later, force=True)
        self.assertFalse(Absence.objects.filter(id=absence.id).exists())
        self.assertFalse(Pupil.objects.filter(id=w.outsider_child.id).exists())

    def test_a_guardian_the_deletion_leaves_without_a_child_is_a_leaver_from_the_childs_last_day(self):
        w = self.world
        # The school keeps accounts longer than pupil records: the account outlives Lars's record.
        actions.check_set_periods(acting_user=w.director, school=w.school, months={"leavers": 12})
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(force=True)
        self.assertFalse(Pupil.objects.filter(id=w.outsider_child.id).exists())
        self.assertTrue(User.objects.filter(id=w.outsider.id).exists())
        self.assertEqual(FormerGuardian.objects.get(user=w.outsider).since, self.long_ago)
        self.assertEqual(due(w.school, months_before(school_today(), -3))["leavers"], 0)
        self.assertEqual(due(w.school, months_before(school_today(), -5))["leavers"], 1)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(today=months_before(school_today(), -5), force=True)
        self.assertFalse(User.objects.filter(id=w.outsider.id).exists())
        self.assertTrue(User.objects.filter(id=w.parent.id).exists())

    def test_the_api_and_the_page_show_the_category_and_its_count(self):
        w = self.world
        rows = self.login("director").get(f"/api/v1/schools/{w.school.public_id}/retention").json()["periods"]
        self.assertEqual({r["category"]: r["due"] for r in rows}["leaver_pupils"], 1)
        page = self.client_for("director").get(f"/school/{w.school.public_id}/data/")
        self.assertContains(page, 'name="months_leaver_pupils"')
        with translation.override("nl"):
            self.assertContains(page, str(BY_KEY["leaver_pupils"].label))
