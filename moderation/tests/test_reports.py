from django.http import Http404
from django.urls import reverse

from core import events
from media.access import access_media
from media.models import MediaFile
from media.queries import group_files
from moderation import actions
from moderation.models import REASON_MAX_LENGTH, Report
from moderation.tests.helpers import ModerationTestCase


class EventCapture:
    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)

    def __enter__(self):
        events.subscribe(self)
        return self.events

    def __exit__(self, *exc):
        events._subscribers.remove(self)


class TestCheckReport(ModerationTestCase):
    def test_it_tells_the_groups_teachers_and_the_director(self):
        with EventCapture() as sent, self.captureOnCommitCallbacks(execute=True):
            report = self.report(text="Mijn dochter staat erop zonder toestemming.")
        w = self.world
        self.assertEqual(report.group, w.group3)
        self.assertEqual(report.label, "Groep 3")
        [event] = [e for e in sent if e.kind == "report.created"]
        self.assertEqual(set(event.recipient_ids), {w.teacher.pk, w.duo_teacher.pk, w.director.pk})
        self.assertEqual(event.subject_id, report.public_id)
        self.assertEqual(event.url, reverse("moderation:report_detail", args=[report.public_id]))
        self.assertNotIn("toestemming", event.title + str(event.title_params))

    def test_it_sends_school_wide_items_to_the_director_only(self):
        with EventCapture() as sent, self.captureOnCommitCallbacks(execute=True):
            self.report(self.photo(self.world.wide))
        [event] = [e for e in sent if e.kind == "report.created"]
        self.assertEqual(set(event.recipient_ids), {self.world.director.pk})

    def test_it_updates_the_first_report_when_the_same_user_reports_again(self):
        photo = self.photo()
        first = self.report(photo, reason="privacy")
        second = self.report(photo, reason="offensive", text="Toch maar anders")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(Report.objects.get().reason, "offensive")

    def test_it_refuses_an_oversized_reason_and_saves_nothing(self):
        with self.assertRaisesMessage(actions.ModerationError, str(REASON_MAX_LENGTH)):
            self.report(text="x" * (REASON_MAX_LENGTH + 1))
        self.assertFalse(Report.objects.exists())

    def test_it_refuses_an_unknown_reason(self):
        with self.assertRaises(actions.ModerationError):
            self.report(reason="boring")


class TestHideAndResolve(ModerationTestCase):
    def test_hiding_takes_the_photo_away_from_parents_but_not_from_staff(self):
        photo = self.photo()
        report = self.report(photo)
        actions.do_hide_item(acting_user=self.world.teacher, report=report)
        self.assertEqual(group_files(self.world.parent, self.world.group3)[0], [])
        with self.assertRaises(Http404):
            access_media(self.world.parent, photo.public_id)
        self.assertTrue(actions.is_hidden(report))
        staff_page = self.login("teacher").get(
            reverse("media:group_files", args=[self.world.group3.public_id])
        )
        self.assertContains(staff_page, "schoolreis.jpg")

    def test_removing_closes_every_report_about_the_item_and_tells_each_reporter(self):
        photo = self.photo()
        first = self.report(photo)
        second = self.report(photo, by="class_parent")
        with EventCapture() as sent, self.captureOnCommitCallbacks(execute=True):
            closed = actions.check_resolve_report(
                acting_user=self.world.director, report=first, outcome="removed", note="Verwijderd, dank u."
            )
        self.assertEqual(closed, 2)
        self.assertFalse(MediaFile.objects.filter(pk=photo.pk).exists())
        for report in (first, second):
            report.refresh_from_db()
            self.assertEqual((report.status, report.outcome), ("closed", "removed"))
            self.assertEqual(report.note, "Verwijderd, dank u.")
        resolved = [e for e in sent if e.kind == "report.resolved"]
        self.assertEqual(
            {e.recipient_ids for e in resolved}, {(self.world.parent.pk,), (self.world.class_parent.pk,)}
        )
        self.assertIsNone(actions.is_hidden(first))

    def test_restoring_shows_the_item_again(self):
        photo = self.photo()
        report = self.report(photo)
        actions.do_hide_item(acting_user=self.world.teacher, report=report)
        actions.check_resolve_report(
            acting_user=self.world.teacher, report=report, outcome="restored", note=""
        )
        photo.refresh_from_db()
        self.assertIsNone(photo.hidden_at)
        self.assertEqual(access_media(self.world.parent, photo.public_id), photo)

    def test_a_new_report_after_closing_opens_it_again(self):
        photo = self.photo()
        report = self.report(photo)
        actions.check_resolve_report(
            acting_user=self.world.teacher, report=report, outcome="dismissed", note=""
        )
        again = self.report(photo)
        self.assertEqual(again.pk, report.pk)
        self.assertEqual((again.status, again.outcome), ("open", ""))

    def test_it_refuses_an_unknown_outcome_and_an_oversized_note(self):
        report = self.report()
        with self.assertRaises(actions.ModerationError):
            actions.check_resolve_report(
                acting_user=self.world.teacher, report=report, outcome="burn", note=""
            )
        with self.assertRaises(actions.ModerationError):
            actions.check_resolve_report(
                acting_user=self.world.teacher, report=report, outcome="dismissed", note="x" * 1001
            )
        report.refresh_from_db()
        self.assertTrue(report.is_open)


