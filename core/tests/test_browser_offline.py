"""The installed app without a network: the offline page, and nothing but the shell in the cache."""

import pytest

from core.browser_testing import assert_accessible, log_in
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_offline_page_and_caches_no_private_page(page, live_server):
    world = build_world()
    log_in(page, world.parent)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()  # now under the service worker's control
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.goto("/notifications/")

    page.context.set_offline(True)
    page.goto("/posts/")
    assert page.get_by_test_id("offline").is_visible()
    assert "U bent offline" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.context.set_offline(False)

    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const key of await caches.keys()) {
            const cache = await caches.open(key);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
          }
          return urls;
        }"""
    )
    assert "/offline/" in cached
    assert all(url == "/offline/" or url.startswith("/static/") for url in cached), cached
