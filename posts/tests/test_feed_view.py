from django.db import connection
from django.test.utils import CaptureQueriesContext

from media.models import MediaFile
from media.tests.helpers import MediaTestCase
from posts.comment_actions import check_react, check_set_comments
from posts.models import Post, Reaction
from posts.queries import PAGE_SIZE
from posts.tests.helpers import PostsTestCase


def feed_queries(test: PostsTestCase) -> int:
    """The number of queries of the parent's feed page."""
    client = test.client_for("parent")
    with CaptureQueriesContext(connection) as queries:
        test.assertEqual(client.get("/posts/").status_code, 200)
    return len(queries)


class TestFeedView(PostsTestCase):
    def test_it_shows_the_posts_of_my_groups_newest_first(self):
        self.post(title="Oudste")
        self.post(title="Nieuwste")
        self.post("other_teacher", groups=[self.world.group6], title="Groep 6 nieuws")
        response = self.login("co_parent").get("/posts/")
        self.assertEqual(response.status_code, 200)
        titles = [post.title for post in response.context["feed"].posts]
        self.assertEqual(titles, ["Nieuwste", "Oudste"])

    def test_it_marks_unread_posts(self):
        read, unread = self.post(title="Gelezen"), self.post(title="Ongelezen")
        self.login("parent").get(f"/posts/{read.public_id}/")
        response = self.client.get("/posts/")
        flags = {post.title: post.is_read for post in response.context["feed"].posts}
        self.assertEqual(flags, {"Gelezen": True, "Ongelezen": False})
        self.assertContains(response, 'data-testid="unread"', count=1)
        self.assertIsNotNone(unread)

    def test_it_puts_pinned_posts_on_top(self):
        pinned = self.post(title="Belangrijk")
        self.post(title="Later")
        Post.objects.filter(id=pinned.id).update(pinned_at=pinned.published_at)
        feed = self.login("parent").get("/posts/").context["feed"]
        self.assertEqual([p.title for p in feed.pinned], ["Belangrijk"])
        self.assertEqual([p.title for p in feed.posts], ["Later"])

    def test_it_filters_per_child(self):
        self.post(title="Groep 3")
        self.post("other_teacher", groups=[self.world.group6], title="Groep 6")
        self.post("director", groups=[self.world.wide], title="School")
        response = self.login("parent").get("/posts/", {"child": self.world.sibling.public_id})
        self.assertEqual({p.title for p in response.context["feed"].posts}, {"Groep 6", "School"})

    def test_it_filters_per_group(self):
        self.post(title="Groep 3")
        self.post("director", groups=[self.world.wide], title="School")
        response = self.login("parent").get("/posts/", {"group": self.world.wide.public_id})
        self.assertEqual([p.title for p in response.context["feed"].posts], ["School"])

    def test_it_loads_the_next_page_as_a_partial(self):
        for number in range(PAGE_SIZE + 3):
            self.post(title=f"Bericht {number}")
        first = self.login("parent").get("/posts/").context["feed"]
        self.assertEqual(len(first.posts), PAGE_SIZE)
        response = self.client.get("/posts/", {"after": first.next_cursor}, headers={"HX-Request": "true"})
        self.assertNotContains(response, "<html")
        self.assertEqual(
            [p.title for p in response.context["feed"].posts], ["Bericht 2", "Bericht 1", "Bericht 0"]
        )
        self.assertEqual(response.context["feed"].next_cursor, "")

    def test_it_does_not_show_pending_posts_to_parents(self):
        self.post("class_parent", title="Wacht")
        response = self.login("parent").get("/posts/")
        self.assertEqual(response.context["feed"].posts, [])

    def test_it_uses_a_constant_number_of_queries(self):
        self.post(title="Een")
        few = feed_queries(self)
        for number in range(6):
            self.event(title=f"Uitje {number}")
            self.help_request(title=f"Hulp {number}", groups=[self.world.group3])
            self.post("director", groups=[self.world.wide, self.world.group6], title=f"School {number}")
        self.assertEqual(feed_queries(self), few)

    def test_it_shows_nothing_to_an_outsider(self):
        self.post(title="Groep 3")
        response = self.login("outsider").get("/posts/")
        self.assertEqual(response.context["feed"].posts, [])

    def test_it_answers_404_for_someone_elses_child(self):
        response = self.login("outsider").get("/posts/", {"child": self.world.child.public_id})
        self.assertEqual(response.status_code, 404)


