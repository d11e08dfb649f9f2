"""A class parent's post waiting for approval: who is told, the queue (page and API), approve, reject, pin."""

from django.core.exceptions import ValidationError

from core.models import AuditEvent
from posts.actions import check_approve_post, check_pin_post, check_reject_post
from posts.models import Post
from posts.queries import approvers_of, posts_to_approve
from posts.tests.helpers import PostsTestCase, in_days

STAFF = ("teacher", "duo_teacher", "director", "office")
NOT_APPROVERS = ("parent", "co_parent", "class_parent", "other_teacher", "other_director", "outsider")


class TestWhoApproves(PostsTestCase):
    def test_the_class_teachers_the_director_and_the_office_may_approve_nobody_else(self):
        post = self.post("class_parent", title="Traktatierooster")
        self.assertTrue(post.awaiting_approval)
        for persona in STAFF:
            self.assertIn(post, posts_to_approve(self.user(persona)), persona)
        for persona in NOT_APPROVERS:
            self.assertNotIn(post, posts_to_approve(self.user(persona)), persona)

    def test_those_told_are_among_those_who_may_approve(self):
        post = self.post("class_parent")
        told = set(approvers_of(post))
        self.assertEqual(told, {self.world.teacher, self.world.duo_teacher, self.world.director})
        for user in told:
            self.assertIn(post, posts_to_approve(self.user(_persona(self.world, user))))

    def test_a_published_post_is_not_in_the_queue(self):
        post = self.post("teacher")
        self.assertNotIn(post, posts_to_approve(self.user("director")))

    def test_a_waiting_post_tells_the_teachers_and_the_director_not_its_author(self):
        with self.published_events() as seen:
            post = self.post("class_parent", title="Traktatierooster")
        (event,) = [event for event in seen if event.kind == "post.awaiting_approval"]
        w = self.world
        self.assertEqual(
            set(event.recipient_ids), {w.teacher.id, w.duo_teacher.id, w.director.id}, "no author, no office"
        )
        self.assertEqual(event.title_params, {"group": "Groep 3", "title": "Traktatierooster"})
        self.assertEqual((event.subject_id, event.url), (post.public_id, "/posts/approvals/"))
        self.assertNotIn("body", event.data)


class TestApprove(PostsTestCase):
    def test_the_director_approves_and_is_told_it_is_placed(self):
        post = self.post("class_parent", title="Traktatierooster")
        client = self.login("director")
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(f"/posts/{post.public_id}/approve/", {"from": "approvals"}, follow=True)
        self.assertRedirects(response, "/posts/approvals/")
        self.assertContains(response, "Het bericht is goedgekeurd en geplaatst.")
        self.assertNotContains(response, "Uw bericht")
        post.refresh_from_db()
        self.assertIsNotNone(post.published_at)
        self.assertEqual(post.approved_by, self.world.director)

    def test_a_scheduled_post_approved_early_says_when_it_goes_out(self):
        post = self.post("class_parent", publish_at=in_days(3))
        response = self.login("teacher").post(f"/posts/{post.public_id}/approve/", follow=True)
        self.assertContains(response, "Het bericht is goedgekeurd; het wordt geplaatst op")
        post.refresh_from_db()
        self.assertIsNone(post.published_at)
        self.assertFalse(post.awaiting_approval)

    def test_approving_twice_says_it_is_done_already(self):
        post = self.post("class_parent")
        check_approve_post(acting_user=self.user("teacher"), post=Post.objects.get(id=post.id))
        with self.assertRaises(ValidationError) as refused:
            check_approve_post(acting_user=self.user("director"), post=post)  # read before the first
        self.assertEqual(refused.exception.code, "not_pending")

    def test_the_author_cannot_approve_their_own_post(self):
        post = self.post("class_parent")
        response = self.login("class_parent").post(f"/api/v1/posts/{post.public_id}/approve")
        self.assertEqual((response.status_code, response.json()["code"]), (422, "not_staff"))
        self.assertTrue(Post.objects.get(id=post.id).awaiting_approval)

    def test_the_api_approves(self):
        post = self.post("class_parent")
        response = self.login("duo_teacher").post(f"/api/v1/posts/{post.public_id}/approve")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(response.json()["awaiting_approval"])
        self.assertIsNotNone(response.json()["published_at"])


