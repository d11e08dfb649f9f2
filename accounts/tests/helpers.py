"""Small helpers for account tests: real logins through the login page, and links out of emails."""

import re

from django.test import Client
from django_otp.oath import totp

from core.testing import PASSWORD


def log_in(client: Client, email: str, password: str = PASSWORD, next_url: str = "", **extra):
    """Sign in through the login form, as a browser would (with a phone's user agent)."""
    extra.setdefault("HTTP_USER_AGENT", IPHONE)
    data = {"email": email, "password": password, "next": next_url}
    return client.post("/accounts/login/", data, **extra)


def link_in(text: str, path_prefix: str) -> str:
    """The site-relative path of the first link in `text` that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s\"<]*)", text)
    assert match, f"no {path_prefix} link in: {text}"
    return match.group(1)


def current_code(device) -> str:
    return f"{totp(device.bin_key):06d}"


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
