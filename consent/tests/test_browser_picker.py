"""The child picker in real Chromium at phone width: the class's names under a search field, chosen with the
keyboard alone; and, with JavaScript off, the plain list that posts the same choice."""

import pytest
from playwright.sync_api import expect

from consent.models import PhotoTag
from consent.tests.test_browser import send_one_photo
from core.browser_testing import assert_accessible, log_in
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload_one_photo(page):
    send_one_photo(page)
    page.locator('[data-testid="compose-photo"][data-state="ready"]').wait_for(timeout=60_000)


def test_the_names_are_searched_and_chosen_with_the_keyboard(page, live_server):
    world = build_world()
    log_in(page, world.teacher)
    upload_one_photo(page)
    # htmx swaps the ready photo in and fires htmx:load a moment later, when the picker is made: wait for it.
    expect(page.get_by_test_id("face-choice")).to_be_hidden()  # the picker stands in for the select
    face = page.locator(".picker").first
    assert face.get_by_role("button").all_inner_texts() == [
        "Daan M.",
        "Yasmin E.",
        "Maak dit gezicht onherkenbaar",
    ]

    search = page.get_by_role("searchbox", name="Gezicht 1: Zoek een naam")
    search.focus()
    page.keyboard.type("yas")
    assert face.get_by_role("button", name="Daan M.").is_hidden()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    yasmin = face.get_by_role("button", name="Yasmin E.")
    assert yasmin.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.press("Enter")  # the only name left: chosen again, which undoes the choice
    assert yasmin.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Enter")
    assert yasmin.get_attribute("aria-pressed") == "true"
    assert_accessible(page)

    page.get_by_role("button", name="Keuzes opslaan").click()
    page.locator('[data-testid="tag"]').first.wait_for()
    tag = PhotoTag.objects.select_related("pupil").get()
    assert tag.pupil == world.class_parent_child and tag.face is not None


def test_without_javascript_the_plain_list_posts_the_same_choice(browser, live_server):
    world = build_world()
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="nl-NL",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, world.teacher)
    upload_one_photo(page)
    assert page.locator(".picker").count() == 0
    page.get_by_test_id("face-choice").select_option(label="Daan M.")
    page.get_by_role("button", name="Keuzes opslaan").click()
    page.locator('[data-testid="tag"]').first.wait_for()
    assert PhotoTag.objects.get().pupil == world.child
    context.close()
