"""Processor guarantee: pages load nothing from anywhere but the platform itself (no CDN, no web fonts, no
analytics). A real Chromium records the host of every request while a parent and staff walk the main pages."""

from urllib.parse import urlsplit

import pytest

from core.browser_testing import log_in
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def parent_pages(w) -> list[str]:
    return [
        "/",
        f"/groups/{w.group3.public_id}/",
        "/posts/",
        "/calendar/",
        "/messages/",
        "/messages/new/",
        "/absences/",
        "/absences/sick/",
        "/notifications/",
        "/notifications/preferences/",
        "/privacy/",
        f"/privacy/statement/{w.school.public_id}/",
        "/accounts/settings/",
        "/moderation/rules/",
        "/my-data/",
    ]


def staff_pages(w) -> list[str]:
    return [
        "/",
        f"/groups/{w.group3.public_id}/",
        "/posts/new/",
        "/messages/",
        "/absences/overview/",
        "/privacy/",
        f"/privacy/school/{w.school.public_id}/",
        f"/privacy/groups/{w.group3.public_id}/",
        f"/privacy/statement/{w.school.public_id}/",
        f"/school/{w.school.public_id}/",
        "/moderation/queue/",
        f"/school/{w.school.public_id}/data/",
        f"/school/{w.school.public_id}/data/exports/",
        f"/school/{w.school.public_id}/data/erase/",
    ]


def test_every_request_of_the_main_pages_goes_to_the_platform(browser, live_server):
    world = build_world()
    own = urlsplit(live_server.url).netloc
    visited, foreign = [], []
    for user, pages in (
        (None, ["/accounts/login/"]),
        (world.parent, parent_pages(world)),
        (world.director, staff_pages(world)),
    ):
        context = browser.new_context(
            viewport={"width": 390, "height": 800}, locale="nl-NL", base_url=live_server.url
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "request",
            lambda request: (visited if urlsplit(request.url).netloc == own else foreign).append(request.url),
        )
        if user is not None:
            log_in(page, user)
        for path in pages:
            response = page.goto(path)
            assert response is not None and response.status < 400, (path, response and response.status)
            page.wait_for_load_state("networkidle")
        context.close()
    # data: and blob: URLs never leave the browser; anything else with another host is a third party.
    foreign = [url for url in foreign if urlsplit(url).scheme not in ("data", "blob")]
    assert foreign == []
    assert any(url.endswith(".css") for url in visited) and any(url.endswith(".js") for url in visited)
