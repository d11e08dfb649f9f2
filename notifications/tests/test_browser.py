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
from notifications.models import PushSubscription

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
