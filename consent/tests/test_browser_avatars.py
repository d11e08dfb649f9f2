"""A parent adds a photo of their child on the privacy page; the teacher's picker shows it beside the name.
Real Chromium, with axe on both pages."""

import os

import pytest
from playwright.sync_api import expect

from consent.avatars import do_set_child_avatars
from consent.tests.helpers import astronaut_jpeg
from consent.tests.test_browser_picker import upload_one_photo
from core.browser_testing import assert_accessible, log_in
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(page, name: str) -> None:
    """Screenshots at phone and desktop width, where SCREENSHOT_DIR asks for them (to look at by eye)."""
    directory = os.environ.get("SCREENSHOT_DIR")
    if not directory:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(directory, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})


def test_the_parents_photo_appears_in_the_teachers_picker(page, live_server):
    world = build_world()
    do_set_child_avatars(acting_user=world.director, school=world.school, enabled=True)

    log_in(page, world.parent)
    page.goto("/privacy/")
    daan = page.get_by_role("region", name="Daan Mulder")
    daan.get_by_label("Kies een foto").set_input_files(
        [{"name": "daan.jpg", "mimeType": "image/jpeg", "buffer": astronaut_jpeg(600)}]
    )
    daan.get_by_role("button", name="Foto opslaan").click()
    expect(page.get_by_text("De foto van Daan is opgeslagen.")).to_be_visible()
    image = page.get_by_role("img", name="Foto van Daan")
    expect(image).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    assert_accessible(page)
    look(page, "child-page")

    page.context.clear_cookies()
    log_in(page, world.teacher)
    upload_one_photo(page)
    expect(page.get_by_test_id("face-choice")).to_be_hidden()
    face = page.locator(".picker").first
    daan_button = face.get_by_role("button", name="Daan M.", exact=True)
    avatar = daan_button.locator("img.picker-avatar")
    expect(avatar).to_have_attribute("alt", "")
    expect(avatar).to_have_js_property("complete", True)
    assert page.evaluate("(img) => img.naturalWidth", avatar.element_handle()) > 0
    # Yasmin's parents added no photo: her name stands alone.
    assert face.get_by_role("button", name="Yasmin E.").locator("img").count() == 0
    assert_accessible(page)
    look(page, "picker")
