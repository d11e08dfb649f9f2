"""A message's files look like a post's, in real Chromium on a 390 px phone with axe-core: photos as the
photo grid opening the full-screen viewer, documents as chips."""

import pytest

from conversations import actions
from conversations.tests.helpers import class_conversation
from core.browser_testing import CspRecorder, assert_accessible, log_in
from core.testing import build_world
from media.actions import check_upload
from media.tests.helpers import jpeg_bytes, pdf_bytes, upload_of
from posts.tests.helpers import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_messages_photos_open_in_the_viewer_and_its_document_is_a_chip(browser, live_server):
    world = build_world()
    conversation = class_conversation(world)
    parent = verified(world.parent)
    uploads = [
        upload_of("briefje.jpg", jpeg_bytes(1200, 900), "image/jpeg"),
        upload_of("tekening.jpg", jpeg_bytes(900, 1200), "image/jpeg"),
        upload_of("verklaring van de huisarts.pdf", pdf_bytes(), "application/pdf"),
    ]
    files = [check_upload(acting_user=parent, school=world.school, upload=upload) for upload in uploads]
    actions.check_send_message(
        acting_user=parent, conversation=conversation, body="Zie bijlage", media_files=files
    )

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=live_server.url
    )
    csp = CspRecorder(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, world.parent)
    page.goto(f"/messages/{conversation.public_id}/")
    message = page.get_by_test_id("message").filter(has_text="Zie bijlage")
    chip = message.get_by_test_id("document")
    assert "verklaring van de huisarts.pdf" in chip.inner_text() and "PDF" in chip.inner_text()
    tiles = message.get_by_test_id("tile")
    assert tiles.count() == 2
    page.wait_for_function("() => [...document.querySelectorAll('.tile img')].every(i => i.complete)")
    assert_accessible(page)

    tiles.nth(1).click()
    viewer = page.get_by_test_id("viewer")
    viewer.wait_for(state="visible")
    assert viewer.locator("[data-viewer-count]").inner_text() == "2 / 2"
    assert_accessible(page)
    page.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "tile"
    context.close()
    assert csp.violations == [] and csp.refusals == [], (csp.violations, csp.refusals)
