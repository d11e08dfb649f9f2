"""Real Chromium at phone width: a parent downloads their data; a director looks at the retention table."""

import io
import zipfile
from pathlib import Path

import pytest

from core.browser_testing import go_to, log_in
from core.testing import build_world
from privacy.models import DataExport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_asks_for_their_data_and_downloads_the_zip(page, live_server):
    world = build_world()
    log_in(page, world.parent)
    go_to(page, "Mijn account")
    page.get_by_test_id("my-data").click()
    page.get_by_test_id("export-request").click()
    # The task runs in the test server as soon as the request commits; the row then offers the download.
    page.get_by_test_id("export-status").filter(has_text="Klaar om te downloaden").wait_for()
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"data.json", "index.html"} <= set(archive.namelist())
    assert DataExport.objects.get().requested_by == world.parent


def test_a_director_reads_what_is_kept_and_changes_a_period(page, live_server):
    world = build_world()
    log_in(page, world.director)
    page.goto(f"/school/{world.school.public_id}/data/")
    assert page.get_by_test_id("retention-row").count() == 9
    page.get_by_label("Bewaard (maanden)").nth(2).fill("36")
    page.get_by_role("button", name="Termijnen opslaan").click()
    page.get_by_text("De bewaartermijnen zijn opgeslagen.").wait_for()
    assert page.get_by_label("Bewaard (maanden)").nth(2).input_value() == "36"
