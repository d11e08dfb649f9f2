from django.utils import timezone

from core.clock import SCHOOL_TZ
from posts.actions import do_rotate_calendar_feed
from posts.ical import fold
from posts.tests.helpers import PostsTestCase, in_days


class TestCalendarView(PostsTestCase):
    def test_it_lists_the_events_of_the_month(self):
        event = self.event(title="Kerstviering", location="Aula")
        month = timezone.localtime(event.starts_at, SCHOOL_TZ).strftime("%Y-%m")
        response = self.login("parent").get("/calendar/", {"month": month})
        self.assertContains(response, "Kerstviering")
        self.assertNotContains(self.login("outsider").get("/calendar/", {"month": month}), "Kerstviering")

    def test_it_shows_a_new_address_once(self):
        self.login("parent").post("/calendar/address/")
        first = self.client.get("/calendar/")
        self.assertContains(first, ".ics")
        self.assertNotContains(self.client.get("/calendar/"), 'data-testid="feed-url"')


class TestCalendarFeedView(PostsTestCase):
    def test_it_serves_only_what_the_user_may_see(self):
        self.event(
            title="Schoolreis, groep 3", location="Artis; Amsterdam", body="<p>Neem <b>lunch</b> mee</p>"
        )
        self.event("other_teacher", groups=[self.world.group6], title="Groep 6 uitje")
        token = do_rotate_calendar_feed(acting_user=self.world.co_parent)
        response = self.client.get(f"/calendar/{token}.ics")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertIn("SUMMARY:Schoolreis\\, groep 3\r\n", body)
        self.assertIn("LOCATION:Artis\\; Amsterdam\r\n", body)
        self.assertIn("Neem lunch mee", body)
        self.assertNotIn("Groep 6 uitje", body)
        self.assertNotIn("<b>", body)

    def test_it_stops_working_after_rotation(self):
        old = do_rotate_calendar_feed(acting_user=self.world.parent)
        new = do_rotate_calendar_feed(acting_user=self.world.parent)
        self.assertEqual(self.client.get(f"/calendar/{old}.ics").status_code, 404)
        self.assertEqual(self.client.get(f"/calendar/{new}.ics").status_code, 200)

    def test_it_includes_a_teachers_own_classes(self):
        self.event(title="Ouderavond", starts_at=in_days(3))
        token = do_rotate_calendar_feed(acting_user=self.world.duo_teacher)
        self.assertContains(self.client.get(f"/calendar/{token}.ics"), "Ouderavond")

    def test_it_folds_long_lines_at_75_octets(self):
        line = "DESCRIPTION:" + "é" * 80
        folded = fold(line)
        self.assertTrue(all(len(part.encode()) <= 75 for part in folded.split("\r\n")))
        self.assertEqual(folded.replace("\r\n ", ""), line)


class TestEventFile(PostsTestCase):
    def test_it_downloads_one_event_on_the_school_clock_escaped_and_folded(self):
        import datetime

        from core.clock import SCHOOL_TZ

        event = self.event(
            title="Kerstviering; groep 3, 4 " + "en heel veel anderen " * 5,
            starts_at=datetime.datetime(2027, 12, 16, 18, 30, tzinfo=SCHOOL_TZ),
            respond_by=None,
            location="Aula, De Schakel",
        )
        response = self.login("parent").get(f"/posts/{event.public_id}/event.ics")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        text = response.content.decode()
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n"))
        self.assertIn("TZID:Europe/Amsterdam\r\n", text)
        self.assertIn("DTSTART;TZID=Europe/Amsterdam:20271216T183000\r\n", text)
        self.assertIn("DTEND;TZID=Europe/Amsterdam:20271216T193000\r\n", text)
        self.assertIn("LOCATION:Aula\\, De Schakel\r\n", text)
        self.assertTrue(all(len(line.encode()) <= 75 for line in text.split("\r\n")))
        unfolded = text.replace("\r\n ", "")
        self.assertIn("SUMMARY:Kerstviering\\; groep 3\\, 4 en heel", unfolded)
        api = self.client.get(f"/api/v1/posts/{event.public_id}/event.ics")
        self.assertEqual(api.content.decode().replace("DTSTAMP", ""), text.replace("DTSTAMP", ""))

    def test_only_a_published_event_has_a_file(self):
        post = self.post()
        self.login("parent")
        self.assertEqual(self.client.get(f"/posts/{post.public_id}/event.ics").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/posts/{post.public_id}/event.ics").status_code, 404)
        event = self.event()
        self.assertEqual(self.login("outsider").get(f"/posts/{event.public_id}/event.ics").status_code, 404)
