"""A school words its kinds of absence: its own Dutch and English names, and planned kinds switched off."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from absences.actions import check_change_absence, check_report_absence, check_word_kinds
from absences.kinds import kind_label, label_of
from absences.models import Absence, AbsenceKindWording
from absences.tests.helpers import EnglishTestCase, make_absence, weekday_ahead
from core.models import AuditEvent
from core.refusals import Invalid
from core.testing import PersonaTestCase

DENTIST = {"kind": "dentist", "name_nl": "Tandarts of orthodontist", "name_en": "Dentist or orthodontist"}
DOCTOR = {"kind": "doctor", "name_nl": "Arts of consultatiebureau", "name_en": "Doctor or health clinic"}
HOSPITAL = {"kind": "hospital", "name_nl": "Ziekenhuis of polikliniek"}  # no English: falls back to the Dutch


class WordedTestCase(PersonaTestCase):
    def setUp(self):
        super().setUp()
        check_word_kinds(
            acting_user=self.world.director, school=self.world.school, kinds=[DENTIST, DOCTOR, HOSPITAL]
        )
        self.world.co_parent.language = "en"
        self.world.co_parent.save(update_fields=["language"])

    def api(self, persona, method, path, data=None):
        send = getattr(self.client_for(persona), method)
        if method == "get":
            return send(f"/api/v1/absences{path}")
        return send(f"/api/v1/absences{path}", data, content_type="application/json")


class TestKindLabel(EnglishTestCase):
    def test_it_falls_back_from_english_to_dutch_to_the_built_in_name(self):
        self.assertEqual(
            kind_label("dentist", "Tandarts of orthodontist", "Dentist or orthodontist"),
            "Dentist or orthodontist",
        )
        self.assertEqual(kind_label("hospital", "Ziekenhuis of polikliniek", ""), "Ziekenhuis of polikliniek")
        self.assertEqual(kind_label("doctor"), "Doctor")

    def test_it_reads_the_school_words_of_a_single_absence(self):
        AbsenceKindWording.objects.create(
            school=self.world.school, kind="doctor", name_nl="Huisarts", name_en="GP"
        )
        self.assertEqual(label_of(make_absence(self.world, kind="doctor")), "GP")
        self.assertEqual(label_of(make_absence(self.world, kind="sick")), "Sick")


class TestCheckWordKinds(EnglishTestCase):
    def word(self, *kinds):
        return check_word_kinds(acting_user=self.world.office, school=self.world.school, kinds=list(kinds))

    def test_it_saves_the_words_replaces_them_and_audits(self):
        wording = {w.kind: w for w in self.word(DENTIST, {"kind": "hospital", "offered": False})}
        self.assertEqual(wording["dentist"].label, "Dentist or orthodontist")
        self.assertFalse(wording["hospital"].offered)
        self.assertEqual(wording["doctor"].label, "Doctor")
        self.assertTrue(
            AuditEvent.objects.filter(action="absence_kinds.worded", actor=self.world.office).exists()
        )
        self.word(DOCTOR)  # the list replaces the wording: dentist and hospital go back to the defaults
        self.assertEqual(list(AbsenceKindWording.objects.values_list("kind", flat=True)), ["doctor"])

    def test_it_refuses_a_name_that_is_too_long(self):
        with self.assertRaisesMessage(Invalid, "The name for “Dentist” is too long (at most 60 characters)."):
            self.word(DENTIST | {"name_en": "x" * 61})
        self.assertFalse(AbsenceKindWording.objects.exists())

    def test_it_wants_the_dutch_name_for_an_english_one(self):
        with self.assertRaisesMessage(Invalid, "Give the Dutch name for “Dentist” too"):
            self.word({"kind": "dentist", "name_en": "Dentist or orthodontist"})

    def test_sick_and_other_are_always_offered(self):
        for kind in ("sick", "other"):
            with self.assertRaisesMessage(Invalid, "is always offered"):
                self.word({"kind": kind, "offered": False})

    def test_it_refuses_an_unknown_or_repeated_kind(self):
        with self.assertRaises(Invalid):
            self.word({"kind": "holiday"})
        with self.assertRaises(Invalid):
            self.word(DENTIST, DENTIST)


class TestSwitchedOffKind(EnglishTestCase):
    def setUp(self):
        super().setUp()
        self.old = make_absence(self.world, kind="hospital")
        check_word_kinds(
            acting_user=self.world.director,
            school=self.world.school,
            kinds=[{"kind": "hospital", "offered": False}],
        )

    def test_the_action_refuses_it_with_a_clear_message(self):
        with self.assertRaisesMessage(
            Invalid, "The school does not take this kind of absence in the app"
        ) as refused:
            check_report_absence(
                acting_user=self.world.parent, pupil=self.world.child, kind="hospital", day=weekday_ahead(15)
            )
        self.assertEqual(refused.exception.code, "kind_not_offered")
        self.assertEqual(Absence.objects.count(), 1)

    def test_an_old_report_keeps_its_kind_when_changed(self):

        check_change_absence(
            acting_user=self.world.parent,
            absence=self.old,
            kind="hospital",
            day=self.old.starts_on,
            note="Later",
        )
        self.old.refresh_from_db()
        self.assertEqual((self.old.kind, self.old.note), ("hospital", "Later"))


class TestParentsSeeTheSchoolsWords(WordedTestCase):
    def test_the_form_offers_them_in_each_parents_language(self):
        dutch = self.login("parent").get("/absences/new/")
        self.assertContains(dutch, '<option value="dentist">Tandarts of orthodontist</option>', html=True)
        self.assertContains(dutch, '<option value="doctor">Arts of consultatiebureau</option>', html=True)
        english = self.login("co_parent").get("/absences/new/")
        self.assertContains(english, '<option value="dentist">Dentist or orthodontist</option>', html=True)
        self.assertContains(english, '<option value="doctor">Doctor or health clinic</option>', html=True)
        self.assertContains(english, '<option value="hospital">Ziekenhuis of polikliniek</option>', html=True)
        self.assertContains(english, '<option value="other">Other</option>', html=True)

    def test_the_list_and_the_detail_show_them(self):
        absence = make_absence(self.world, kind="doctor")
        self.assertContains(self.login("parent").get("/absences/"), "Arts of consultatiebureau")
        self.assertContains(self.login("co_parent").get("/absences/"), "Doctor or health clinic")
        self.assertContains(
            self.login("co_parent").get(f"/absences/{absence.public_id}/"), "Doctor or health clinic"
        )

    def test_the_teachers_overview_and_the_export_show_them(self):
        day = weekday_ahead(0)
        make_absence(self.world, day=day, kind="doctor")
        make_absence(self.world, self.world.sibling, day=day, kind="dentist")
        self.login("teacher").get("/")  # the session's first request also refreshes it
        with CaptureQueriesContext(connection) as worded:
            overview = self.client.get("/absences/overview/")
        self.assertContains(overview, "Arts of consultatiebureau")
        export = self.login("office").get("/absences/overview/export/", {"first": day, "last": day})
        [doctor] = [line for line in export.content.decode().splitlines() if ",doctor," in line]
        self.assertTrue(doctor.endswith(",Arts of consultatiebureau"), doctor)
        AbsenceKindWording.objects.all().delete()
        self.login("teacher").get("/")
        with CaptureQueriesContext(connection) as plain:
            self.assertContains(self.client.get("/absences/overview/"), "Huisarts of specialist")
        self.assertEqual(len(worded), len(plain))  # the words come with the absences: no query more

    def test_a_switched_off_kind_is_not_offered_but_old_reports_still_show(self):
        old = make_absence(self.world, kind="hospital")
        self.login("director").post(
            f"/absences/school/{self.world.school.public_id}/kinds/",
            {"dentist_nl": DENTIST["name_nl"], "hospital_nl": HOSPITAL["name_nl"]},  # hospital unticked
        )
        form = self.login("parent").get("/absences/new/")
        self.assertNotContains(form, 'value="hospital"')
        self.assertContains(self.client.get("/absences/"), "Ziekenhuis of polikliniek")
        detail = self.client.get(f"/absences/{old.public_id}/")
        self.assertContains(
            detail, '<option value="hospital" selected>Ziekenhuis of polikliniek</option>', html=True
        )
        refused = self.client.post(
            "/absences/new/",
            {"child": self.world.child.public_id, "kind": "hospital", "day": weekday_ahead(15)},
        )
        self.assertContains(refused, "De school neemt deze soort afwezigheid niet via de app aan.")
        self.assertEqual(Absence.objects.count(), 1)


class TestKindsSettingsView(WordedTestCase):
    def path(self):
        return f"/absences/school/{self.world.school.public_id}/kinds/"

    def test_the_page_shows_the_words_and_saves_them(self):
        page = self.login("office").get(f"/absences/school/{self.world.school.public_id}/")
        self.assertContains(page, 'data-testid="kind-wording"', count=5)
        self.assertContains(page, 'value="Tandarts of orthodontist"')
        self.assertNotContains(page, 'name="sick_offered"')
        response = self.client.post(self.path(), {"dentist_nl": "Tandarts", "dentist_offered": "on"})
        self.assertRedirects(response, f"/absences/school/{self.world.school.public_id}/#kinds")
        self.assertEqual(AbsenceKindWording.objects.get(kind="dentist").name_nl, "Tandarts")

    def test_it_refuses_a_name_that_is_too_long_in_dutch(self):
        response = self.login("director").post(self.path(), {"dentist_nl": "x" * 61})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Zorg dat deze waarde niet meer dan 60 tekens bevat", status_code=400)
        self.assertEqual(AbsenceKindWording.objects.get(kind="dentist").name_nl, DENTIST["name_nl"])

    def test_it_refuses_an_english_name_without_dutch_in_dutch(self):
        response = self.login("director").post(self.path(), {"dentist_en": "Dentist"})
        self.assertContains(response, "Geef ook de Nederlandse naam voor", status_code=400)


class TestKindsApi(WordedTestCase):
    def test_the_absence_carries_its_label_next_to_the_code(self):
        make_absence(self.world, kind="dentist")
        [mine] = self.api("co_parent", "get", "/").json()
        self.assertEqual((mine["kind"], mine["kind_label"]), ("dentist", "Dentist or orthodontist"))
        [theirs] = self.api("parent", "get", "/").json()
        self.assertEqual(theirs["kind_label"], "Tandarts of orthodontist")

    def test_the_children_carry_the_kinds_their_school_offers(self):
        check_word_kinds(
            acting_user=self.world.director,
            school=self.world.school,
            kinds=[DENTIST, {"kind": "hospital", "offered": False}],
        )
        child = self.api("co_parent", "get", "/children").json()[0]
        self.assertEqual(
            child["kinds"],
            [
                {"kind": "doctor", "label": "Doctor"},
                {"kind": "dentist", "label": "Dentist or orthodontist"},
                {"kind": "other", "label": "Other"},
            ],
        )
        response = self.api(
            "co_parent",
            "post",
            "/",
            {
                "child_id": self.world.child.public_id,
                "kind": "hospital",
                "day": weekday_ahead(15).isoformat(),
            },
        )
        self.assertEqual((response.status_code, response.json()["code"]), (422, "kind_not_offered"))

    def test_the_school_reads_and_sets_its_words(self):
        path = f"/schools/{self.world.school.public_id}/kinds"
        wording = {w["kind"]: w for w in self.api("office", "get", path).json()}
        self.assertEqual(wording["hospital"]["name_nl"], "Ziekenhuis of polikliniek")
        self.assertTrue(wording["sick"]["always_offered"])
        saved = self.api(
            "director", "put", path, [DENTIST | {"name_en": ""}, {"kind": "doctor", "offered": False}]
        )
        self.assertEqual(saved.status_code, 200, saved.content)
        saved = {w["kind"]: w for w in saved.json()}
        self.assertEqual(saved["dentist"]["label"], "Tandarts of orthodontist")
        self.assertFalse(saved["doctor"]["offered"])
        self.assertEqual(saved["hospital"]["name_nl"], "")

    def test_it_refuses_a_name_that_is_too_long_in_the_users_language(self):
        path = f"/schools/{self.world.school.public_id}/kinds"
        response = self.api("director", "put", path, [DENTIST | {"name_nl": "x" * 61}])
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["detail"],
            "De naam voor ‘Tandarts of orthodontist’ is te lang (hoogstens 60 tekens).",
        )
