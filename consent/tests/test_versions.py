"""Versioned purposes: a change in substance asks again for that purpose only; a wording fix keeps the
answers; the history names the version each answer was given to; non-photo purposes are their own kind."""

from django.core.exceptions import ValidationError
from django.utils import translation

from consent.actions import check_add_purpose, check_change_purpose, check_send_request, check_tag
from consent.enforcement import problems_for
from consent.models import AnswerChange, Purpose, Request, Scope
from consent.queries import group_overview, has_consent, pending_pupil_ids, preferences_of, response_rates
from consent.tests.helpers import ConsentTestCase
from consent.tests.test_requests import EventsMixin

PHOTO = Scope.values[:5]


class VersionTestCase(EventsMixin, ConsentTestCase):
    def change(self, purpose, *, ask_again: bool, **wording):
        with self.captureOnCommitCallbacks(execute=True):
            return check_change_purpose(
                acting_user=self.world.director, purpose=purpose, ask_again=ask_again, **wording
            )

    def everyone_answers_everything(self):
        for child in ("child", "sibling", "class_parent_child"):
            self.consent_all(child, *PHOTO)


class TestChangeInSubstance(VersionTestCase):
    def test_it_asks_again_for_the_changed_purpose_only(self):
        check_send_request(acting_user=self.world.director, school=self.world.school, reason="year")
        self.everyone_answers_everything()
        self.assertEqual(pending_pupil_ids(self.world.parent), set())
        newspaper = self.purpose(Scope.NEWSPAPER)
        self.change(newspaper, ask_again=True, name="In de krant en in het huis-aan-huisblad")
        [event] = [e for e in self.events if e.kind == "consent.requested"]
        self.assertIn(self.world.parent.id, event.recipient_ids)
        request = Request.objects.get(public_id=event.subject_id)
        self.assertEqual((request.reason, request.purpose_id), (Request.Reason.CHANGED, newspaper.id))
        self.assertEqual(pending_pupil_ids(self.world.parent), {self.world.child.id, self.world.sibling.id})
        # The new answer is owed for the newspaper only: answering it settles the request.
        self.answer("parent", "child", True, Scope.NEWSPAPER)
        self.assertEqual(pending_pupil_ids(self.world.parent), {self.world.sibling.id})
        [rows] = [c.rows for c in preferences_of(self.world.parent) if c.pupil == self.world.child]
        outdated = {purpose.scope for purpose, mine, _consent in rows if mine and mine.outdated}
        self.assertEqual(outdated, set())

    def test_an_answer_to_the_old_version_no_longer_counts(self):
        self.everyone_answers_everything()
        newspaper = self.purpose(Scope.NEWSPAPER)
        self.assertTrue(has_consent(self.world.child, newspaper))
        self.change(newspaper, ask_again=True, description="Ook met naam en achternaam.")
        self.assertFalse(has_consent(self.world.child, newspaper))
        self.assertTrue(has_consent(self.world.child, self.purpose(Scope.CLASS)))  # others untouched
        [rows] = [c.rows for c in preferences_of(self.world.parent) if c.pupil == self.world.child]
        outdated = [purpose.scope for purpose, mine, _consent in rows if mine and mine.outdated]
        self.assertEqual(outdated, [Scope.NEWSPAPER])
        self.answer("parent", "child", True, Scope.NEWSPAPER)
        self.assertFalse(has_consent(self.world.child, newspaper))  # the co-parent has not answered again
        self.answer("co_parent", "child", True, Scope.NEWSPAPER)
        self.assertTrue(has_consent(self.world.child, newspaper))

    def test_a_new_scope_always_asks_again(self):
        self.everyone_answers_everything()
        purpose = self.change(self.purpose(Scope.WEBSITE), ask_again=False, scope=Scope.SOCIAL)
        self.assertEqual((purpose.current.number, purpose.current.asked_from), (2, 2))
        self.assertFalse(has_consent(self.world.child, purpose))

    def test_enforcement_reads_the_current_version(self):
        self.everyone_answers_everything()
        photo = self.fake_photo(tagged=["child"])
        self.assertEqual(problems_for(media_files=[photo], groups=[self.world.group3]), [])
        self.change(
            self.purpose(Scope.CLASS),
            ask_again=True,
            name="Foto's en video's in de klas, ook op het digibord",
        )
        [problem] = problems_for(media_files=[photo], groups=[self.world.group3])
        self.assertEqual((problem.pupil, problem.purpose.scope), (self.world.child, Scope.CLASS))
        self.assertEqual(problem.purpose.name, "Foto's en video's in de klas, ook op het digibord")
        self.consent_all("child", Scope.CLASS)
        self.assertEqual(problems_for(media_files=[photo], groups=[self.world.group3]), [])

    def test_photos_already_shown_stay_shown_and_new_ones_need_the_new_answer(self):
        """Decision: a shown photo was shown with consent for what the school did then; the change applies
        to what is shown from now on (publishing, tagging, release all ask consent_table)."""
        self.everyone_answers_everything()
        shown = self.fake_photo(tagged=["child"])
        self.change(self.purpose(Scope.CLASS), ask_again=True, description="Ook op het digibord in de klas.")
        shown.refresh_from_db()
        self.assertIsNone(shown.withheld_at)
        later = self.fake_photo()
        check_tag(acting_user=self.world.teacher, media=later, pupil=self.world.child)
        later.refresh_from_db()
        self.assertIsNotNone(later.withheld_at)


