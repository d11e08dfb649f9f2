"""An event's place and a help request's tasks are translated with their post: one request, one cache row,
the post's own access; shown translated on the post page and the feed, and in the API."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.actions import Draft, check_edit_post
from translation.models import ReadingPreference, Translation
from translation.tests.helpers import TranslatingTestCase

BODY = "<p>Beste ouders, morgen is er <strong>geen school</strong>.</p>"


class DetailsTest(TranslatingTestCase):
    def test_an_events_place_goes_in_the_same_request_and_row_as_its_title_and_body(self):
        event = self.event(title="Beste ouders", body=BODY, location="Bij groep 3")
        outcome = self.translated("parent", "post", event.public_id)
        self.assertEqual(outcome.texts[2], "Bij الصف 3")
        self.assertEqual(outcome.roles, ["place"])
        self.assertEqual(self.peer.calls, 1)
        self.assertEqual(len(self.peer.requests[0]["q"]), 3)
        self.assertEqual(Translation.objects.count(), 1)

    def test_a_help_requests_tasks_are_translated_in_order(self):
        post = self.help_request(title="Beste ouders", tasks=[("Morgen rijden", 2), ("Geen school koken", 1)])
        outcome = self.translated("parent", "post", post.public_id)
        self.assertEqual(outcome.texts[2:], ["غدًا rijden", "لا مدرسة koken"])
        self.assertEqual(outcome.roles, ["task", "task"])
        self.assertEqual(self.peer.calls, 1)

    def test_a_changed_place_is_translated_again(self):
        event = self.event(title="Beste ouders", location="Bij groep 3")
        self.translated("parent", "post", event.public_id)
        check_edit_post(
            acting_user=self.user("teacher"),
            post=event,
            draft=Draft(
                title="Beste ouders",
                kind="event",
                starts_at=event.starts_at,
                respond_by=event.respond_by,
                location="Morgen in de gymzaal",
            ),
        )
        self.assertEqual(self.translated("parent", "post", event.public_id).texts[2], "غدًا in de gymzaal")
        self.assertEqual(self.peer.calls, 2)
        self.assertEqual(Translation.objects.count(), 1)

    def test_an_announcement_keeps_its_two_texts(self):
        post = self.post("teacher", title="Beste ouders", body=BODY)
        outcome = self.translated("parent", "post", post.public_id)
        self.assertEqual((len(outcome.texts), outcome.roles), (2, []))

    def test_only_who_sees_the_event_may_translate_its_place(self):
        event = self.event(title="Beste ouders", location="Bij groep 3")
        payload = {"kind": "post", "id": event.public_id, "language": "ar"}
        for persona in ("outsider", "other_school_parent"):
            with self.subTest(persona):
                answer = self.login(persona).post(
                    "/api/v1/translations", payload, content_type="application/json"
                )
                self.assertEqual(answer.status_code, 404)
        self.assertEqual(self.peer.calls, 0)


class DetailsOnPagesTest(TranslatingTestCase):
    def setUp(self):
        super().setUp()
        ReadingPreference.objects.create(user=self.world.parent, language="ar", always=True)

    def test_always_translate_shows_the_place_and_the_tasks_labelled(self):
        event = self.event(title="Beste ouders", body=BODY, location="Bij groep 3")
        help_post = self.help_request(title="Beste ouders", tasks=[("Morgen rijden", 2)])
        for post in (event, help_post):
            self.translated("parent", "post", post.public_id)
        client = self.login("parent")
        page = client.get(f"/posts/{event.public_id}/")
        self.assertContains(page, 'data-testid="translated-detail"', count=1)
        self.assertContains(page, "Plaats:</span> <bdi>Bij الصف 3</bdi>", html=False)
        self.assertContains(page, "<dd>Bij groep 3</dd>", html=False)  # the original stays where it was
        page = client.get(f"/posts/{help_post.public_id}/")
        self.assertContains(page, "Taak:</span> <bdi>غدًا rijden</bdi>", html=False)
        page = client.get("/posts/")
        self.assertContains(page, 'data-testid="translated-detail"', count=2)

    def test_the_fragment_without_always_translates_the_details_too(self):
        ReadingPreference.objects.filter(user=self.world.parent).update(always=False)
        event = self.event(title="Beste ouders", location="Bij groep 3")
        client = self.login("parent")
        fragment_url = f"/translate/post/{event.public_id}/"
        with self.captureOnCommitCallbacks(execute=True):
            client.get(fragment_url)
        fragment = client.get(fragment_url).content.decode()
        self.assertIn("Bij الصف 3", fragment)
        original = client.get(f"{fragment_url}original/").content.decode()
        self.assertNotIn("translated-detail", original)  # the page shows the place as written itself

    def test_the_api_names_the_details(self):
        post = self.help_request(title="Beste ouders", tasks=[("Morgen rijden", 2), ("Koken", 1)])
        self.translated("parent", "post", post.public_id)
        payload = {"kind": "post", "id": post.public_id, "language": "ar"}
        answer = self.login("parent").post("/api/v1/translations", payload, content_type="application/json")
        body = answer.json()
        self.assertEqual(body["details"], ["task", "task"])
        self.assertEqual(body["texts"][2:], ["غدًا rijden", "Koken"])
        self.assertEqual(body["originals"][2:], ["Morgen rijden", "Koken"])

    def test_help_requests_on_the_feed_cost_no_query_per_post(self):
        client = self.login("parent")

        def feed_queries(count):
            for number in range(count):
                post = self.help_request(title=f"Beste ouders {number}", tasks=[("Morgen rijden", 2)])
                self.translated("parent", "post", post.public_id)
            client.get("/posts/")
            with CaptureQueriesContext(connection) as seen:
                page = client.get("/posts/").content.decode()
            return page, len(seen.captured_queries)

        page, one = feed_queries(1)
        self.assertEqual(page.count('data-testid="translated-detail"'), 1)
        page, three = feed_queries(2)
        self.assertEqual(page.count('data-testid="translated-detail"'), 3)
        self.assertEqual(one, three)