class TestFeedReactions(PostsTestCase):
    def setUp(self):
        super().setUp()
        check_set_comments(acting_user=self.user("teacher"), group=self.world.group3, enabled=True)

    def test_it_shows_reactions_on_the_cards_whose_groups_allow_them(self):
        open_post = self.post(title="Groep 3")
        self.post("director", groups=[self.world.wide], title="School")
        self.post("director", groups=[self.world.wide, self.world.group3], title="Samen")
        check_react(acting_user=self.world.co_parent, post=open_post, kind="heart")
        check_react(acting_user=self.world.parent, post=open_post, kind="clap")
        page = self.login("parent").get("/posts/")
        self.assertContains(page, 'data-testid="reactions"', count=1)
        self.assertContains(page, f'id="reactions-{open_post.public_id}"')
        self.assertContains(page, "❤️ 1")
        self.assertContains(page, 'class="reaction mine" aria-pressed="true" data-testid="reaction-clap"')

    def test_a_reaction_from_the_feed_swaps_in_the_cards_buttons(self):
        post = self.post()
        response = self.login("parent").post(
            f"/posts/{post.public_id}/react/", {"kind": "thumbs"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, f'id="reactions-{post.public_id}"')
        self.assertContains(
            response, 'class="reaction mine" aria-pressed="true" data-testid="reaction-thumbs"'
        )
        self.assertEqual(Reaction.objects.get().user, self.world.parent)

    def test_a_refused_reaction_from_the_feed_goes_to_the_post(self):
        post = self.post("director", groups=[self.world.wide])
        response = self.login("parent").post(
            f"/posts/{post.public_id}/react/", {"kind": "thumbs"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.headers["HX-Redirect"], f"/posts/{post.public_id}/")
        self.assertFalse(Reaction.objects.exists())

    def test_reactions_keep_the_number_of_queries_constant(self):
        self.post("director", title="Een", groups=[self.world.wide])
        few = feed_queries(self)
        for number in range(6):
            post = self.post(title=f"Groep 3 {number}")
            self.post("director", groups=[self.world.wide, self.world.group6], title=f"School {number}")
            check_react(acting_user=self.world.co_parent, post=post, kind="heart")
            check_react(acting_user=self.world.parent, post=post, kind="smile")
        self.assertEqual(feed_queries(self), few)


class TestFeedPhotos(MediaTestCase, PostsTestCase):
    def photos(self, count: int) -> list:
        files = [self.upload("teacher", carrier=self.world.group3) for _ in range(count)]
        MediaFile.objects.filter(id__in=[m.id for m in files]).update(carrier_type=None, carrier_id=None)
        return list(MediaFile.objects.filter(id__in=[m.id for m in files]).order_by("id"))

    def test_a_card_shows_the_first_four_photos_and_how_many_more_there_are(self):
        six = self.photos(6)
        post = self.post(title="Schoolreis", media_files=six)
        response = self.login("parent").get("/posts/")
        [card] = response.context["feed"].posts
        self.assertEqual([m.public_id for m in card.files], [m.public_id for m in six[:4]])
        self.assertEqual(card.file_count, 6)
        self.assertContains(response, '<span class="more">+2</span>', html=True)
        detail = self.client.get(f"/posts/{post.public_id}/")
        self.assertEqual(len(detail.context["post"].files), 6)

    def test_photos_keep_the_number_of_queries_constant(self):
        self.post(title="Een", media_files=self.photos(1))
        few = feed_queries(self)
        self.post(title="Twee", media_files=self.photos(6))
        self.post("director", groups=[self.world.wide], title="Drie", media_files=[])
        self.assertEqual(feed_queries(self), few)