class TestReject(PostsTestCase):
    def test_rejecting_removes_the_post_and_tells_the_author_with_the_reason(self):
        post = self.post("class_parent", title="Traktatierooster")
        with self.published_events() as seen, self.captureOnCommitCallbacks(execute=True):
            response = self.login("director").post(
                f"/posts/{post.public_id}/reject/",
                {"reason": "Graag zonder namen van kinderen.", "from": "approvals"},
                follow=True,
            )
        self.assertRedirects(response, "/posts/approvals/")
        self.assertContains(response, "Het bericht is afgewezen en verwijderd")
        self.assertFalse(Post.objects.filter(id=post.id).exists())
        (event,) = [event for event in seen if event.kind == "post.rejected"]
        self.assertEqual(event.recipient_ids, (self.world.class_parent.id,))
        self.assertEqual(event.data["note"], "Graag zonder namen van kinderen.")
        self.assertEqual(event.title_params, {"group": "Groep 3", "title": "Traktatierooster"})
        audit = AuditEvent.objects.get(action="post.rejected", object_id=post.public_id)
        self.assertTrue(audit.data["reason_given"])

    def test_the_api_rejects_and_refuses_a_long_reason(self):
        post = self.post("class_parent")
        client = self.login("teacher")
        too_long = client.post(
            f"/api/v1/posts/{post.public_id}/reject", {"reason": "x" * 501}, content_type="application/json"
        )
        self.assertEqual((too_long.status_code, too_long.json()["code"]), (422, "too_long"))
        self.assertTrue(Post.objects.filter(id=post.id).exists())
        done = client.post(f"/api/v1/posts/{post.public_id}/reject", {}, content_type="application/json")
        self.assertEqual(done.status_code, 204)
        self.assertFalse(Post.objects.filter(id=post.id).exists())

    def test_another_classes_teacher_cannot_reject(self):
        post = self.post("class_parent")
        with self.assertRaises(ValidationError):
            check_reject_post(acting_user=self.user("other_teacher"), post=post)
        self.assertTrue(Post.objects.filter(id=post.id).exists())


class TestQueue(PostsTestCase):
    def test_the_director_sees_the_waiting_post_and_the_menu_counts_it(self):
        self.post("class_parent", title="Traktatierooster", body="<p>Wie trakteert wanneer?</p>")
        self.post("teacher", title="Gymles")
        page = self.login("director").get("/posts/approvals/")
        self.assertContains(page, 'data-testid="approval"', count=1)
        self.assertContains(page, "Traktatierooster")
        self.assertContains(page, "Wie trakteert wanneer?")
        self.assertContains(page, "Fatima El Amrani")
        self.assertNotContains(page, "Gymles")
        self.assertContains(page, 'data-testid="approvals-link"')

    def test_a_parent_has_an_empty_queue_and_no_menu_link(self):
        self.post("class_parent", title="Traktatierooster")
        page = self.login("class_parent").get("/posts/approvals/")
        self.assertContains(page, 'data-testid="no-approvals"')
        self.assertNotContains(page, "Traktatierooster")
        self.assertNotContains(page, 'data-testid="approvals-link"')

    def test_the_api_lists_the_same_posts(self):
        post = self.post("class_parent", title="Traktatierooster")
        found = self.login("office").get("/api/v1/posts/approvals").json()
        self.assertEqual([(p["id"], p["author"]) for p in found], [(post.public_id, "Fatima El Amrani")])
        self.assertEqual(self.login("other_teacher").get("/api/v1/posts/approvals").json(), [])


class TestPin(PostsTestCase):
    def test_the_class_parent_cannot_pin_their_own_pending_post(self):
        post = self.post("class_parent")
        client = self.login("class_parent")
        page = client.get(f"/posts/{post.public_id}/")
        self.assertNotContains(page, f"/posts/{post.public_id}/pin/")
        response = client.post(f"/posts/{post.public_id}/pin/", {"pinned": "1"}, follow=True)
        self.assertContains(
            response, "Alleen het personeel van de groepen van het bericht kan het vastzetten."
        )
        api = client.post(
            f"/api/v1/posts/{post.public_id}/pin", {"pinned": True}, content_type="application/json"
        )
        self.assertEqual((api.status_code, api.json()["code"]), (422, "not_staff"))
        self.assertIsNone(Post.objects.get(id=post.id).pinned_at)

    def test_staff_pin_only_a_published_post(self):
        post = self.post("class_parent")
        with self.assertRaises(ValidationError) as refused:
            check_pin_post(acting_user=self.user("teacher"), post=post, pinned=True)
        self.assertEqual(refused.exception.code, "not_published")
        check_approve_post(acting_user=self.user("teacher"), post=post)
        check_pin_post(acting_user=self.user("teacher"), post=post, pinned=True)
        self.assertIsNotNone(Post.objects.get(id=post.id).pinned_at)


def _persona(world, user) -> str:
    return next(name for name, person in world.people.items() if person == user)


class TestRejectedNotice(PostsTestCase):
    def test_the_author_reads_the_reason_in_the_app_list_and_api(self):
        from notifications.actions import do_fan_out, receive_event

        post = self.post("class_parent", title="Traktatierooster")
        with self.published_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_reject_post(acting_user=self.user("teacher"), post=post, reason="Graag zonder namen.")
        (event,) = [event for event in seen if event.kind == "post.rejected"]
        do_fan_out(dispatch_id=receive_event(event).pk)
        client = self.login("class_parent")
        html = client.get("/notifications/").content.decode()
        self.assertIn("Niet goedgekeurd in Groep 3: Traktatierooster", html)
        self.assertIn("Graag zonder namen.", html)
        (item,) = client.get("/api/v1/notifications/").json()["items"]
        self.assertEqual(
            (item["title"], item["note"]),
            ("Niet goedgekeurd in Groep 3: Traktatierooster", "Graag zonder namen."),
        )
