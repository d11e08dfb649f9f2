from django.core.exceptions import ValidationError

from core.models import AuditEvent
from posts.actions import (
    Draft,
    check_approve_post,
    check_edit_post,
    check_pin_post,
    check_sign_up,
    do_delete_post,
)
from posts.models import Post
from posts.tests.helpers import PostsTestCase


class TestCheckEditPost(PostsTestCase):
    def test_it_marks_a_published_post_as_edited(self):
        post = self.post(title="Oud")
        check_edit_post(
            acting_user=self.user("teacher"), post=post, draft=Draft(title="Nieuw", body="<i>ja</i>")
        )
        post.refresh_from_db()
        self.assertEqual((post.title, post.body), ("Nieuw", "<i>ja</i>"))
        self.assertIsNotNone(post.edited_at)
        self.assertTrue(AuditEvent.objects.filter(action="post.edited", object_id=post.public_id).exists())

    def test_it_refuses_someone_elses_post(self):
        post = self.post(title="Oud")
        with self.assertRaises(ValidationError):
            check_edit_post(acting_user=self.user("duo_teacher"), post=post, draft=Draft(title="Nieuw"))
        post.refresh_from_db()
        self.assertEqual(post.title, "Oud")

    def test_it_refuses_an_empty_title(self):
        post = self.post(title="Oud")
        with self.assertRaises(ValidationError):
            check_edit_post(acting_user=self.user("teacher"), post=post, draft=Draft(title=""))

    def test_it_keeps_places_that_are_taken(self):
        post = self.help_request(places=2)
        check_sign_up(acting_user=self.world.parent, task=post.tasks.get())
        draft = Draft(title="Hulp", kind="help", tasks=[("Rijden", 0)])
        with self.assertRaises(ValidationError):
            check_edit_post(acting_user=self.user("teacher"), post=post, draft=draft)
        check_edit_post(
            acting_user=self.user("teacher"),
            post=post,
            draft=Draft(title="Hulp", kind="help", tasks=[("Rijden", 3), ("Koken", 2)]),
        )
        self.assertEqual(
            [(t.name, t.places, t.taken) for t in post.tasks.all()], [("Rijden", 3, 1), ("Koken", 2, 0)]
        )


class TestDoDeletePost(PostsTestCase):
    def test_it_deletes_with_an_audit_row(self):
        post = self.post()
        do_delete_post(acting_user=self.user("duo_teacher"), post=post)
        self.assertFalse(Post.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="post.deleted", object_id=post.public_id).exists())


class TestDoPinPost(PostsTestCase):
    def test_it_pins_and_unpins(self):
        post = self.post()
        check_pin_post(acting_user=self.user("duo_teacher"), post=post, pinned=True)
        self.assertIsNotNone(Post.objects.get().pinned_at)
        check_pin_post(acting_user=self.user("duo_teacher"), post=post, pinned=False)
        self.assertIsNone(Post.objects.get().pinned_at)


class TestCheckApprovePost(PostsTestCase):
    def test_it_publishes_after_a_teachers_approval(self):
        post = self.post("class_parent")
        with self.published_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_approve_post(acting_user=self.user("duo_teacher"), post=post)
        post.refresh_from_db()
        self.assertIsNotNone(post.published_at)
        self.assertEqual(post.approved_by, self.world.duo_teacher)
        self.assertEqual([event.kind for event in seen], ["post.published"])

    def test_it_refuses_another_classes_teacher(self):
        post = self.post("class_parent")
        with self.assertRaises(ValidationError):
            check_approve_post(acting_user=self.user("other_teacher"), post=post)
        self.assertIsNone(Post.objects.get().published_at)
