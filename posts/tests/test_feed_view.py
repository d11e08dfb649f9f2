import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.actions import check_tag
from consent.models import Scope
from consent.tests.helpers import ConsentTestCase, loose_upload
from media.models import MediaFile
from media.tests.helpers import MediaTestCase, jpeg_bytes, mp4_bytes, pdf_bytes
from moderation.registry import reportable_for
from posts.comment_actions import check_react, check_set_comments
from posts.models import Post, Reaction
from posts.queries import PAGE_SIZE
from posts.tests.helpers import PostsTestCase


def feed_queries(test: PostsTestCase) -> int:
    """The number of queries of the parent's feed page."""
    return len(feed_sql(test))


def feed_sql(test: PostsTestCase) -> list[str]:
    """The queries of the parent's feed page in a session that has shown a page before (the first one
    writes the session's facts as well)."""
    client = test.client_for("parent")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        test.assertEqual(client.get("/posts/").status_code, 200)
    return [query["sql"] for query in queries]


# Session, user, the viewer's groups (ids, then their names for the filter), the page's post ids, the pinned
# ones, the posts, their files, groups, tasks, the family's answers, reactions, "may post", the nav's
# unread count, the children for the filter.
FEED_QUERIES = 15


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
        self.assertEqual(feed_queries(self), FEED_QUERIES)
        for number in range(6):
            self.event(title=f"Uitje {number}")
            self.help_request(title=f"Hulp {number}", groups=[self.world.group3])
            self.post("director", groups=[self.world.wide, self.world.group6], title=f"School {number}")
        self.assertEqual(feed_queries(self), FEED_QUERIES)

    def test_it_asks_for_the_viewers_groups_once(self):
        self.post(title="Een")
        sql = feed_sql(self)
        self.assertEqual(sum("schools_enrolment" in query for query in sql), 1)
        # The children: in the groups, the family's answers and the filter.
        self.assertEqual(sum("schools_guardianship" in query for query in sql), 3)

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
        self.assertContains(
            response,
            '<span class="more" data-testid="more">+2<span class="visually-hidden"> meer</span></span>',
            html=True,
        )
        self.assertContains(response, 'class="photo-grid" data-count="4"')
        detail = self.client.get(f"/posts/{post.public_id}/")
        self.assertEqual(len(detail.context["post"].files), 6)
        # The post's page shows all six, each a link to its largest rendition (the viewer's no-JS face).
        self.assertContains(detail, 'class="photo-grid all" data-count="4" data-viewer')
        self.assertContains(detail, "data-viewer-item", count=6)
        for media in six:
            # The page carries its session's grant on each URL (media.grants).
            self.assertContains(detail, f'href="/media/{media.public_id}/1/1280.webp?g=')

    def test_srcset_widths_are_each_renditions_real_width(self):
        # A portrait photo of 480 x 640: its "400" rendition is 300 wide, its "1280" one is the source's own
        # 480 (no size is made larger than the source). The names are long edges, not widths.
        photo = self.upload("teacher", data=jpeg_bytes(480, 640), name="staand.jpg")
        MediaFile.objects.filter(id=photo.id).update(carrier_type=None, carrier_id=None)
        post = self.post(title="Staand", media_files=[MediaFile.objects.get(id=photo.id)])
        widths = dict(photo.renditions.values_list("name", "width"))
        self.assertEqual((widths["400.webp"], widths["1280.webp"]), (300, 480))
        card = self.login("parent").get("/posts/")
        detail = self.client.get(f"/posts/{post.public_id}/")
        for page in (card, detail):
            [srcset] = re.findall(r'<img[^>]* srcset="([^"]+)"', page.content.decode())
            described = [
                (url.split("?")[0].rsplit("/", 1)[1], width)
                for url, width in (candidate.split() for candidate in srcset.split(", "))
            ]
            self.assertEqual(described, [("400.webp", "300w"), ("1280.webp", "480w")])

    def test_the_more_tile_opens_the_viewer_at_its_photo(self):
        six = self.photos(6)
        post = self.post(title="Schoolreis", media_files=six)
        card = self.login("parent").get("/posts/").content.decode()
        fourth = six[3].public_id
        [more_tile] = re.findall(
            r'<a class="tile" href="([^"]+)"[^>]*>(?:(?!</a>).)*data-testid="more"', card, re.S
        )
        self.assertEqual(more_tile, f"/posts/{post.public_id}/#media-{fourth}")
        # On the post's page the fragment names that photo's viewer link.
        self.assertContains(self.client.get(f"/posts/{post.public_id}/"), f'id="media-{fourth}"')

    def test_a_card_shows_a_video_with_its_length_and_every_document_as_a_chip(self):
        four = self.photos(4)
        video = self.upload("teacher", data=mp4_bytes(seconds=2), name="gym.mp4")
        pdf = self.upload("teacher", data=pdf_bytes(), name="Rooster groep 3.pdf")
        MediaFile.objects.filter(id__in=[video.id, pdf.id]).update(carrier_type=None, carrier_id=None)
        self.post(
            title="Gym",
            media_files=[*four, MediaFile.objects.get(id=video.id), MediaFile.objects.get(id=pdf.id)],
        )
        response = self.login("parent").get("/posts/")
        [card] = response.context["feed"].posts
        # Four pictures shown, one more (the video), and the document beside them whatever its place.
        self.assertEqual((card.file_count, card.more_files, card.document_count), (5, 1, 1))
        [document] = card.documents
        self.assertEqual((document.original_name, document.display.file_type), ("Rooster groep 3.pdf", "PDF"))
        self.assertContains(response, 'data-testid="document"')
        self.assertContains(response, '<span class="doc-name">Rooster groep 3.pdf</span>', html=True)
        self.assertContains(response, "PDF · ")
        self.assertEqual([f.kind for f in card.files], ["photo"] * 4)
        detail = self.client.get(f"/posts/{card.public_id}/")
        self.assertContains(detail, 'data-testid="video"')
        self.assertContains(detail, "0:02")

    def test_a_video_on_a_card_has_a_play_marker_and_its_length(self):
        video = self.upload("teacher", data=mp4_bytes(seconds=2), name="gym.mp4")
        MediaFile.objects.filter(id=video.id).update(carrier_type=None, carrier_id=None)
        self.post(title="Gym", media_files=[MediaFile.objects.get(id=video.id)])
        response = self.login("parent").get("/posts/")
        self.assertContains(response, 'data-kind="video"')
        self.assertContains(response, '<span class="play" aria-hidden="true"></span>', html=True)
        self.assertContains(response, '<span class="visually-hidden">Duur </span>0:02', html=False)

    def test_photos_keep_the_number_of_queries_constant(self):
        self.post(title="Een", media_files=self.photos(1))
        few = feed_queries(self)
        self.post(title="Twee", media_files=self.photos(6))
        self.post("director", groups=[self.world.wide], title="Drie", media_files=[])
        self.assertEqual(feed_queries(self), few)


class TestFeedHidesAPhotoAtOnce(ConsentTestCase, PostsTestCase):
    """What a request resolves about its viewer lives only for that request: a withdrawn consent or a
    moderator's hiding takes a photo off the very next feed page."""

    def setUp(self):
        super().setUp()
        self.consent_all("child")
        self.photo = loose_upload(self, "teacher", jpeg_bytes())
        check_tag(acting_user=self.world.teacher, media=self.photo, pupil=self.world.child)
        self.post(title="Schoolreis", media_files=[self.photo])
        self.reader = self.client_for("co_parent")
        self.assertContains(self.reader.get("/posts/"), self.photo.public_id)

    def test_a_withdrawn_consent_hides_it_on_the_next_request(self):
        self.answer("parent", "child", False, Scope.CLASS)
        page = self.reader.get("/posts/")
        self.assertContains(page, 'data-testid="post"', count=1)
        self.assertNotContains(page, self.photo.public_id)

    def test_a_moderators_hiding_hides_it_on_the_next_request(self):
        reportable_for(self.photo).hide(self.photo)
        page = self.reader.get("/posts/")
        self.assertContains(page, 'data-testid="post"', count=1)
        self.assertNotContains(page, self.photo.public_id)