class TestReportView(ModerationTestCase):
    def url(self, photo):
        return reverse("moderation:report", args=["photo", photo.public_id])

    def test_it_reports_a_photo_the_parent_can_see(self):
        photo = self.photo()
        self.login("parent")
        self.assertContains(self.client.get(self.url(photo)), "Groep 3")
        response = self.client.post(
            self.url(photo), {"reason": "privacy", "text": "Graag weghalen"}, follow=True
        )
        self.assertRedirects(response, reverse("moderation:my_reports"))
        self.assertContains(response, 'data-testid="my-report"')
        self.assertEqual(Report.objects.get().reporter, self.world.parent)

    def test_it_shows_a_clear_message_for_an_oversized_reason(self):
        photo = self.photo()
        response = self.login("parent").post(self.url(photo), {"reason": "other", "text": "x" * 1001})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "minder dan 1000 tekens")
        self.assertFalse(Report.objects.exists())

    def test_it_answers_404_for_something_the_user_cannot_see(self):
        photo = self.photo(self.world.group6)
        for persona in ["outsider", "class_parent", "other_school_parent", "other_board_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(self.url(photo)).status_code, 404)
                self.assertEqual(self.client.post(self.url(photo), {"reason": "other"}).status_code, 404)
        self.assertEqual(
            self.login("parent").get("/moderation/report/nothing/" + photo.public_id + "/").status_code, 404
        )


class TestQueueViews(ModerationTestCase):
    def test_the_teacher_sees_reports_about_their_class_and_hides_with_one_click(self):
        report = self.report()
        self.login("teacher")
        self.assertContains(self.client.get(reverse("moderation:queue")), "Groep 3")
        detail = reverse("moderation:report_detail", args=[report.public_id])
        page = self.client.get(detail)
        self.assertContains(page, "Nu verbergen")
        # The reported photo itself, who put it there and where: the teacher decides without searching.
        self.assertContains(page, 'data-testid="reported-item"')
        self.assertContains(page, self.world.teacher.full_name)
        self.assertContains(page, f"/media/groups/{self.world.group3.public_id}/")
        response = self.client.post(reverse("moderation:report_hide", args=[report.public_id]), follow=True)
        self.assertContains(response, 'data-testid="hidden"')

    def test_other_teachers_and_parents_do_not_see_the_report(self):
        report = self.report()
        detail = reverse("moderation:report_detail", args=[report.public_id])
        for persona in ["other_teacher", "parent", "office", "outsider"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(detail).status_code, 404)
        self.assertNotContains(self.login("other_teacher").get(reverse("moderation:queue")), "Groep 3")

    def test_the_director_closes_the_report_and_the_parent_sees_the_outcome(self):
        report = self.report()
        resolve = reverse("moderation:report_resolve", args=[report.public_id])
        response = self.login("director").post(resolve, {"outcome": "dismissed", "note": "Foto mag blijven."})
        self.assertRedirects(response, reverse("moderation:queue"))
        mine = self.login("parent").get(reverse("moderation:my_reports"))
        self.assertContains(mine, "Niets mis gevonden")
        self.assertContains(mine, "Foto mag blijven.")

    def test_a_bad_decision_is_a_clear_message(self):
        report = self.report()
        resolve = reverse("moderation:report_resolve", args=[report.public_id])
        response = self.login("director").post(resolve, {"outcome": "dismissed", "note": "x" * 1001})
        self.assertContains(response, "minder dan 1000 tekens", status_code=400)
