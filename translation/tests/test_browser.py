"""Real Chromium at phone width: a parent switches a school post to Arabic (right to left) and back."""

import pytest
from django.test import override_settings

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
