from posts.models import Post
from posts.tests.helpers import PostsTestCase, in_days


class TestPostsApi(PostsTestCase):
    def test_it_creates_and_reads_a_post(self):
        self.login("teacher")
        response = self.client.post(
            "/api/v1/posts",
            {"groups": [self.world.group3.public_id], "title": "Gym", "body": "<b>Gymschoenen</b>"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        post_id = response.json()["id"]
        feed = self.login("parent").get("/api/v1/posts").json()
        self.assertEqual([p["title"] for p in feed["posts"]], ["Gym"])
        self.assertFalse(feed["posts"][0]["read"])
        self.assertTrue(self.client.get(f"/api/v1/posts/{post_id}").json()["read"])

    def test_it_refuses_a_group_that_is_not_mine(self):
        response = self.login("teacher").post(
            "/api/v1/posts",
            {"groups": [self.world.other_school_group.public_id], "title": "X"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)
        self.assertIn("niet in een van deze groepen", response.json()["detail"])
        self.assertFalse(Post.objects.exists())

    def test_it_answers_an_invitation_and_signs_up(self):
        event = self.event(respond_by=in_days(2))
        task = self.help_request(places=1).tasks.get()
        self.login("parent")
        rsvp = self.client.post(
            f"/api/v1/posts/{event.public_id}/rsvp",
            {"answer": "yes", "people": 2},
            content_type="application/json",
        )
        self.assertEqual(rsvp.json(), {"answer": "yes", "people": 2, "note": ""})
        self.assertEqual(self.client.post(f"/api/v1/posts/tasks/{task.public_id}/signup").status_code, 201)
        full = self.login("class_parent").post(f"/api/v1/posts/tasks/{task.public_id}/signup")
        self.assertEqual((full.status_code, full.json()["detail"]), (422, "Deze taak is vol."))

    def test_it_tells_the_free_places_of_a_help_request(self):
        post = self.help_request(places=3)
        task = post.tasks.get()
        self.login("parent")
        signed = self.client.post(f"/api/v1/posts/tasks/{task.public_id}/signup").json()
        self.assertEqual((signed["taken"], signed["free"], signed["signed_up"]), (1, 2, True))
        [shown] = self.client.get(f"/api/v1/posts/{post.public_id}").json()["tasks"]
        self.assertEqual((shown["places"], shown["free"]), (3, 2))
        page = self.client.get("/posts/")
        self.assertContains(page, '<span data-testid="free">nog 2 plekken vrij</span>', html=True)

    def test_an_event_card_has_a_date_badge(self):
        import datetime

        from core.clock import SCHOOL_TZ

        self.event(starts_at=datetime.datetime(2027, 12, 16, 19, 0, tzinfo=SCHOOL_TZ), respond_by=None)
        page = self.login("parent").get("/posts/")
        badge = '<span class="date-badge" data-testid="date-badge">16 dec</span>'
        self.assertContains(page, badge, html=True)

    def test_it_gives_receipts_to_the_teacher(self):
        post = self.post()
        self.login("parent").post(f"/api/v1/posts/{post.public_id}/read")
        receipts = self.login("duo_teacher").get(f"/api/v1/posts/{post.public_id}/receipts").json()
        self.assertEqual((receipts["read"], receipts["total"]), (1, 3))
        self.assertEqual(len(receipts["not_read"]), 2)

    def test_it_edits_only_given_fields(self):
        post = self.post(title="Oud", body="<p>Tekst</p>")
        response = self.login("teacher").patch(
            f"/api/v1/posts/{post.public_id}", {"title": "Nieuw"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["title"], response.json()["body"]), ("Nieuw", "<p>Tekst</p>"))
        self.assertIsNotNone(response.json()["edited_at"])

    def test_it_rotates_the_calendar_address(self):
        url = self.login("parent").post("/api/v1/calendar/address").json()["url"]
        self.assertTrue(url.endswith(".ics"))
        self.assertEqual(self.client.get(url.split("testserver")[1]).status_code, 200)

    def test_it_is_404_for_an_outsider(self):
        post = self.post()
        self.assertEqual(self.login("outsider").get(f"/api/v1/posts/{post.public_id}").status_code, 404)
