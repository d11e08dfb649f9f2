"""Helpers for browser tests: a phone-sized page, and signing in through the real login pages."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.testing import PASSWORD

PHONE = {"width": 360, "height": 740}


def open_phone(browser, base_url: str):
    """A fresh browser context the size of a small phone, in Dutch."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def log_in(page, user, password: str = PASSWORD) -> None:
    """Through the real login page; staff also enter the current code from their authenticator."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main form button[type=submit]").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
        page.locator("main input[name=code]").fill(f"{totp(device.bin_key):06d}")
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))


def my_groups(page) -> set[str]:
    """The group names on the home page."""
    page.goto("/")
    return {text.split("\n")[0] for text in page.get_by_test_id("group").all_inner_texts()}
