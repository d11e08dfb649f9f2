from posts.actions import do_mark_read
from posts.queries import can_see_receipts, get_receipts, read_count
from posts.tests.helpers import PostsTestCase


class TestReadReceipts(PostsTestCase):
    def test_it_counts_per_parent(self):
        post = self.post()
        self.assertEqual(read_count(post), (0, 3))
        do_mark_read(acting_user=self.world.parent, post=post)
        do_mark_read(acting_user=self.world.parent, post=post)
        do_mark_read(acting_user=self.user("teacher"), post=post)
        self.assertEqual(read_count(post), (1, 3))
        receipts = get_receipts(post)
        self.assertEqual(
            {p.email for p in receipts.not_read}, {"ouder2@example.test", "klassenouder@example.test"}
        )

    def test_it_counts_everyone_of_a_school_wide_post(self):
        post = self.post("director", groups=[self.world.wide])
        do_mark_read(acting_user=self.world.outsider, post=post)
        self.assertEqual(read_count(post), (1, 4))

    def test_it_counts_a_parent_in_two_groups_once(self):
        post = self.post("director", groups=[self.world.group3, self.world.group6])
        self.assertEqual(read_count(post)[1], 3)

    def test_it_does_not_count_a_pending_post_as_read(self):
        post = self.post("class_parent")
        do_mark_read(acting_user=self.world.parent, post=post)
        self.assertEqual(read_count(post)[0], 0)

    def test_it_shows_receipts_to_author_and_staff_only(self):
        post = self.post()
        self.assertTrue(can_see_receipts(self.user("teacher"), post))
        self.assertTrue(can_see_receipts(self.user("duo_teacher"), post))
        self.assertFalse(can_see_receipts(self.user("other_teacher"), post))
        self.assertFalse(can_see_receipts(self.world.parent, post))
        self.assertFalse(can_see_receipts(self.world.class_parent, post))

    def test_it_counts_with_few_queries(self):
        post = self.post("director", groups=[self.world.wide])
        with self.assertNumQueries(1):
            do_mark_read(acting_user=self.world.parent, post=post)
        with self.assertNumQueries(1):
            read_count(post)
