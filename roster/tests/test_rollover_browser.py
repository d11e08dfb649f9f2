"""Real Chromium at phone width: the office opens the next school year and goes through the wizard."""

import os

import pytest

from core.browser_testing import log_in
from core.testing import build_world
from roster.models import Placement
from schools.models import Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ROLLOVER_SCREENSHOTS", "")  # a folder: also save screenshots of the steps to look at


def shoot(page, name: str) -> None:
    if SHOTS:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


def test_the_office_opens_the_next_year_places_pupils_and_applies(page, live_server):
    world = build_world()
    log_in(page, world.office)
    page.goto(f"/school/{world.school.public_id}/")
    page.get_by_role("link", name="Nieuw schooljaar").click()
    shoot(page, "1-start")
    page.get_by_role("button", name="Het volgende schooljaar openen").click()
    page.get_by_text("Het volgende schooljaar is geopend.").wait_for()
    assert page.get_by_test_id("rollover-group").count() == 3
    page.get_by_test_id("rollover-add-group").get_by_role("textbox").fill("Groep 5")
    page.get_by_role("button", name="Groep toevoegen").click()
    assert page.get_by_test_id("rollover-group").count() == 4
    shoot(page, "2-groups")

    page.get_by_role("link", name="Volgende: leerlingen").click()
    lars = page.locator(f"#p-{world.outsider_child.public_id}")
    assert "Nakijken" in lars.inner_text()
    lars.get_by_role("combobox").first.select_option(label="Groep 5")
    lars.get_by_role("combobox").last.select_option("5")
    lars.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De plaats van Lars Dekker is opgeslagen.").wait_for()
    shoot(page, "3-pupils")
    assert Placement.objects.get(pupil=world.outsider_child).group.name == "Groep 5"

    page.get_by_role("link", name="Volgende: leerkrachten").click()
    form = page.get_by_test_id("rollover-teachers").filter(has_text="Groep 5")
    form.get_by_label("Carla Visser").check()
    form.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De leerkrachten van Groep 5 zijn opgeslagen.").wait_for()
    shoot(page, "4-teachers")

    page.get_by_role("link", name="Volgende: doorvoeren").click()
    shoot(page, "5-confirm")
    page.get_by_test_id("rollover-apply").click()
    page.get_by_text("Doorgevoerd: 4 geplaatst").wait_for()
    assert Enrolment.objects.get(pupil=world.outsider_child, group__name="Groep 5").grade == 5