class TestWordingFix(VersionTestCase):
    def test_a_typo_fix_keeps_every_answer(self):
        check_send_request(acting_user=self.world.director, school=self.world.school, reason="year")
        self.everyone_answers_everything()
        purpose = self.change(self.purpose(Scope.CLASS), ask_again=False, name_en="Photos in the class")
        self.assertEqual((purpose.current.number, purpose.current.asked_from), (2, 1))
        self.assertTrue(has_consent(self.world.child, purpose))
        self.assertEqual(pending_pupil_ids(self.world.parent), set())
        self.assertFalse([e for e in self.events if e.kind == "consent.requested"][1:])
        with translation.override("en"):
            self.assertEqual(purpose.name, "Photos in the class")
        with translation.override("nl"):
            self.assertEqual(purpose.name, "Foto's en video's in de eigen groep van het kind")

    def test_it_refuses_a_change_that_changes_nothing(self):
        purpose = self.purpose(Scope.CLASS)
        with self.assertRaises(ValidationError):
            self.change(purpose, ask_again=True, name=purpose.current.name_nl)
        self.assertEqual(purpose.versions.count(), 1)
        self.assertFalse(Request.objects.exists())


class TestHistoryPerVersion(VersionTestCase):
    def test_the_history_names_the_version_of_each_answer(self):
        self.answer("parent", "child", True, Scope.SOCIAL)
        social = self.change(self.purpose(Scope.SOCIAL), ask_again=True, name="Instagram en Facebook")
        self.answer("parent", "child", True, Scope.SOCIAL)  # the same yes, to the new version
        self.answer("parent", "child", False, Scope.SOCIAL)
        changes = AnswerChange.objects.filter(purpose=social, guardian=self.world.parent).order_by("id")
        rows = [(c.version.number, c.old, c.new) for c in changes]
        self.assertEqual(rows, [(1, None, True), (2, None, True), (2, True, False)])
        response = self.login("parent").get("/privacy/")
        self.assertContains(response, "Instagram en Facebook")

    def test_the_page_asks_again_and_shows_versions(self):
        self.answer("parent", "child", True, Scope.SOCIAL)
        self.change(self.purpose(Scope.SOCIAL), ask_again=True, name="Instagram en Facebook")
        page = self.login("parent").get("/privacy/").content.decode()
        self.assertEqual(page.count('data-testid="asked-again"'), 1)
        school_page = self.login("director").get(f"/privacy/school/{self.world.school.public_id}/")
        self.assertContains(school_page, 'data-testid="versions"', count=5)


