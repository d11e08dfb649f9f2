from posts.models import PostRead
from posts.tests.helpers import PostsTestCase


class TestPostDetailView(PostsTestCase):
    def test_it_shows_the_post_and_marks_it_read(self):
        post = self.post(title="Schoolreis", body="<p>Neem <b>lunch</b> mee</p>")
        response = self.login("parent").get(f"/posts/{post.public_id}/")
        self.assertContains(response, "<b>lunch</b>", html=False)
        self.assertTrue(PostRead.objects.filter(post=post, user=self.world.parent).exists())
        self.assertNotContains(response, 'data-testid="receipts"')

    def test_it_shows_read_receipts_to_the_teacher(self):
        post = self.post()
        self.login("parent").get(f"/posts/{post.public_id}/")
        response = self.login("duo_teacher").get(f"/posts/{post.public_id}/")
        self.assertContains(response, "Gelezen door 1 van 3 ouders")
        receipts = self.client.get(f"/posts/{post.public_id}/receipts/")
        self.assertContains(receipts, 'data-testid="not-read"', count=2)

    def test_it_hides_receipts_from_parents(self):
        post = self.post()
        self.assertEqual(self.login("parent").get(f"/posts/{post.public_id}/receipts/").status_code, 404)

    def test_it_is_404_for_an_outsider(self):
        post = self.post()
        self.assertEqual(self.login("outsider").get(f"/posts/{post.public_id}/").status_code, 404)
        self.assertFalse(PostRead.objects.exists())


class TestPostRsvpView(PostsTestCase):
    def test_it_records_the_answer(self):
        event = self.event()
        response = self.login("parent").post(
            f"/posts/{event.public_id}/rsvp/", {"answer": "yes", "people": "3"}
        )
        self.assertRedirects(response, f"/posts/{event.public_id}/")
        page = self.client.get(f"/posts/{event.public_id}/")
        self.assertContains(page, 'data-testid="my-rsvp"')
        self.assertEqual(event.rsvps.get().people, 3)

    def test_it_explains_a_bad_answer(self):
        event = self.event()
        response = self.login("parent").post(
            f"/posts/{event.public_id}/rsvp/", {"answer": "perhaps", "people": "3"}, follow=True
        )
        self.assertContains(response, "Antwoord ja, nee of misschien")
        self.assertFalse(event.rsvps.exists())

    def test_it_is_404_for_an_outsider(self):
        event = self.event()
        response = self.login("outsider").post(
            f"/posts/{event.public_id}/rsvp/", {"answer": "yes", "people": "1"}
        )
        self.assertEqual(response.status_code, 404)


class TestTaskSignupView(PostsTestCase):
    def test_it_signs_up_and_withdraws(self):
        task = self.help_request(places=1).tasks.get()
        self.login("parent").post(f"/posts/tasks/{task.public_id}/signup/")
        task.refresh_from_db()
        self.assertEqual(task.taken, 1)
        response = self.login("class_parent").post(f"/posts/tasks/{task.public_id}/signup/", follow=True)
        self.assertContains(response, "Deze taak is vol.")
        self.login("parent").post(f"/posts/tasks/{task.public_id}/signup/", {"withdraw": "1"})
        task.refresh_from_db()
        self.assertEqual(task.taken, 0)

    def test_it_shows_the_author_who_signed_up(self):
        post = self.help_request(places=2)
        self.login("parent").post(f"/posts/tasks/{post.tasks.get().public_id}/signup/")
        response = self.login("teacher").get(f"/posts/{post.public_id}/")
        self.assertContains(response, "Sanne Mulder")

    def test_it_is_404_for_an_outsider(self):
        task = self.help_request().tasks.get()
        self.assertEqual(
            self.login("outsider").post(f"/posts/tasks/{task.public_id}/signup/").status_code, 404
        )
