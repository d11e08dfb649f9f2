"""Posts that look like posts, in real Chromium on a 390 × 844 phone with axe-core on every page: links made
clickable and safe, the photo grid and its full-screen viewer (swipe, pinch, keys, focus), videos and
documents on cards, an event's date badge and calendar file, a help request's free places."""

import re

import pytest

from core.browser_testing import CspRecorder, assert_accessible, log_in
from core.testing import build_world
from media.actions import check_upload
from media.tests.helpers import jpeg_bytes, upload_of
from posts.actions import Draft, check_publish_post
from posts.comment_actions import check_comment, check_set_comments
from posts.tests.helpers import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


def photos(world, count: int) -> list:
    teacher = verified(world.teacher)
    return [
        check_upload(
            acting_user=teacher,
            school=world.school,
            upload=upload_of(f"bos-{n}.jpg", jpeg_bytes(1600 if n % 2 else 900, 1200)),
        )
        for n in range(count)
    ]


def publish(world, **fields):
    return check_publish_post(
        acting_user=verified(world.teacher),
        groups=[world.group3],
        draft=Draft(**{k: v for k, v in fields.items() if k != "media"}),
        media_files=fields.get("media", []),
    )


@pytest.fixture
def world(live_server):
    return build_world()


@pytest.fixture
def phone(browser, live_server, world):
    context = browser.new_context(
        viewport=PHONE_390, locale="nl-NL", base_url=live_server.url, has_touch=True
    )
    csp = CspRecorder(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, world.parent)
    yield page
    context.close()
    assert csp.violations == [] and csp.refusals == [], (csp.violations, csp.refusals)


def test_links_in_a_post_and_a_comment_are_clickable_and_safe(phone, world):
    check_set_comments(acting_user=verified(world.teacher), group=world.group3, enabled=True)
    post = publish(
        world, title="Schoolreis", body="Alles staat op https://school.example/reis of bel 071 123 45 67."
    )
    check_comment(
        acting_user=world.parent,
        post=post,
        body="Zie ook javascript:alert(1) en <b>mail</b> juf@school.example",
    )
    phone.goto(f"/posts/{post.public_id}/")
    body = phone.get_by_test_id("post-detail")
    web = body.get_by_role("link", name="https://school.example/reis")
    assert web.get_attribute("href") == "https://school.example/reis"
    assert web.get_attribute("target") == "_blank"
    assert web.get_attribute("rel") == "noopener nofollow"
    assert body.get_by_role("link", name="071 123 45 67").get_attribute("href") == "tel:0711234567"
    comment = phone.get_by_test_id("comment")
    assert (
        comment.get_by_role("link", name="juf@school.example").get_attribute("href")
        == "mailto:juf@school.example"
    )
    assert "javascript:alert(1)" in comment.inner_text() and "<b>mail</b>" in comment.inner_text()
    assert phone.locator("a[href^='javascript:' i], a[href^='data:' i]").count() == 0
    assert_accessible(phone)


def test_photos_open_in_a_viewer_that_swipes_zooms_and_gives_the_focus_back(phone, world):
    post = publish(world, title="Herfstwandeling", media=photos(world, 5))
    phone.goto("/")
    card = phone.get_by_test_id("post").filter(has_text="Herfstwandeling")
    grid = card.get_by_test_id("photos")
    assert grid.get_attribute("data-count") == "4"
    assert card.get_by_test_id("more").inner_text().startswith("+1")
    assert_accessible(phone)
    card.get_by_test_id("tile").first.click()
    phone.wait_for_url(re.compile(rf"/posts/{post.public_id}/$"))
    tiles = phone.get_by_test_id("tile")
    assert tiles.count() == 5
    # Only renditions are linked: each tile points at its largest display size, never an upload.
    hrefs = [tiles.nth(n).get_attribute("href") for n in range(5)]
    assert all(re.fullmatch(r"/media/[\w-]{16}/1/\d+\.webp\?g=\d+\.[\w-]+", href) for href in hrefs), hrefs
    assert_accessible(phone)

    third = tiles.nth(2)
    third.focus()
    phone.keyboard.press("Enter")
    viewer = phone.get_by_test_id("viewer")
    viewer.wait_for(state="visible")
    count = viewer.locator("[data-viewer-count]")
    assert count.inner_text() == "3 / 5"
    image = viewer.locator("[data-viewer-img]")
    assert image.get_attribute("src") == hrefs[2]
    assert image.get_attribute("alt") == "Foto 3 van 5"
    phone.wait_for_function("() => document.querySelector('[data-viewer-img]').naturalWidth > 0")
    assert_accessible(phone)

    # Keyboard: arrows go next and previous, Tab stays inside, Esc closes and the tile has the focus again.
    phone.keyboard.press("ArrowRight")
    assert count.inner_text() == "4 / 5"
    phone.keyboard.press("ArrowLeft")
    phone.keyboard.press("ArrowLeft")
    assert count.inner_text() == "2 / 5"
    for _ in range(6):
        phone.keyboard.press("Tab")
        assert phone.evaluate("() => !!document.activeElement.closest('dialog[open]')")
    phone.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert phone.evaluate("() => document.activeElement.getAttribute('href')") == hrefs[2]

    # Touch: a swipe to the left shows the next photo, a pinch zooms in, a swipe while zoomed does not page.
    tiles.nth(0).click()
    viewer.wait_for(state="visible")
    assert count.inner_text() == "1 / 5"
    swipe(phone, start=(300, 420), end=(80, 430))
    assert count.inner_text() == "2 / 5"
    pinch(phone, center=(195, 420), start=40, end=140)
    assert scale_of(phone) > 2
    swipe(phone, start=(300, 420), end=(80, 430))
    assert count.inner_text() == "2 / 5"
    viewer.get_by_role("button", name="Volgende foto").click()
    assert count.inner_text() == "3 / 5" and scale_of(phone) == 1
    viewer.get_by_role("button", name="Sluiten").click()
    viewer.wait_for(state="hidden")


