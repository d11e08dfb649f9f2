"""The Content-Security-Policy: every page sends it, and no page carries what it would refuse.

The browser test (`test_browser_csp.py`) proves the same in Chromium for the main pages; this one walks every
GET of the access matrix as its allowed persona, and reads every template, so no page is left out.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.csp import build_policy

from core.access_matrix import all_cases
from core.testing import build_world, sign_in
from media.serving import SANDBOX
from schoolplein.settings import s3_media_origins

POLICY = build_policy(settings.SECURE_CSP)
GETS = [case for case in all_cases() if case.method == "get"]
# A script element the browser does not run: data for a script file to read.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineFinder(HTMLParser):
    """What a policy without 'unsafe-inline' and 'unsafe-eval' refuses, as found in one HTML page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "style":
            self.found.append("<style> block")
        if tag == "script" and not values.get("src") and values.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append("inline <script>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}>')
            elif name.startswith("on"):
                self.found.append(f"{name}= handler on <{tag}>")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"{name} (htmx eval) on <{tag}>")
            elif name in ("hx-vals", "hx-vars", "data-hx-vals", "data-hx-vars") and value.startswith(
                ("js:", "javascript:")
            ):
                self.found.append(f"{name} with script on <{tag}>")
            elif name in ("hx-trigger", "data-hx-trigger") and "[" in value:
                self.found.append(f"{name} filter (htmx eval) on <{tag}>")
            elif name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_content(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_each_kind_of_inline_content():
    page = (
        '<style>p{}</style><script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json">{}</script><p style="color:red" onclick="x()">'
        '<button hx-on:click="x()"></button><a href="javascript:x()"></a>'
        '<div hx-trigger="click[ctrlKey]"></div>'
    )
    assert len(inline_content(page)) == 7
    assert inline_content('<select data-autosubmit hx-trigger="load, every 60s"></select>') == []


def test_the_policy_is_strict():
    assert POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def test_media_in_a_private_bucket_is_allowed_from_that_bucket_only():
    assert s3_media_origins("", "", "") == []
    assert s3_media_origins("school-media", "", "eu-central-1") == [
        "https://school-media.s3.amazonaws.com",
        "https://school-media.s3.eu-central-1.amazonaws.com",
    ]
    assert s3_media_origins("school-media", "https://objects.example:9000/", "") == [
        "https://objects.example:9000",
        "https://school-media.objects.example:9000",
    ]


TEMPLATE_DIRS = sorted(Path(settings.BASE_DIR).glob("*/templates"))


def test_no_template_carries_inline_script_style_or_handlers():
    # Emails are not pages: mail clients need inline styles, and they are not served under the policy. Nor are
    # files put inside a download ("offline": an export's index.html opened from the zip on one's own disk).
    offenders = {}
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            if {"email", "offline"} & set(template.relative_to(folder).parts):
                continue
            found = inline_content(template.read_text())
            if found:
                offenders[str(template.relative_to(settings.BASE_DIR))] = found
    assert TEMPLATE_DIRS
    assert offenders == {}


def test_every_face_box_position_has_its_rule():
    css = (Path(settings.BASE_DIR) / "consent/static/consent/consent.css").read_text()
    for side in ("left", "top", "width", "height"):
        rules = set(re.findall(rf'\.face-box\[data-{side}="(\d+)"\]\{{{side}:(\d+)%\}}', css))
        assert rules == {(str(n), str(n)) for n in range(101)}, side


@pytest.mark.django_db
def test_every_page_sends_the_policy_and_carries_nothing_it_refuses():
    """Each GET of the access matrix, as its allowed persona: pages, the JSON API, media, calendar feeds."""
    world = build_world()
    problems = []
    seen = {"html": 0, "json": 0, "media": 0}
    for case in GETS:
        client = sign_in(Client(), getattr(world, case.allowed)) if case.allowed else Client()
        path = case.path(world)
        response = client.get(path, case.data)
        policy = response.get("Content-Security-Policy")
        content_type = response.get("Content-Type", "")
        if case.allowed:
            expected = case.allowed_status
        else:  # public and token URLs; a page nobody is declared for sends anonymous to log in
            expected = 302 if case.kind == "page" else (case.anonymous_status or 200)
        if response.status_code != expected:
            problems.append(f"{path}: {response.status_code}, expected {expected}")
        elif policy == SANDBOX:  # a file: the media app's own, stricter policy stays
            seen["media"] += 1
        elif policy != POLICY:
            problems.append(f"{path}: policy {policy!r}")
        elif content_type.startswith("text/html"):
            seen["html"] += 1
            problems += [f"{path}: {found}" for found in inline_content(response.content.decode())]
        elif content_type.startswith("application/json"):
            seen["json"] += 1
            response.json()  # the header does not get in the way of the body
    assert problems == []
    assert seen["html"] >= 60 and seen["json"] >= 40 and seen["media"] >= 1, seen
