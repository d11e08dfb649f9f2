"""In a real phone-sized browser: after the rollover a parent reads last year's class without a way to add to
it, and the director finds the class in the archive of earlier school years."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.browser_testing import PHONE, log_in
from core.testing import build_world
from core.viewer import verified
from moderation.testing import accept_all_rules
from posts.actions import Draft, check_publish_post
from posts.comment_actions import check_set_comments
from roster.rollover import check_apply_rollover, check_open_next_year
from roster.rollover_plan import first_monday_after
from roster.tests.clock import moving_clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "test-results/screens"))


@pytest.fixture
def after_rollover(db):
    world = build_world()
    june = datetime.date(world.year.ends_on.year, 6, 15)
    first_day = first_monday_after(world.year.ends_on + datetime.timedelta(days=21))
    with moving_clock(june) as clock:
        accept_all_rules()
        check_set_comments(acting_user=verified(world.teacher), group=world.group3, enabled=True)
        trip = check_publish_post(
            acting_user=verified(world.teacher),
            groups=[world.group3],
            draft=Draft(title="Schoolreis naar Artis"),
        )
        rollover = check_open_next_year(acting_user=world.director, school=world.school, first_day=first_day)
        check_apply_rollover(acting_user=world.office, rollover=rollover)
        yield world, trip, clock, first_day


def phone(browser, live_server, width=PHONE["width"]):
    context = browser.new_context(
        viewport={**PHONE, "width": width}, locale="nl-NL", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def shot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}-{page.viewport_size['width']}.png", full_page=True)


def test_a_parent_reads_last_years_post_and_is_told_why_there_is_no_comment_box(
    browser, live_server, after_rollover
):
    world, trip, clock, first_day = after_rollover
    clock.day = first_day + datetime.timedelta(days=10)
    page = phone(browser, live_server)
    log_in(page, world.parent)
    page.goto("/posts/")
    page.get_by_role("link", name="Schoolreis naar Artis").first.click()
    expect(page.get_by_test_id("read-only")).to_contain_text("eerder schooljaar")
    expect(page.locator("form[action$='/comments/']")).to_have_count(0)
    expect(page.locator("form[action$='/react/']")).to_have_count(0)
    shot(page, "read-only-post")


def test_the_director_opens_last_years_class_from_the_archive(browser, live_server, after_rollover):
    world, trip, clock, first_day = after_rollover
    clock.day = first_day + datetime.timedelta(days=100)
    page = phone(browser, live_server)
    log_in(page, world.director)  # once: an authenticator code is accepted only once
    for width in (PHONE["width"], 1280):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        page.goto("/more/")
        page.get_by_test_id("earlier-classes-link").click()
        shot(page, "earlier-classes")
        page.get_by_role("link", name="Groep 3").click()
        expect(page.get_by_test_id("read-only")).to_be_visible()
        shot(page, "earlier-class")
        page.get_by_test_id("group-timeline").click()
        expect(page.get_by_role("link", name="Schoolreis naar Artis").first).to_be_visible()
        shot(page, "earlier-timeline")
