import os

import pytest

# Every test fails if a log record written during it names a person (core/log_privacy.py).
pytest_plugins = ["core.log_privacy"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (360 px wide) in a fresh browser context, pointed at the live server.

    Whatever the test does, the browser must refuse nothing under the Content-Security-Policy.
    """
    from core.browser_testing import CspRecorder

    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="nl-NL", base_url=live_server.url
    )
    csp = CspRecorder(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert csp.violations == [] and csp.refusals == [], (csp.violations, csp.refusals)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server in this process (aiosmtpd on 127.0.0.1); Django's mail goes to it for this test.

    Yields an inbox whose `messages` are the received emails, parsed with the modern email policy.
    """
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            self.messages.append(parsed)
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()
