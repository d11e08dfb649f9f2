"""Real Chromium at phone width: a parent gives preferences in a few taps; two families swap times."""

import time

import pytest
from django.utils import timezone

from conferences.models import Answer, SwapRequest, Talk
from conferences.tests.helpers import make_round
from core.browser_testing import go_to, log_in, open_phone
from core.clock import SCHOOL_TZ
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_gives_preferences_on_a_phone_in_a_few_taps(page, live_server):
    world = build_world()
    round_ = make_round(world)
    log_in(page, world.parent)
    started = time.monotonic()
    go_to(page, "Gesprekken")
    page.get_by_test_id("round").get_by_role("link").click()
    form = page.get_by_test_id("preferences")
    blocks = form.locator(".block")
    assert blocks.count() == 4
    blocks.nth(0).locator(".toggle-can").click()
    blocks.nth(1).locator(".toggle-can").click()
    blocks.nth(3).locator(".toggle-cannot").click()
    blocks.nth(2).locator(".toggle-can").click()
    blocks.nth(2).locator(".toggle-can").click()  # a second tap clears a mistake
    assert blocks.nth(2).locator("input:checked").count() == 0
    form.get_by_role("button", name="Voorkeuren opslaan").click()
    page.get_by_text("Dank u, uw voorkeuren zijn opgeslagen.").wait_for()
    assert time.monotonic() - started < 60
    # Nothing sticks out sideways on a small phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    answer = Answer.objects.get(round=round_, guardian=world.parent)
    assert sorted(c.can for c in answer.choices.all()) == [False, True, True]
    # The page shows what was saved, ready to change.
    assert page.get_by_test_id("preferences").locator("input:checked").count() == 3


def test_two_families_swap_times_and_one_moves_to_a_free_time(page, browser, live_server):
    world = build_world()
    round_ = make_round(world, phase="published", groups=[world.group3])
    yasmin = Talk.objects.get(round=round_, pupils=world.class_parent_child)
    daan = Talk.objects.get(round=round_, pupils=world.child)
    yasmin_time, daan_time = yasmin.starts_at, daan.starts_at

    log_in(page, world.class_parent)
    go_to(page, "Gesprekken")
    page.get_by_test_id("round").get_by_role("link").click()
    page.get_by_test_id("talk").get_by_role("link").click()
    page.get_by_test_id("swap-times").get_by_role(
        "button", name=timezone.localtime(daan_time, SCHOOL_TZ).strftime("%H:%M"), exact=False
    ).first.click()
    page.get_by_text("Je verzoek is verstuurd.").wait_for()
    assert SwapRequest.objects.filter(talk=yasmin, other=daan, status="pending").exists()

    parent = open_phone(browser, live_server.url)
    log_in(parent, world.parent)
    parent.goto(f"/conferences/talks/{daan.public_id}/")
    parent.get_by_test_id("swap-request").get_by_role("button", name="Accepteren").click()
    parent.get_by_text("Dank u, uw antwoord is verstuurd.").wait_for()
    yasmin.refresh_from_db()
    daan.refresh_from_db()
    assert (yasmin.starts_at, daan.starts_at) == (daan_time, yasmin_time)

    page.reload()
    free = page.get_by_test_id("free-times").get_by_role("button")
    chosen = free.last.inner_text()
    free.last.click()
    page.get_by_text("Het gesprek heeft een nieuwe tijd.").wait_for()
    assert chosen.split()[-1] in page.get_by_test_id("talk-time").inner_text()