def test_without_javascript_a_photo_is_a_plain_link_to_its_rendition(browser, live_server, world):
    post = publish(world, title="Herfstwandeling", media=photos(world, 3))
    context = browser.new_context(
        viewport=PHONE_390, locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, world.parent)
    page.goto(f"/posts/{post.public_id}/")
    tile = page.get_by_test_id("tile").nth(1)
    href = tile.get_attribute("href")
    with page.expect_response(lambda response: response.url.endswith(href)) as answer:
        tile.click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "image/webp"
    context.close()


def swipe(page, *, start, end) -> None:
    """One finger across the viewer, as touch pointer events."""
    touch(page, [[start, end]])


def pinch(page, *, center, start: int, end: int) -> None:
    """Two fingers moving apart from `start` to `end` px around the center."""
    x, y = center
    touch(page, [[(x - start, y), (x - end, y)], [(x + start, y), (x + end, y)]])


def touch(page, paths) -> None:
    page.evaluate(
        """(paths) => {
          const stage = document.querySelector('[data-viewer-stage]');
          const fire = (type, id, [x, y]) => stage.dispatchEvent(new PointerEvent(type, {
            pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: y, bubbles: true,
          }));
          paths.forEach(([from], i) => fire('pointerdown', i + 1, from));
          for (let step = 1; step <= 5; step++) {
            paths.forEach(([from, to], i) => fire('pointermove', i + 1,
              [from[0] + (to[0] - from[0]) * step / 5, from[1] + (to[1] - from[1]) * step / 5]));
          }
          paths.forEach(([, to], i) => fire('pointerup', i + 1, to));
        }""",
        paths,
    )


def scale_of(page) -> float:
    """The zoom the viewer set on the photo (its own transform, not one caught halfway a transition)."""
    transform = page.locator("[data-viewer-img]").evaluate("img => img.style.transform")
    return float(re.search(r"scale\(([\d.]+)\)", transform)[1])


def test_an_event_shows_its_date_badge_and_a_help_request_its_free_places(phone, world):
    from posts.tests.helpers import in_days

    publish(world, title="Kerstviering", kind="event", starts_at=in_days(10), location="Aula")
    publish(world, title="Hulp gezocht", kind="help", tasks=[("Rijden naar het museum", 4)])
    phone.goto("/")
    event = phone.get_by_test_id("post").filter(has_text="Kerstviering")
    assert re.fullmatch(r"\d{1,2} [a-z]{3}", event.get_by_test_id("date-badge").inner_text())
    help_card = phone.get_by_test_id("post").filter(has_text="Hulp gezocht")
    assert help_card.get_by_test_id("free").inner_text() == "nog 4 plekken vrij"
    assert_accessible(phone)


def test_the_compose_form_shows_the_fields_of_the_chosen_kind(browser, live_server, world):
    context = browser.new_context(viewport=PHONE_390, locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    log_in(page, world.teacher)
    page.goto("/posts/new/")
    assert_accessible(page)
    starts, tasks = page.get_by_label("Begint om"), page.get_by_label("Taken")
    files = page.locator("#id_files")
    assert files.is_visible() and not starts.is_visible() and not tasks.is_visible()
    page.get_by_label("Uitnodiging").check()
    assert starts.is_visible() and not tasks.is_visible() and not files.is_visible()
    note = page.get_by_text("Foto's worden geplaatst zodra ze verwerkt zijn.")  # only beside the files
    assert not note.is_visible()
    page.get_by_label("Hulpvraag").check()
    assert tasks.is_visible() and not starts.is_visible() and not note.is_visible()
    page.get_by_label("Foto's", exact=True).check()
    assert files.is_visible() and not tasks.is_visible() and note.is_visible()
    assert_accessible(page)
    context.close()


def test_the_more_tile_opens_the_viewer_at_its_photo(phone, world):
    post = publish(world, title="Herfstwandeling", media=photos(world, 6))
    phone.goto("/")
    card = phone.get_by_test_id("post").filter(has_text="Herfstwandeling")
    card.get_by_test_id("more").click()
    phone.wait_for_url(re.compile(rf"/posts/{post.public_id}/#media-[\w-]+$"))
    viewer = phone.get_by_test_id("viewer")
    viewer.wait_for(state="visible")
    assert viewer.locator("[data-viewer-count]").inner_text() == "4 / 6"
    fourth = phone.get_by_test_id("tile").nth(3)
    assert viewer.locator("[data-viewer-img]").get_attribute("src") == fourth.get_attribute("href")
    assert_accessible(phone)
    # Closing shows the post and drops the fragment, so that a reload does not open the viewer again.
    phone.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert phone.evaluate("() => location.hash") == ""
    assert phone.evaluate("() => document.activeElement.id") == fourth.get_attribute("id")
