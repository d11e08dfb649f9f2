"""Real Chromium: a parent switches a school post to Arabic (right to left) and back; the notifications list
and every page that shows a translation, in Arabic and English at 390 and 1280 px."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from core.browser_testing import log_in
from core.testing import build_world
from core.viewer import verified
from posts.actions import Draft, check_publish_post
from translation.models import ReadingPreference, SchoolTranslation
from translation.testing import LibreTranslatePeer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "<p>Beste ouders, morgen is er <strong>geen school</strong>.</p>"
    "<ul><li>Groep 8 neemt een roos mee.</li></ul>"
)


@pytest.fixture
def peer():
    with LibreTranslatePeer() as running, override_settings(TRANSLATION_LIBRETRANSLATE_URL=running.url):
        yield running


def test_a_parent_switches_a_post_to_arabic_and_back(page, live_server, peer, tmp_path):
    world = build_world()
    SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
    ReadingPreference.objects.create(user=world.parent, language="ar")
    post = check_publish_post(
        acting_user=verified(world.director), groups=[world.wide], draft=Draft(title="Studiedag", body=BODY)
    )
    log_in(page, world.parent)
    page.goto(f"/posts/{post.public_id}/")
    body = page.locator(".post-body")
    assert "geen school" in body.inner_text()

    page.get_by_test_id("translate").click()
    translated = page.get_by_test_id("translated")
    translated.wait_for()
    assert translated.get_attribute("dir") == "rtl"
    assert translated.get_attribute("lang") == "ar"
    assert translated.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert translated.evaluate("node => getComputedStyle(node).textAlign") in ("right", "start")
    # Right to left: the list's bullet side is the right, so its items start right of where they would.
    item = translated.locator("li").first
    assert item.evaluate("node => getComputedStyle(node).direction") == "rtl"
    box, holder = item.bounding_box(), translated.bounding_box()
    assert holder["x"] + holder["width"] - (box["x"] + box["width"]) > 10  # indented from the right edge
    assert "لا مدرسة" in translated.inner_text()
    assert translated.locator("strong").last.inner_text() == "لا مدرسة"  # the markup survived
    # The machine label reads in the interface's own direction.
    label = page.get_by_test_id("machine-label")
    assert label.evaluate("node => getComputedStyle(node).direction") == "ltr"
    assert "Machinevertaling" in label.inner_text()
    page.screenshot(path=tmp_path / "translation-arabic-phone.png", full_page=True)

    page.get_by_test_id("show-original").click()
    page.get_by_test_id("translate").wait_for()
    assert "geen school" in page.locator(".post-body").inner_text()
    assert page.get_by_test_id("translated").count() == 0
    assert peer.calls == 1

    # Always translate: the next visit shows the Arabic text in the page itself, from the cache.
    page.get_by_test_id("translate").click()
    page.get_by_test_id("always").click()
    page.get_by_test_id("translated").wait_for()
    assert page.url.endswith(f"/posts/{post.public_id}/")  # back on the post page, not on the fragment
    assert ReadingPreference.objects.get(user=world.parent).always
    page.goto(f"/posts/{post.public_id}/")
    assert page.get_by_test_id("translated").get_attribute("dir") == "rtl"
    assert peer.calls == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=tmp_path / "translation-arabic-wide.png", full_page=True)


def test_the_director_switches_the_engine_on_and_keeps_the_glossary(page, live_server, peer, tmp_path):
    world = build_world()
    log_in(page, world.director)
    page.goto(f"/school/{world.school.public_id}/")
    page.get_by_test_id("translation-settings").click()
    page.get_by_label("Vertaaldienst").select_option("libretranslate")
    page.locator("section.card form button[type=submit]").click()
    page.get_by_text("De vertaaldienst is opgeslagen.").wait_for()
    assert SchoolTranslation.objects.get(school=world.school).engine == "libretranslate"
    page.get_by_label("Ons woord").fill("luizencontrole")
    page.locator("#id_language").select_option("ar")
    page.get_by_label("Vaste vertaling").fill("فحص القمل")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_test_id("glossary-term").wait_for()
    page.screenshot(path=tmp_path / "translation-school-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=tmp_path / "translation-school-wide.png", full_page=True)


def test_a_parent_chooses_a_reading_language_from_the_control(page, live_server, peer, tmp_path):
    world = build_world()
    SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
    post = check_publish_post(
        acting_user=verified(world.teacher), groups=[world.group3], draft=Draft(title="Studiedag", body=BODY)
    )
    log_in(page, world.parent)
    page.goto(f"/posts/{post.public_id}/")
    page.get_by_test_id("translate-choose").click()
    page.get_by_label("Ik lees het best in").select_option("uk")
    page.screenshot(path=tmp_path / "translation-preferences-phone.png", full_page=True)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_test_id("translate").click()
    translated = page.get_by_test_id("translated")
    translated.wait_for()
    assert translated.get_attribute("dir") == "ltr"
    assert "Шановні батьки" in translated.inner_text()


def test_the_teacher_reads_a_parents_arabic_message_in_dutch_beside_the_original(
    page, live_server, peer, tmp_path
):
    from conversations.tests.helpers import class_conversation
    from core import events
    from translation.subscribers import on_event

    events.subscribe(on_event)  # as the app does at start-up (other tests may have replaced the list)
    world = build_world()
    SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
    ReadingPreference.objects.create(user=world.parent, language="ar", always=True)
    conversation = class_conversation(world, body="شكرا جزيلا\nابني مريض")
    log_in(page, world.teacher)
    page.goto(f"/messages/{conversation.public_id}/")
    translated = page.get_by_test_id("translated")
    translated.wait_for()
    assert "dank je wel" in translated.inner_text()
    assert "mijn zoon is ziek" in translated.inner_text()
    assert translated.get_attribute("dir") == "ltr"
    original = page.get_by_test_id("original-beside")
    assert "ابني مريض" in original.inner_text()
    assert original.locator(".body").evaluate("node => getComputedStyle(node).direction") == "rtl"  # dir=auto
    page.screenshot(path=tmp_path / "translation-teacher-thread.png", full_page=True)
    assert peer.calls == 1


def publish(author, group, title: str, body: str = BODY, **fields):
    return check_publish_post(
        acting_user=verified(author), groups=[group], draft=Draft(title=title, body=body, **fields)
    )


# The right edge of a node's text against the right edge of its box (negative: the text ends left of it).
TEXT_RIGHT_GAP = """node => {
  const range = document.createRange(); range.selectNodeContents(node);
  const text = range.getBoundingClientRect(), box = node.getBoundingClientRect();
  const pad = parseFloat(getComputedStyle(node).paddingRight) || 0;
  return {gap: box.right - pad - text.right, left: text.left - box.left};
}"""


def test_the_notifications_list_shows_arabic_titles_right_to_left(page, live_server, peer, tmp_path):
    """A parent who always translates into Arabic: under each line as written, the translated title and
    the first lines align right and read right to left inside the Dutch page; the machine label, the line
    as written and its urgent badge stay left. "Show original" and "Vertaal" work in the line itself."""
    from notifications.tests.helpers import without_quiet_hours

    world = build_world()
    without_quiet_hours(world)
    SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
    ReadingPreference.objects.create(user=world.parent, language="ar", always=True)
    publish(world.teacher, world.group3, "Beste ouders")
    publish(world.director, world.wide, "Morgen geen school", urgent=True)
    log_in(page, world.parent)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/notifications/")
        translations = page.locator(".notice-list").get_by_test_id("translated")
        assert translations.count() == 2, page.content()
        for index in range(2):
            translated = translations.nth(index)
            assert translated.get_attribute("lang") == "ar" and translated.get_attribute("dir") == "rtl"
            title = translated.locator(".translated-title")
            assert title.evaluate("node => getComputedStyle(node).direction") == "rtl"
            assert title.evaluate(TEXT_RIGHT_GAP)["gap"] < 2  # the text ends at the right edge
        headline = page.get_by_test_id("headline-translated").first
        assert headline.evaluate("node => getComputedStyle(node).direction") == "rtl"
        assert headline.evaluate(TEXT_RIGHT_GAP)["gap"] < 2
        assert "أعزائي الآباء" in page.locator(".notice-list").first.inner_text()
        # The urgent badge and the line as written stay Dutch, read left to right.
        badge = page.locator(".notice-title .badge").first
        assert badge.evaluate("node => getComputedStyle(node).direction") == "ltr"
        # The meta line and the machine label stay in the page's direction, left.
        for other in (page.locator(".notice-meta").first, page.get_by_test_id("machine-label").first):
            assert other.evaluate("node => getComputedStyle(node).direction") == "ltr"
            assert other.evaluate(TEXT_RIGHT_GAP)["left"] < 2
        page.screenshot(path=tmp_path / f"notifications-arabic-{width}.png", full_page=True)
    # The original one tap away, and the translation one tap back, without opening the notice.
    first = page.get_by_test_id("notification").first
    first.get_by_test_id("show-original").click()
    first.get_by_test_id("translate").wait_for()
    assert first.get_by_test_id("translated").count() == 0
    assert page.url.endswith("/notifications/")
    first.get_by_test_id("translate").click()
    first.get_by_test_id("translated").wait_for()
    assert peer.calls == 4  # asked ahead at fan-out (two notices, two posts); the page asked nothing


# Every page that shows a translation (the post page, the timeline, the home page with an event's card, a
# conversation with a translated reply, the notifications list, the next digest), for a parent who always
# translates into Arabic and one into English: no page is wider than the screen, a translated text takes
# its language's direction (Arabic aligns right), and the interface around it keeps the page's own. The
# screenshots are left in the test's temporary folder to look at.
WIDTHS = (390, 1280)


def pages_of(world):
    """Posts (an event with its place too), a conversation with the teacher's reply; the pages to look at."""
    from conversations.actions import check_send_message
    from conversations.tests.helpers import class_conversation
    from core import events
    from notifications.tests.helpers import without_quiet_hours
    from translation.subscribers import on_event

    events.subscribe(on_event)  # as the app does at start-up (other tests may have replaced the list)
    without_quiet_hours(world)
    post = publish(world.teacher, world.group3, "Beste ouders")
    publish(
        world.teacher,
        world.group3,
        "Morgen geen school",
        "<p>Morgen is er geen school.</p>",
        kind="event",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        location="Groep 8, gymzaal",
    )
    conversation = class_conversation(world, body="Beste ouders, morgen is er geen school?")
    check_send_message(acting_user=world.teacher, conversation=conversation, body="Dank je wel, tot morgen!")
    return {
        "post": f"/posts/{post.public_id}/",
        "feed": "/posts/",
        "home": "/",
        "thread": f"/messages/{conversation.public_id}/",
        "notifications": "/notifications/",
        "digest": "/notifications/digest/",
    }


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_every_page_with_a_translation_fits_and_reads_in_its_direction(
    page, live_server, peer, tmp_path, language, direction
):
    world = build_world()
    SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
    ReadingPreference.objects.create(user=world.parent, language=language, always=True)
    urls = pages_of(world)
    log_in(page, world.parent)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in urls.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            shot = tmp_path / f"{name}-{language}-{width}.png"
            page.screenshot(path=shot, full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (name, width, overflow)
            translated = page.locator(f'[lang="{language}"][dir="{direction}"]')
            assert translated.count() >= 1, (name, width)
            for index in range(translated.count()):
                node = translated.nth(index)
                assert node.evaluate("n => getComputedStyle(n).direction") == direction, (name, index)
                if direction == "rtl" and node.evaluate("n => getComputedStyle(n).display") == "block":
                    align = node.evaluate("n => getComputedStyle(n).textAlign")
                    assert align in ("start", "right"), (name, index, align)
