"""Real Chromium at phone width: a parent writes to a duo class, both teachers read it, one replies,
and the parent sees the reply appear without reloading.

The test database of the live server is one SQLite connection shared by its threads, so two pages may
not talk to it at once. Each page's timers therefore run on Playwright's clock: a page polls only when
the test lets its time pass, and the steps of the story never overlap.
"""

import re

import pytest

from core.browser_testing import log_in, open_phone
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_phone(browser, live_server, user):
    """A phone signed in through the real pages, whose timers then run only when the test says so."""
    page = open_phone(browser, live_server.url)
    log_in(page, user)
    page.wait_for_load_state("networkidle")
    page.clock.install()
    page.reload()
    return page


def settle(page):
    """Let the page's own requests (the unread count) finish before another page acts."""
    page.clock.run_for(100)
    page.wait_for_load_state("networkidle")


def test_it_walks_a_parent_and_a_duo_class_through_a_conversation(browser, live_server):
    world = build_world()

    page = signed_in_phone(browser, live_server, world.parent)
    page.get_by_role("link", name=re.compile("Berichten")).click()
    page.get_by_role("link", name="Nieuw bericht").click()
    page.get_by_test_id("child").filter(has_text="Daan").get_by_role("link").click()
    notice = page.get_by_test_id("who-reads").inner_text()
    assert "Anna Jansen werkt maandag t/m vrijdag" in notice
    assert "Dringend? Bel de school: 071 123 45 67" in notice
    page.get_by_label("Onderwerp").fill("Tandarts")
    page.get_by_label("Bericht").fill("Daan gaat morgen om 10 uur naar de tandarts.")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_url(re.compile(r"/messages/[\w-]{16}/$"))
    thread_url = page.url
    assert page.get_by_test_id("message").count() == 1
    page.evaluate("window.notReloaded = true")
    settle(page)

    teachers = {}
    for teacher in (world.teacher, world.duo_teacher):
        teachers[teacher] = teacher_page = signed_in_phone(browser, live_server, teacher)
        settle(teacher_page)
        assert teacher_page.get_by_test_id("unread-count").inner_text().startswith("1")
        teacher_page.get_by_role("link", name=re.compile("Berichten")).click()
        teacher_page.get_by_test_id("conversation").filter(has_text="Tandarts").get_by_role("link").click()
        assert "naar de tandarts" in teacher_page.get_by_test_id("message").first.inner_text()
        settle(teacher_page)

    bram = teachers[world.duo_teacher]
    bram.get_by_label("Bericht").fill("Dank u wel, ik geef het door aan juf Anna.")
    bram.get_by_role("button", name="Versturen").click()
    bram.wait_for_url(thread_url)
    settle(bram)

    # The parent's page is never reloaded (the marker survives): a poll (every 5 seconds) brings the
    # reply in. Playwright's installed clock still flows, so on a slow machine the poll may come first.
    page.clock.run_for(5_000)
    page.get_by_test_id("message").nth(1).wait_for()
    assert "ik geef het door" in page.get_by_test_id("message").nth(1).inner_text()
    assert page.url == thread_url
    assert page.evaluate("window.notReloaded") is True
    for each in (page, *teachers.values()):
        each.context.close()
