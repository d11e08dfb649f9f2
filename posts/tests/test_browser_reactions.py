"""Real Chromium at phone width: a reaction given on a feed card stays on the feed."""

import pytest

from core.browser_testing import log_in
from core.testing import build_world
from core.viewer import verified
from posts.actions import Draft, check_publish_post
from posts.comment_actions import check_set_comments
from posts.models import Reaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_reacts_on_a_feed_card_without_leaving_the_feed(page, live_server):
    world = build_world()
    check_set_comments(acting_user=verified(world.teacher), group=world.group3, enabled=True)
    check_publish_post(acting_user=verified(world.teacher), groups=[world.group3], draft=Draft(title="Gym"))
    log_in(page, world.parent)
    page.goto("/posts/")
    card = page.get_by_test_id("post").first
    card.get_by_test_id("reaction-heart").click()
    page.locator('[data-testid="reaction-heart"][aria-pressed="true"]').wait_for()
    assert card.get_by_test_id("reaction-heart").inner_text() == "❤️ 1"
    assert page.url.endswith("/posts/")
    assert Reaction.objects.get().user == world.parent
