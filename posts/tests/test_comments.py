from django.core.exceptions import ValidationError

from posts.comment_actions import (
    check_comment,
    check_react,
    check_set_comments,
    check_update_timeline_settings,
)
from posts.models import Comment, Reaction, SchoolTimelineSettings
from posts.queries import comments_open
from posts.tests.helpers import PostsTestCase


class TestCheckComment(PostsTestCase):
    def test_it_is_off_by_default(self):
        post = self.post()
        self.assertFalse(comments_open(post))
        with self.assertRaises(ValidationError):
            check_comment(acting_user=self.world.parent, post=post, body="Leuk!")
        self.assertFalse(Comment.objects.exists())

    def test_it_comments_when_the_teacher_turns_comments_on(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        comment = check_comment(acting_user=self.world.parent, post=post, body="  Wat leuk!  ")
        self.assertEqual(comment.body, "Wat leuk!")

    def test_it_refuses_an_empty_comment(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        with self.assertRaises(ValidationError):
            check_comment(acting_user=self.world.parent, post=self.post(), body="   ")

    def test_it_needs_every_group_of_the_post_open(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post("director", groups=[self.world.group3, self.world.group6])
        self.assertFalse(comments_open(post))

    def test_it_lets_only_the_director_open_the_school_wide_group(self):
        with self.assertRaises(ValidationError):
            check_set_comments(acting_user=self.user("office"), group=self.world.wide, enabled=True)
        with self.assertRaises(ValidationError):
            check_set_comments(acting_user=self.user("teacher"), group=self.world.wide, enabled=True)
        check_set_comments(acting_user=self.user("director"), group=self.world.wide, enabled=True)
        self.assertTrue(comments_open(self.post("director", groups=[self.world.wide])))


class TestCheckReact(PostsTestCase):
    def test_it_toggles_one_reaction_per_person(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        check_react(acting_user=self.world.parent, post=post, kind="heart")
        check_react(acting_user=self.world.parent, post=post, kind="clap")
        self.assertEqual(list(Reaction.objects.values_list("kind", flat=True)), ["clap"])
        check_react(acting_user=self.world.parent, post=post, kind="clap")
        self.assertFalse(Reaction.objects.exists())


class TestCheckUpdateTimelineSettings(PostsTestCase):
    def test_it_saves_for_the_office_only(self):
        with self.assertRaises(ValidationError):
            check_update_timeline_settings(
                acting_user=self.user("teacher"),
                school=self.world.school,
                class_parent_posts_need_approval=False,
                photo_download_allowed=False,
            )
        check_update_timeline_settings(
            acting_user=self.user("office"),
            school=self.world.school,
            class_parent_posts_need_approval=False,
            photo_download_allowed=False,
        )
        found = SchoolTimelineSettings.objects.get()
        self.assertEqual(
            (found.class_parent_posts_need_approval, found.photo_download_allowed), (False, False)
        )


class TestPostCommentView(PostsTestCase):
    def test_it_shows_the_comment_and_reactions(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        self.login("parent").post(f"/posts/{post.public_id}/comments/", {"body": "Gezellig!"})
        self.client.post(f"/posts/{post.public_id}/react/", {"kind": "heart"})
        page = self.login("co_parent").get(f"/posts/{post.public_id}/")
        self.assertContains(page, "Gezellig!")
        self.assertContains(page, "❤️ 1")

    def test_it_confirms_a_posted_comment(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        page = self.login("parent").post(
            f"/posts/{post.public_id}/comments/", {"body": "Gezellig!"}, follow=True
        )
        self.assertContains(page, "Uw reactie is geplaatst.")
        self.assertContains(page, "Gezellig!")

    def test_it_says_a_held_comment_waits_and_does_not_claim_it_was_posted(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        with self.captureOnCommitCallbacks(execute=True):
            page = self.login("parent").post(
                f"/posts/{post.public_id}/comments/", {"body": "Wat een k4nkerschool is dit"}, follow=True
            )
        self.assertContains(page, "Uw reactie wordt eerst bekeken voordat de anderen haar zien.")
        self.assertNotContains(page, "Uw reactie is geplaatst.")

    def test_it_confirms_nothing_when_the_comment_is_refused(self):
        post = self.post()  # comments are off
        page = self.login("parent").post(f"/posts/{post.public_id}/comments/", {"body": "Hoi"}, follow=True)
        self.assertNotContains(page, "Uw reactie is geplaatst.")
        self.assertFalse(Comment.objects.exists())

    def test_the_api_answers_with_the_new_comment(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        response = self.login("parent").post(
            f"/api/v1/posts/{post.public_id}/comments", {"body": "Gezellig!"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["id"], Comment.objects.get().public_id)
        self.assertEqual((response.json()["body"], response.json()["hidden"]), ("Gezellig!", False))

    def test_it_links_addresses_in_the_post_and_its_comments_safely(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post(body="Meer op https://school.nl/reis of bel 071 123 45 67.")
        body = '<a href="javascript:alert(1)">klik</a> <script>alert(2)</script> www.museum.nl'
        self.login("parent").post(f"/posts/{post.public_id}/comments/", {"body": body})
        page = self.login("co_parent").get(f"/posts/{post.public_id}/")
        self.assertContains(
            page,
            '<a href="https://school.nl/reis" rel="noopener nofollow" target="_blank">'
            "https://school.nl/reis</a> of bel",
            html=False,
        )
        self.assertContains(
            page, '<a href="tel:0711234567" rel="noopener nofollow">071 123 45 67</a>', html=False
        )
        self.assertContains(page, "&lt;a href=&quot;javascript:alert(1)&quot;&gt;klik&lt;/a&gt;", html=False)
        self.assertContains(page, "&lt;script&gt;alert(2)&lt;/script&gt;", html=False)
        self.assertContains(page, 'href="https://www.museum.nl"', html=False)
        self.assertNotContains(page, 'href="javascript:', html=False)

    def test_it_lets_the_teacher_delete_a_comment(self):
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        comment = check_comment(acting_user=self.world.parent, post=self.post(), body="Oeps")
        self.assertEqual(
            self.login("co_parent").post(f"/posts/comments/{comment.public_id}/delete/").status_code, 404
        )
        self.login("duo_teacher").post(f"/posts/comments/{comment.public_id}/delete/")
        self.assertFalse(Comment.objects.exists())

    def test_it_hides_a_hidden_comment_from_parents(self):
        from django.utils import timezone

        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)
        post = self.post()
        comment = check_comment(acting_user=self.world.parent, post=post, body="Verborgen tekst")
        Comment.objects.filter(id=comment.id).update(hidden_at=timezone.now())
        self.assertNotContains(self.login("co_parent").get(f"/posts/{post.public_id}/"), "Verborgen tekst")
        self.assertContains(self.login("teacher").get(f"/posts/{post.public_id}/"), "Verborgen tekst")
