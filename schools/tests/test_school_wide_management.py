"""The school-wide group is managed by the director and office, not by every teacher of the school.

A class teacher reads the director's school-wide posts but may not pin or delete them, read their
receipts (every parent of the school by name) or the consent refusals of every pupil of the school.
"""

from posts.models import Post
from posts.queries import groups_postable_by, posts_managed_by
from posts.tests.helpers import PostsTestCase
from schools.queries import groups_staffed_by


class TestSchoolWideManagement(PostsTestCase):
    def setUp(self):
        super().setUp()
        self.wide_post = self.post("director", groups=[self.world.wide], title="Studiedag")
        self.post_url = f"/posts/{self.wide_post.public_id}/"
        self.api_url = f"/api/v1/posts/{self.wide_post.public_id}"

    def test_it_lets_a_class_teacher_read_the_school_wide_post(self):
        self.assertEqual(self.login("other_teacher").get(self.post_url).status_code, 200)
        self.assertEqual(self.client.get(self.api_url).status_code, 200)

    def test_it_does_not_count_the_school_wide_group_as_managed_by_a_teacher(self):
        teacher = self.user("other_teacher")
        self.assertEqual(list(groups_staffed_by(teacher)), [self.world.group6])
        self.assertEqual(list(groups_postable_by(teacher)), [self.world.group6])
        self.assertIn(self.world.wide, groups_staffed_by(self.user("director")))
        self.assertIn(self.world.wide, groups_staffed_by(self.user("office")))

    def test_it_hides_pinning_from_a_class_teacher(self):
        self.login("other_teacher")
        self.assertEqual(self.client.post(f"{self.post_url}pin/", {"pinned": "1"}).status_code, 404)
        self.assertEqual(
            self.client.post(f"{self.api_url}/pin", {"pinned": True}, "application/json").status_code, 404
        )
        self.assertIsNone(Post.objects.get(id=self.wide_post.id).pinned_at)
        self.login("director")
        self.assertEqual(self.client.post(f"{self.post_url}pin/", {"pinned": "1"}).status_code, 302)
        self.assertIsNotNone(Post.objects.get(id=self.wide_post.id).pinned_at)

    def test_it_hides_deleting_from_a_class_teacher(self):
        self.login("other_teacher")
        self.assertEqual(self.client.post(f"{self.post_url}delete/").status_code, 404)
        self.assertEqual(self.client.delete(self.api_url).status_code, 404)
        self.assertTrue(Post.objects.filter(id=self.wide_post.id).exists())
        self.assertEqual(self.login("office").delete(self.api_url).status_code, 204)
        self.assertFalse(Post.objects.filter(id=self.wide_post.id).exists())

    def test_it_hides_the_receipts_from_a_class_teacher(self):
        self.login("other_teacher")
        self.assertEqual(self.client.get(f"{self.post_url}receipts/").status_code, 404)
        self.assertEqual(self.client.get(f"{self.api_url}/receipts").status_code, 404)
        page = self.login("director").get(f"{self.post_url}receipts/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.world.outsider.first_name)  # a parent of Groep 4 who did not read it
        self.assertEqual(self.client.get(f"{self.api_url}/receipts").status_code, 200)

    def test_it_hides_the_school_wide_consent_refusals_from_a_class_teacher(self):
        wide = self.world.wide.public_id
        self.login("other_teacher")
        self.assertEqual(self.client.get(f"/privacy/groups/{wide}/").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/privacy/groups/{wide}").status_code, 404)
        self.assertEqual(self.client.post(f"/api/v1/privacy/groups/{wide}/release").status_code, 404)
        self.login("director")
        self.assertEqual(self.client.get(f"/privacy/groups/{wide}/").status_code, 200)
        self.assertEqual(self.client.get(f"/api/v1/privacy/groups/{wide}").status_code, 200)
        # Their own class stays theirs.
        own = self.login("other_teacher").get(f"/api/v1/privacy/groups/{self.world.group6.public_id}")
        self.assertEqual(own.status_code, 200)

    def test_it_keeps_a_post_to_a_class_and_the_school_out_of_the_class_teachers_hands(self):
        both = self.post("director", groups=[self.world.wide, self.world.group6], title="Musical")
        self.assertNotIn(both, posts_managed_by(self.user("other_teacher")))
        self.assertEqual(
            self.login("other_teacher").get(f"/posts/{both.public_id}/receipts/").status_code, 404
        )
        self.assertIn(both, posts_managed_by(self.user("director")))
        class_only = self.post("director", groups=[self.world.group6], title="Gym")
        self.assertIn(class_only, posts_managed_by(self.user("other_teacher")))

    def test_it_still_shows_the_staff_list_of_the_school_wide_group_to_teachers(self):
        page = self.login("other_teacher").get(f"/groups/{self.world.wide.public_id}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'data-testid="staff"', count=5)
        self.assertNotContains(page, 'data-testid="consent-link"')
        page = self.login("director").get(f"/groups/{self.world.wide.public_id}/")
        self.assertContains(page, 'data-testid="consent-link"')
