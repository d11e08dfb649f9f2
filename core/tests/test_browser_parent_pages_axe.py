"""Every page a parent reaches passes axe-core on a 390 px phone, and nothing on it is cut off.

The pages are not listed here: they are the access matrix's GET page cases whose allowed persona is a parent
(core/access_matrix.py), each with the data its case builds. Every URL pattern must have such a case
(core/tests/test_access_matrix.py), so a new parent page is visited here without anyone adding it. What a
parent reaches that is no page to look at (a file, a fragment loaded into a page) is named in NOT_PAGES.

With SCREENSHOTS_DIR set, each page is also saved as a full-page screenshot at 360 and 1280 px wide.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from consent.actions import check_send_request
from core.access_matrix import AccessCase, all_cases
from core.browser_testing import axe_violations, log_in
from core.testing import build_world
from moderation.tests.helpers import report_about
from posts.tests.helpers import class_news, verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARENTS = ("parent", "co_parent", "class_parent")
PHONE_390 = {"width": 390, "height": 844}
SMALL_PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 800}

NOT_PAGES = {
    "media:rendition": "a photo",
    "posts:post_ics": "a calendar file",
    "posts:post_photos_zip": "a zip of a post's photos",
    "conferences:round_calendar": "a calendar file",
    "conferences:talk_calendar": "a calendar file",
    "privacy:export_download": "the zip of the parent's data",
    "conversations:unread": "the unread count, loaded into the tab bar",
    "translation:translated": "a post's text in another language, loaded into the post",
    "translation:original": "a post's text as written, loaded into the post",
    "privacy:export_status": "a data export's row, polled by the page while the export is built",
}

# The pages the accessibility issue named; the walk must keep reaching them.
NAMED_IN_THE_ISSUE = {
    "consent:preferences",  # where a parent answers an open consent question
    "conferences:round_detail",  # choosing times for a parent-teacher conference
    "forms:form_detail",  # answering a school form
    "moderation:report",
    "moderation:rules",
    "moderation:feedback",
    "moderation:my_reports",
    "absences:sick_new",
    "absences:leave_new",
    "notifications:digest_preview",
    "posts:feed",
    "schools:group_detail",
    "posts:album",
    "media:group_files",
}


def parent_pages() -> list[AccessCase]:
    """One GET page case per URL pattern a parent may open, the parent's own where there are several."""
    chosen: dict[str, AccessCase] = {}
    for case in all_cases():
        if case.kind != "page" or case.method != "get" or case.allowed not in PARENTS:
            continue
        if case.key in NOT_PAGES:
            continue
        if case.key not in chosen or (case.allowed == "parent" and chosen[case.key].allowed != "parent"):
            chosen[case.key] = case
    return list(chosen.values())


@pytest.fixture
def world(live_server):
    """The persona world, with what makes the pages show something: an open consent question for the
    children, a post with photos and an event in Groep 3, and a photo the parent reported."""
    w = build_world()
    check_send_request(acting_user=verified(w.director), school=w.school, reason="year")
    class_news(w)
    report_about(w, text="Mijn kind staat hierop zonder toestemming.")
    return w


def overflow(page) -> int | None:
    """How far the document is wider than the viewport, or None when it fits."""
    wide, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return wide - viewport if wide > viewport else None


# Boxes that scroll sideways with part of their content out of sight: the page fits, but a parent sees a
# table cut off at the edge and may never find the rest.
_SCROLLED_SIDEWAYS = """() => [...document.querySelectorAll("main *")]
  .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth - el.clientWidth} px`)"""


# Radio buttons outside a named group: a screen reader reads "Ik kan" for every time of an evening and never
# the time. axe does not check this; a fieldset with a legend, or a group with a label, names them.
_UNNAMED_RADIO_GROUPS = """() => [...new Set([...document.querySelectorAll("main input[type=radio]")]
  .filter((radio) => !radio.closest(
    "fieldset:has(> legend), "
    + ":is(fieldset, [role=group], [role=radiogroup]):is([aria-labelledby], [aria-label])"))
  .map((radio) => radio.name))]"""


def cut_off(page) -> list[str]:
    """What is wider than the screen, or than the box it scrolls in."""
    found = page.evaluate(_SCROLLED_SIDEWAYS)
    if (wider := overflow(page)) is not None:
        found.append(f"the page, {wider} px")
    return found


def save_screenshot(page, path: Path) -> None:
    """The whole page in one viewport as tall as the page: a full-page screenshot of a phone-sized viewport
    draws the fixed tab bar across the middle of the page, where nobody ever sees it."""
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, page.viewport_size["height"])})
    page.screenshot(path=str(path))


def test_axe_checks_the_size_of_touch_targets(browser, live_server, world):
    """target-size (WCAG 2.2, 2.5.8) is off in axe-core by default; the helper's run must include it."""
    context = browser.new_context(viewport=PHONE_390, locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    log_in(page, world.parent)
    assert axe_violations(page) == []
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("afterbegin",
            '<p><a href="/more/" style="display:inline-block;width:12px;height:12px">1</a>'
            + '<a href="/more/" style="display:inline-block;width:12px;height:12px">2</a></p>')"""
    )
    assert "target-size" in {violation["id"] for violation in axe_violations(page)}
    context.close()


def test_every_parent_page_passes_axe_and_fits_the_phone(browser, live_server, world):
    cases = parent_pages()
    missing = NAMED_IN_THE_ISSUE - {case.key for case in cases}
    assert not missing, missing
    shots = os.environ.get("SCREENSHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)

    problems: dict[str, object] = {}
    visited = []
    for persona in PARENTS:
        mine = [case for case in cases if case.allowed == persona]
        if not mine:
            continue
        context = browser.new_context(viewport=PHONE_390, locale="nl-NL", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, getattr(world, persona))
        for case in mine:
            path = case.path(world)  # builds the case's data just before the visit: a later case may renumber
            response = page.goto(path)
            page.wait_for_load_state("load")
            where = f"{case.key} {path}"
            visited.append(case.key)
            if response.status != 200 or urlsplit(page.url).path != urlsplit(path).path:
                problems[where] = f"answered {response.status} at {page.url}"
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                problems[where] = "not a page: name it in NOT_PAGES"
                continue
            if violations := axe_violations(page):
                problems[where] = violations
            if unnamed := page.evaluate(_UNNAMED_RADIO_GROUPS):
                problems[f"{where}, radio buttons without a group name"] = unnamed
            if cut := cut_off(page):
                problems[f"{where} at 390 px, cut off"] = cut
            for size in (SMALL_PHONE, DESKTOP):
                page.set_viewport_size(size)
                if cut := cut_off(page):
                    problems[f"{where} at {size['width']} px, cut off"] = cut
                if shots:
                    save_screenshot(page, Path(shots) / f"{case.key.replace(':', '-')}-{size['width']}.png")
            page.set_viewport_size(PHONE_390)
        context.close()

    assert len(visited) == len(cases)
    assert not problems, json.dumps(problems, indent=1)
