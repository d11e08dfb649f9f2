"""Real Chromium at phone width: posting with photos, reading receipts, RSVP and signing up as a helper."""

import re

import pytest

from core.browser_testing import log_in, open_phone
from core.testing import build_world
from media.tests.helpers import jpeg_bytes
from posts.actions import Draft, check_publish_post
from posts.models import Post
from posts.tests.helpers import in_days, verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_posts_photos_and_shows_who_has_read_it(page, browser, live_server):
    world = build_world()
    log_in(page, world.teacher)
    page.goto("/posts/")
    page.get_by_role("link", name="Nieuw bericht").click()
    page.get_by_label("Groep 3").check()
    page.get_by_label("Titel").fill("Herfstwandeling")
    page.get_by_label("Tekst").fill("Wat een <b>mooie</b> dag in het bos!")
    page.get_by_label("Foto's, video's of documenten").set_input_files(
        [
            {"name": "bos-1.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200)},
            {"name": "bos-2.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 1600)},
        ]
    )
    publish = page.get_by_role("button", name="Plaatsen", exact=True)
    publish.click()
    # Photos stop at the check step (children in them are tagged there); nobody is in these two.
    page.locator('[data-testid="compose-photo"][data-state="ready"]').nth(1).wait_for(timeout=60_000)
    assert not Post.objects.exists()
    publish.click()
    page.wait_for_url(re.compile(r"/posts/[\w-]{16}/$"))
    post = Post.objects.get()
    assert post.published_at is not None
    assert page.get_by_test_id("receipts").inner_text() == "Gelezen door 0 van 3 ouders"

    parent = open_phone(browser, live_server.url)
    log_in(parent, world.parent)
    parent.goto("/posts/")
    card = parent.get_by_test_id("post").first
    assert "Herfstwandeling" in card.inner_text()
    assert card.get_by_test_id("unread").is_visible()
    card.get_by_role("link", name="Herfstwandeling", exact=True).click()
    grid = parent.get_by_test_id("photos")
    grid.locator("img").first.wait_for()
    parent.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=photos] img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert grid.locator("img").count() == 2
    # Two photos side by side; a tap opens the full-screen viewer.
    assert grid.get_attribute("data-count") == "2"
    grid.locator("a").first.click()
    assert parent.get_by_test_id("viewer").locator("[data-viewer-count]").inner_text() == "1 / 2"
    parent.keyboard.press("Escape")
    assert parent.get_by_test_id("receipts").count() == 0
    parent.goto("/posts/")
    assert parent.get_by_test_id("unread").count() == 0
    parent.context.close()

    page.reload()
    assert page.get_by_test_id("receipts").inner_text() == "Gelezen door 1 van 3 ouders"
    page.get_by_test_id("receipts").get_by_role("link").click()
    assert sorted(page.get_by_test_id("not-read").all_inner_texts()) == ["Fatima El Amrani", "Joost Mulder"]


def test_it_answers_an_invitation_and_signs_up_as_a_helper(page, live_server):
    world = build_world()
    teacher = verified(world.teacher)
    event = check_publish_post(
        acting_user=teacher,
        groups=[world.group3],
        draft=Draft(
            kind="event", title="Kijkavond", starts_at=in_days(7), respond_by=in_days(5), location="Lokaal 3"
        ),
    )
    help_request = check_publish_post(
        acting_user=teacher,
        groups=[world.group3],
        draft=Draft(kind="help", title="Rijders gezocht", tasks=[("Rijden naar Naturalis", 2)]),
    )
    log_in(page, world.parent)

    page.goto(f"/posts/{event.public_id}/")
    page.get_by_label("Ja").check()
    page.get_by_label("Aantal personen").fill("3")
    page.get_by_role("button", name="Antwoord versturen").click()
    assert page.get_by_test_id("my-rsvp").inner_text() == "U hebt geantwoord: Ja (3 personen)."

    page.goto(f"/posts/{help_request.public_id}/")
    task = page.get_by_test_id("task")
    assert "0 van 2 plaatsen bezet" in task.inner_text()
    task.get_by_role("button", name="Ik help").click()
    assert "Dank u wel, u bent aangemeld." in page.locator(".messages").inner_text()
    assert "1 van 2 plaatsen bezet" in page.get_by_test_id("task").inner_text()
    page.get_by_test_id("task").get_by_role("button", name="Afmelden").click()
    assert "0 van 2 plaatsen bezet" in page.get_by_test_id("task").inner_text()
    assert help_request.tasks.get().taken == 0
