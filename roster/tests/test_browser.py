"""Real Chromium at phone width: the office uploads an export, watches the progress, previews, applies."""

import pytest

from core.browser_testing import log_in
from core.testing import build_world
from roster.actions import do_apply, do_preview
from roster.models import RosterImport
from roster.tests.edexml import P, T, edexml
from schools.models import Enrolment, Pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The tasks wait in a queue nobody works, so the page shows its progress until the test does the work.
QUEUED = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_the_office_uploads_previews_and_applies_an_export(page, live_server, settings, tmp_path):
    settings.TASKS = QUEUED
    world = build_world()
    export = tmp_path / "EDEX.XML"
    export.write_bytes(
        edexml(
            year=world.year.name,
            groups=[("G3", "Groep 3", "3"), ("G4", "Groep 4", "4")],
            pupils=[P("L1", "Nora", "Bakker", "G3"), P("L2", "Mees", "de Vries", "G4")],
            teachers=[T("K1", "Anna", "Jansen", "anna@schakel.test", ["G3"])],
        )
    )
    log_in(page, world.office)
    page.goto(f"/school/{world.school.public_id}/")
    page.get_by_role("link", name="Importeren").click()
    page.get_by_label("Leerlingen, groepen en leerkrachten").set_input_files(str(export))
    page.get_by_role("button", name="Uploaden en bekijken").click()

    progress = page.locator("progress#roster-progress")
    progress.wait_for()
    assert page.get_by_test_id("roster-status").inner_text() == "Wacht nog"
    do_preview(roster_import=RosterImport.objects.get())  # the worker's turn
    page.get_by_test_id("roster-apply").wait_for()  # the page asked again and shows the preview
    changes = page.get_by_test_id("roster-changes").inner_text()
    assert "Nora Bakker (Groep 3)" in changes and "Mees de Vries (Groep 4)" in changes
    page.get_by_test_id("roster-filter").filter(has_text="Nieuwe leerling").click()
    assert page.get_by_test_id("roster-changes").locator("li").count() == 2
    assert not Pupil.objects.filter(first_name="Nora").exists()

    page.get_by_test_id("roster-apply").click()
    page.get_by_text("De import wordt doorgevoerd.").wait_for()
    progress.wait_for()
    do_apply(roster_import=RosterImport.objects.get())
    page.get_by_test_id("roster-status").filter(has_text="Doorgevoerd").wait_for()
    assert Enrolment.objects.get(pupil__first_name="Nora").group == world.group3
