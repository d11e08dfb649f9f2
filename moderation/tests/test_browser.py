"""Real Chromium at phone width: a parent reports a photo, the teacher hides it, the director closes it."""

import pytest

from core.browser_testing import go_to, log_in, open_phone
from core.testing import build_world
from media.models import MediaFile
from media.tests.access_cases import ready_photo
from moderation.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reported_photo_is_hidden_then_closed_and_the_parent_sees_the_outcome(page, browser, live_server):
    world = build_world()
    photo_id = ready_photo(world)
    files_page = f"/media/groups/{world.group3.public_id}/"

    # The parent reports the photo from the group's files.
    log_in(page, world.parent)
    page.goto(files_page)
    page.get_by_test_id("report-link").click()
    page.get_by_label("Privacy: een kind of persoon hoort hier niet op").check()
    page.get_by_label("Korte toelichting").fill(
        "Mijn zoon staat hierop, wij hebben geen toestemming gegeven."
    )
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("De leerkracht en de directie bekijken wat u heeft gemeld.").wait_for()
    assert "Wordt bekeken" in page.get_by_test_id("my-report").inner_text()

    # The teacher finds it in the queue and hides it with one click.
    teacher = open_phone(browser, live_server.url)
    log_in(teacher, world.teacher)
    go_to(teacher, "Melden en tips")
    teacher.get_by_role("link", name="Gemelde inhoud: 1 open").click()
    teacher.get_by_test_id("queue-report").get_by_role("link").first.click()  # then: where it was posted
    teacher.get_by_role("button", name="Nu verbergen").click()
    teacher.get_by_test_id("hidden").wait_for()
    assert MediaFile.objects.get(public_id=photo_id).hidden_at is not None

    page.goto(files_page)
    assert page.get_by_test_id("media-file").count() == 0

    # The director removes it with a note; the report is closed.
    director = open_phone(browser, live_server.url)
    log_in(director, world.director)
    director.goto("/moderation/queue/")
    director.get_by_test_id("queue-report").get_by_role("link").first.click()
    director.get_by_label("Verwijderen", exact=True).check()
    director.get_by_label("Toelichting voor wie het meldde").fill(
        "De foto is verwijderd. Dank voor uw melding."
    )
    director.get_by_role("button", name="Afhandelen").click()
    director.get_by_text("Afgehandeld; wie het meldde").wait_for()
    assert not MediaFile.objects.filter(public_id=photo_id).exists()
    assert Report.objects.get().outcome == Report.Outcome.REMOVED

    # The parent sees the outcome and the note.
    page.goto("/moderation/reports/")
    report = page.get_by_test_id("my-report").inner_text()
    assert "Verwijderd" in report
    assert "Dank voor uw melding" in report
