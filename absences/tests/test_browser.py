"""Real Chromium at phone width: a parent reports a dentist visit, then a same-day one; a director decides."""

import pytest

from absences.models import Absence, LeaveRequest
from absences.tests.helpers import make_leave, weekday_ahead
from core.browser_testing import log_in, open_phone
from core.clock import school_today
from core.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_report(page, day, *, from_time="", until_time="", note=""):
    page.get_by_role("link", name="Absenties").first.click()
    page.get_by_role("link", name="Afwezigheid melden").click()
    page.get_by_label("Kind").select_option(label="Daan")
    page.get_by_label("Soort").select_option("dentist")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Van").fill(from_time)
    page.get_by_label("Tot").fill(until_time)
    page.get_by_label("Toelichting").fill(note)
    page.locator("main form button[type=submit]").click()


def test_it_takes_a_dentist_visit_and_refuses_one_for_today_with_the_phone_number(page, live_server):
    world = build_world()
    log_in(page, world.parent)
    day = weekday_ahead(7)
    fill_report(page, day, from_time="10:00", until_time="11:15", note="Controle bij de tandarts")

    page.get_by_text("Dank u wel, de school heeft het ontvangen.").wait_for()
    assert "Tandarts of orthodontist" in page.locator("h1").inner_text()
    absence = Absence.objects.get(pupil=world.child)
    assert (absence.starts_on, absence.note) == (day, "Controle bij de tandarts")

    fill_report(page, school_today(), note="Vergeten")
    refusal = page.locator(".message.error")
    refusal.wait_for()
    assert "071 123 45 67" in refusal.inner_text()
    assert page.locator("a[href='tel:0711234567']").first.is_visible()
    assert Absence.objects.filter(pupil=world.child).count() == 1


def test_it_lets_the_director_decide_a_leave_request_the_parent_then_sees(page, browser, live_server):
    world = build_world()
    leave = make_leave(world)
    log_in(page, world.director)
    page.get_by_role("link", name="Absenties").first.click()
    page.get_by_role("link", name="Ochtendoverzicht").click()
    page.get_by_test_id("pending-leave").get_by_role("link").click()
    page.get_by_label("Toekennen").check()
    page.get_by_label("Reden voor het besluit").fill(
        "Akkoord, de bruiloft valt onder gewichtige omstandigheden."
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Het besluit is vastgelegd.").wait_for()
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.GRANTED

    parent = open_phone(browser, live_server.url)
    log_in(parent, world.co_parent)
    parent.get_by_role("link", name="Absenties").first.click()
    parent.get_by_test_id("leave").get_by_role("link").click()
    assert parent.get_by_test_id("leave-status").inner_text() == "Toegekend"
    assert "gewichtige omstandigheden" in parent.get_by_test_id("decision-reason").inner_text()
