"""The footer's "Tips voor de school": it works for everyone who has a school (parents and staff alike) and
is not offered to someone without one, whom it could only answer with 404."""

from django.urls import reverse

from core.testing import make_user
from moderation.tests.helpers import ModerationTestCase


class TestFooterTips(ModerationTestCase):
    def test_staff_and_parents_follow_the_link_to_the_form(self):
        for persona in ("teacher", "director", "office", "parent"):
            with self.subTest(persona=persona):
                client = self.login(persona)
                page = client.get(reverse("moderation:rules"))
                self.assertContains(page, 'data-testid="footer-tips"')
                form = client.get(reverse("moderation:feedback"))
                self.assertContains(form, "De Schakel")

    def test_someone_without_a_school_is_not_offered_the_link(self):
        self.client.force_login(make_user("nieuw@example.test", "Nina", "Nieuw"))
        page = self.client.get(reverse("moderation:rules"))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'data-testid="footer-tips"')
        self.assertContains(page, "Afspraken")
