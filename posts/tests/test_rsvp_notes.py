"""A family's note with its RSVP: for the event's author and the group's staff, screened, never for others."""

from django.core.exceptions import ValidationError

from core.models import AuditEvent
from moderation.models import Flag
from posts.actions import check_rsvp
from posts.models import Rsvp
from posts.tests.helpers import PostsTestCase

LATE = "We komen 10 minuten later, na de zwemles."
RUDE = "Wat een kutfeest, ik weet waar je woont."


class TestCheckRsvpNote(PostsTestCase):
    def test_it_saves_the_note_and_keeps_it_when_none_is_given(self):
        event = self.event()
        check_rsvp(acting_user=self.world.parent, post=event, answer="yes", people=2, note=f"  {LATE} ")
        self.assertEqual(Rsvp.objects.get().note, LATE)
        check_rsvp(acting_user=self.world.co_parent, post=event, answer="maybe", people=2)
        self.assertEqual(Rsvp.objects.get().note, LATE)
        check_rsvp(acting_user=self.world.co_parent, post=event, answer="maybe", people=2, note="")
        self.assertEqual(Rsvp.objects.get().note, "")

    def test_it_flags_a_note_that_hits_the_lists_and_still_delivers_it(self):
        event = self.event()
        rsvp = check_rsvp(acting_user=self.world.parent, post=event, answer="yes", note=RUDE)
        self.assertEqual(Rsvp.objects.get().note, RUDE)
        flag = Flag.objects.get()
        self.assertEqual((flag.item_id, flag.categories), (rsvp.pk, ["swearing", "threats"]))
        audit = AuditEvent.objects.get(action="post.rsvp")
        self.assertEqual(audit.data["note_flagged"], ["swearing", "threats"])

    def test_a_clean_note_is_not_flagged(self):
        check_rsvp(acting_user=self.world.parent, post=self.event(), answer="yes", note=LATE)
        self.assertFalse(Flag.objects.exists())

    def test_a_changed_note_is_screened_again(self):
        event = self.event()
        check_rsvp(acting_user=self.world.parent, post=event, answer="yes", note=RUDE)
        check_rsvp(acting_user=self.world.parent, post=event, answer="no", note=RUDE)
        self.assertEqual(Flag.objects.count(), 1)
        check_rsvp(acting_user=self.world.parent, post=event, answer="yes", note=LATE)
        self.assertFalse(Flag.objects.exists())

    def test_it_refuses_a_note_that_is_too_long_and_saves_nothing(self):
        event = self.event()
        check_rsvp(acting_user=self.world.parent, post=event, answer="yes", people=2, note=LATE)
        with self.assertRaisesMessage(ValidationError, "hoogstens 300 tekens"):
            check_rsvp(acting_user=self.world.parent, post=event, answer="no", note="x" * 301)
        rsvp = Rsvp.objects.get()
        self.assertEqual((rsvp.answer, rsvp.note), ("yes", LATE))
        self.assertEqual(AuditEvent.objects.filter(action="post.rsvp").count(), 1)


class TestRsvpNoteView(PostsTestCase):
    def answer(self, event, note: str, persona: str = "parent"):
        url = f"/posts/{event.public_id}/rsvp/"
        return self.login(persona).post(url, {"answer": "yes", "people": "2", "note": note}, follow=True)

    def test_the_parent_sees_and_can_change_their_own_note(self):
        event = self.event()
        page = self.answer(event, LATE)
        self.assertContains(page, 'data-testid="my-rsvp-note"')
        self.assertContains(page, f"\n{LATE}</textarea>")
        self.answer(event, "Wij komen toch op tijd.")
        self.assertEqual(Rsvp.objects.get().note, "Wij komen toch op tijd.")

    def test_the_teachers_and_the_author_see_the_note_other_parents_do_not(self):
        event = self.event()
        self.answer(event, LATE)
        for persona in ("teacher", "duo_teacher"):
            page = self.login(persona).get(f"/posts/{event.public_id}/")
            self.assertContains(page, 'data-testid="rsvp-note"')
            self.assertContains(page, LATE)
        other_parent = self.login("class_parent").get(f"/posts/{event.public_id}/")
        self.assertEqual(other_parent.status_code, 200)
        self.assertNotContains(other_parent, LATE)
        self.assertNotContains(other_parent, 'data-testid="rsvp-note"')

    def test_staff_see_a_flagged_note_with_its_flag(self):
        event = self.event()
        own = self.answer(event, RUDE)
        self.assertNotContains(own, 'data-testid="flag"')
        page = self.login("duo_teacher").get(f"/posts/{event.public_id}/")
        self.assertContains(page, "kutfeest")
        self.assertContains(page, 'data-testid="flag"')
        self.assertContains(page, "Bedreiging")
        self.assertNotContains(self.login("class_parent").get(f"/posts/{event.public_id}/"), "kutfeest")

    def test_it_explains_a_note_that_is_too_long_and_saves_nothing(self):
        event = self.event()
        page = self.answer(event, "x" * 301)
        self.assertContains(page, "Een notitie heeft hoogstens 300 tekens.")
        self.assertFalse(Rsvp.objects.exists())


class TestRsvpNoteApi(PostsTestCase):
    def answer(self, event, **payload):
        return self.client.post(
            f"/api/v1/posts/{event.public_id}/rsvp",
            {"answer": "yes", **payload},
            content_type="application/json",
        )

    def test_it_saves_the_note_and_gives_it_to_staff_with_its_flag(self):
        event = self.event()
        self.login("parent")
        self.assertEqual(self.answer(event, note=RUDE).json(), {"answer": "yes", "people": 1, "note": RUDE})
        self.assertEqual(self.answer(event, people=2).json()["note"], RUDE)
        self.assertEqual(self.client.get(f"/api/v1/posts/{event.public_id}").json()["my_rsvp"]["note"], RUDE)
        self.assertEqual(self.client.get(f"/api/v1/posts/{event.public_id}/answers").status_code, 404)
        self.login("class_parent")
        self.answer(event, note=LATE)
        other = self.client.get(f"/api/v1/posts/{event.public_id}").json()
        self.assertEqual(other["my_rsvp"]["note"], LATE)
        answers = self.login("duo_teacher").get(f"/api/v1/posts/{event.public_id}/answers").json()
        self.assertEqual(
            [(f["family"], f["note"], f["flagged"]) for f in answers["families"]],
            [("Daan Mulder", RUDE, ["swearing", "threats"]), ("Yasmin El Amrani", LATE, [])],
        )

    def test_it_refuses_a_note_that_is_too_long_and_saves_nothing(self):
        event = self.event()
        response = self.login("parent").post(
            f"/api/v1/posts/{event.public_id}/rsvp",
            {"answer": "yes", "note": "x" * 301},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"], "Een notitie heeft hoogstens 300 tekens.")
        self.assertFalse(Rsvp.objects.exists())
