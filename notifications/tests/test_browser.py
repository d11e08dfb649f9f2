"""Real Chromium at phone width: the notifications page offers push on this device, registers the service
worker for the whole site, and tells the parent plainly when the browser's push service cannot be reached.

Headless Chromium subscribes through its vendor's push service on the internet. Where that cannot be reached
(as on the CI machines) the subscription ends in the failure message and nothing is saved; where it can, the
subscription is saved and the page says so. What the server does with a subscription (VAPID, encrypted
payloads, gone devices, retries) is tested against a local push service in test_delivery.py.
"""

import pytest
from playwright.sync_api import expect

from core.browser_testing import log_in
from core.testing import build_world
from notifications.models import KINDS, PushSubscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_registers_the_service_worker_and_says_when_the_push_service_is_out_of_reach(page, live_server):
    world = build_world()
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, world.parent)
    page.goto("/notifications/")

    manifest = page.request.get(page.locator('link[rel="manifest"]').get_attribute("href")).json()
    assert (manifest["display"], manifest["start_url"]) == ("standalone", "/")
    page.get_by_role("button", name="Meldingen ontvangen op dit apparaat").click()
    status = page.locator("#push-status")
    expect(status).not_to_be_empty(timeout=30_000)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r && r.scope)")
    assert scope == f"{live_server.url}/"
    if PushSubscription.objects.filter(user=world.parent).exists():  # a machine that reaches the push service
        expect(status).to_have_text("Dit apparaat ontvangt nu meldingen.")
    else:
        expect(status).to_have_text("Dat is niet gelukt. Probeer het later nog eens.")


def test_the_settings_fit_a_small_phone_with_every_kinds_toggles_in_view(page):
    world = build_world()
    log_in(page, world.parent)
    page.goto("/notifications/preferences/")
    page.get_by_role("heading", name="Instellingen voor meldingen").wait_for()
    page.screenshot(path="/tmp/notification-settings-360.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    rows = page.get_by_test_id("toggles").locator("li")
    assert rows.count() == len(KINDS)
    for row in rows.all():
        expect(row.locator("legend")).to_be_visible()
        for name in ("Pushmelding", "E-mail", "Nieuwsbrief"):
            toggle = row.get_by_label(name, exact=True)
            expect(toggle).to_be_visible()
            box = toggle.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (row.inner_text(), name, box)
    # Every digest choice is read in full (a select cut the weekly one off), and no box is squeezed.
    for choice in ("geen nieuwsbrief", "dagelijks", "wekelijks (de nieuwsbrief van school)"):
        expect(page.get_by_test_id("digest").get_by_label(choice, exact=True)).to_be_visible()
    names = page.get_by_label("Namen en titels tonen in pushmeldingen", exact=False)
    assert names.bounding_box()["width"] >= 20
    # The rest of the form is within the width too, down to the button.
    for control in page.locator("main form").locator("input, select, button").all():
        if control.is_visible():
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (
                control.evaluate("e => e.outerHTML"),
                box,
            )
