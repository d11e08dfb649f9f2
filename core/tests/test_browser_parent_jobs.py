"""The parent's five most common jobs on a 390 × 844 phone, counting taps, with axe-core on every page.

A tap is a click or a choice in a list; typing is not counted. Each job asserts its most taps from the
signed-in home page, and that axe finds no serious or critical WCAG violation on any page it passes.
"""

import re

import pytest

from absences.models import Absence
from absences.tests.helpers import weekday_ahead
from conversations.models import Message
from core.browser_testing import assert_accessible, log_in
from core.testing import build_world
from posts.models import Rsvp
from posts.tests.helpers import class_news

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


class Taps:
    """Counts the parent's taps and checks every page the job reaches with axe."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator) -> None:
        self.count += 1
        locator.click()
        self.page.wait_for_load_state()
        assert_accessible(self.page)

    def choose(self, locator, **option) -> None:
        self.count += 1
        locator.select_option(**option)


@pytest.fixture
def school(live_server):
    world = build_world()
    class_news(world)
    return world


@pytest.fixture
def parent(browser, live_server, school):
    context = browser.new_context(viewport=PHONE_390, locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    assert_accessible(page)
    log_in(page, school.parent)
    assert_accessible(page)
    yield page
    context.close()


def test_reading_todays_news_takes_one_tap(parent):
    taps = Taps(parent)
    assert parent.get_by_test_id("post").first.is_visible()  # the news is the home page itself
    taps.tap(parent.get_by_role("link", name="Gymles in het bos", exact=True))
    assert parent.locator("h1").inner_text() == "Gymles in het bos"
    assert taps.count <= 1


def test_answering_an_invitation_takes_one_tap_on_the_home_page(parent, school):
    taps = Taps(parent)
    card = parent.get_by_test_id("need-rsvp")
    assert "Kerstviering" in card.inner_text()
    taps.tap(card.get_by_role("button", name="Ja, we komen"))
    card.get_by_text("Dank u wel voor uw antwoord.").wait_for()
    assert Rsvp.objects.get(pupil=school.child).answer == "yes"
    assert_accessible(parent)
    assert taps.count <= 1


def test_reporting_a_dentist_visit_takes_at_most_five_taps(parent, school):
    taps = Taps(parent)
    taps.tap(parent.get_by_test_id("tabbar").get_by_role("link", name="Absenties"))
    taps.tap(parent.get_by_role("link", name="Afwezigheid melden"))
    taps.choose(parent.get_by_label("Kind"), label="Daan")
    taps.choose(parent.get_by_label("Soort"), value="dentist")
    day = weekday_ahead(7)
    parent.get_by_label("Datum").fill(day.isoformat())
    parent.get_by_label("Van").fill("10:00")
    parent.get_by_label("Tot").fill("11:15")
    taps.tap(parent.locator("main form button[type=submit]"))
    parent.get_by_text("Dank u wel, de school heeft het ontvangen.").wait_for()
    assert Absence.objects.get(pupil=school.child).starts_on == day
    assert taps.count <= 5


def test_messaging_the_teacher_takes_four_taps(parent, school):
    taps = Taps(parent)
    taps.tap(parent.get_by_test_id("tabbar").get_by_role("link", name=re.compile("Berichten")))
    taps.tap(parent.get_by_role("link", name="Nieuw bericht"))
    taps.tap(parent.get_by_test_id("child").filter(has_text="Daan").get_by_role("link"))
    parent.get_by_label("Onderwerp").fill("Tandarts")
    parent.get_by_label("Bericht").fill("Daan gaat morgen om 10 uur naar de tandarts.")
    taps.tap(parent.get_by_role("button", name="Versturen"))
    parent.wait_for_url(re.compile(r"/messages/[\w-]{16}/$"))
    assert Message.objects.filter(author=school.parent).count() == 1
    assert taps.count <= 4


def test_looking_at_the_class_photos_takes_one_tap(parent):
    taps = Taps(parent)
    card = parent.get_by_test_id("post").filter(has_text="Gymles in het bos")
    taps.tap(card.get_by_test_id("tile").first)
    parent.wait_for_function(
        "() => [...document.querySelectorAll('main img')]"
        ".filter(i => i.complete && i.naturalWidth > 0).length >= 3"
    )
    assert taps.count <= 1


def test_the_tab_bar_is_reached_by_keyboard_before_the_content(parent):
    for _ in range(6):
        parent.keyboard.press("Tab")
        if parent.evaluate("() => !!document.activeElement.closest('.tabbar')"):
            break
    assert parent.evaluate("() => document.activeElement.textContent.trim()") == "Nieuws"
    parent.keyboard.press("Tab")
    assert parent.evaluate("() => document.activeElement.textContent.trim()") == "Agenda"


def test_every_tab_and_the_notification_pages_pass_axe(parent):
    """The pages a parent reaches from the tab bar and the bell, besides those of the five jobs."""
    for path in (
        "/calendar/",
        "/messages/",
        "/absences/",
        "/more/",
        "/notifications/",
        "/notifications/preferences/",
        "/privacy/",
        "/accounts/settings/",
        "/translate/preferences/",
    ):
        parent.goto(path)
        assert parent.locator("[aria-current=page]").count() <= 1
        assert_accessible(parent)


def test_a_one_button_form_sits_where_its_button_is(parent):
    """The margin that keeps a button under a field apart from it once also followed the hidden CSRF input,
    so every one-button form (a notice, log out, the language switch) had an empty line above its button."""
    parent.goto("/notifications/")
    gaps = parent.evaluate(
        """() => [...document.querySelectorAll('.notice-list > li')].map(li =>
            li.querySelector('button').getBoundingClientRect().top - li.getBoundingClientRect().top)"""
    )
    assert gaps and all(gap <= 1 for gap in gaps), gaps
    switch = parent.locator(".language-switch button")
    tops = {round(switch.nth(n).bounding_box()["y"]) for n in range(switch.count())}
    text_top = parent.evaluate("() => document.querySelector('.footer a').getBoundingClientRect().top")
    assert len(tops) == 1 and min(tops) - text_top < 60, (tops, text_top)