class TestOtherKinds(VersionTestCase):
    def add(self, name: str, scope: str) -> Purpose:
        return check_add_purpose(
            acting_user=self.world.director, school=self.world.school, name=name, scope=scope
        )

    def test_a_new_other_purpose_does_not_make_every_class_unanswered(self):
        """The bug: a purpose added after the latest request showed every class as 0 % answered."""
        check_send_request(acting_user=self.world.director, school=self.world.school, reason="year")
        self.everyone_answers_everything()
        before = {rate.group.name: rate.percent for rate in response_rates(self.world.school)}
        self.assertEqual(before["Groep 3"], 100)
        self.add("Naam op de klassenlijst", Scope.CLASS_LIST)
        after = {rate.group.name: rate.percent for rate in response_rates(self.world.school)}
        self.assertEqual(after, before)
        # Once the school asks it, it is owed.
        check_send_request(acting_user=self.world.director, school=self.world.school, reason="purpose")
        asked = {rate.group.name: rate.percent for rate in response_rates(self.world.school)}
        self.assertEqual(asked["Groep 3"], 0)

    def test_a_data_purpose_is_never_photo_consent_and_is_worded_for_its_kind(self):
        self.everyone_answers_everything()
        phone = self.add("Telefoonnummer naar de klassenouders", Scope.CONTACT)
        self.assertFalse(phone.is_photo)
        photo = self.fake_photo(tagged=["child"])
        self.assertEqual(problems_for(media_files=[photo], groups=[self.world.group3]), [])
        purposes, refusals, _count = group_overview(self.world.group3)
        self.assertEqual(refusals, [])  # nobody answered the phone list, but everyone may appear
        [on_phone_list] = [p for p in purposes if p.id == phone.id]
        self.assertEqual(len(on_phone_list.refusing), 2)
        page = self.login("teacher").get(f"/privacy/groups/{self.world.group3.public_id}/")
        self.assertContains(page, 'data-testid="data-refusal"', count=1)
        preferences = self.login("parent").get("/privacy/").content.decode()
        self.assertIn('data-kind="data"', preferences)
        self.assertIn("Nog niet beantwoord, dus de school mag dit niet doen.", preferences)


class TestVersionsApi(VersionTestCase):
    def test_the_director_changes_a_purpose_and_the_parent_sees_the_version(self):
        self.answer("parent", "child", True, Scope.NEWSPAPER)
        newspaper = self.purpose(Scope.NEWSPAPER)
        client = self.login("director")
        response = client.patch(
            f"/api/v1/privacy/purposes/{newspaper.public_id}",
            {"ask_again": True, "description": "Ook met naam."},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["version"], body["asked_from"], body["kind"]), (2, 2, "photo"))
        children = self.login("parent").get("/api/v1/privacy/children").json()
        [daan] = [c for c in children if c["public_id"] == self.world.child.public_id]
        [row] = [a for a in daan["answers"] if a["purpose"]["public_id"] == newspaper.public_id]
        self.assertEqual((row["my_answer"], row["answered_version"]), (None, 1))
        self.assertEqual([h["version"] for h in daan["history"]], [1])

    def test_an_unknown_scope_is_a_422(self):
        response = self.login("director").patch(
            f"/api/v1/privacy/purposes/{self.purpose().public_id}",
            {"scope": "everywhere"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)

    def test_the_versions_of_a_purpose(self):
        social = self.purpose(Scope.SOCIAL)
        self.change(social, ask_again=False, name_en="On social media")
        self.change(social, ask_again=True, description="Ook Instagram.")
        rows = self.login("office").get(f"/api/v1/privacy/purposes/{social.public_id}/versions").json()
        self.assertEqual(
            [(r["number"], r["asked_from"], r["asks_again"]) for r in rows],
            [(3, 3, True), (2, 1, False), (1, 1, True)],
        )
        self.assertEqual(rows[0]["description_nl"], "Ook Instagram.")


class TestDeleting(VersionTestCase):
    def test_versions_go_with_their_purpose_and_school_but_never_alone(self):
        from django.db.models import RestrictedError

        from consent.models import PurposeVersion

        self.answer("parent", "child", True, Scope.CLASS)
        with self.assertRaises(RestrictedError):
            self.purpose(Scope.CLASS).current.delete()
        self.world.child.delete()  # the retention run deletes the records of pupils who left
        self.answer("class_parent", "class_parent_child", True, Scope.CLASS)
        self.purpose(Scope.CLASS).delete()
        self.world.school.delete()
        self.assertFalse(PurposeVersion.objects.exists())
