"""Real Chromium at phone width: a teacher shares two photos with the group, a parent sees them."""

import pytest

from core.browser_testing import log_in, open_phone
from core.testing import build_world
from media.models import MediaFile
from media.tests.helpers import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_uploads_two_photos_with_progress_and_a_parent_sees_the_thumbnails(page, browser, live_server):
    world = build_world()
    group_files = f"/media/groups/{world.group3.public_id}/"

    log_in(page, world.teacher)

    page.goto(group_files)
    page.get_by_label("Foto's, video's of documenten").set_input_files(
        [
            {"name": "schoolreis-1.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200)},
            {"name": "schoolreis-2.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 1600)},
        ]
    )
    page.get_by_role("button", name="Uploaden").click()
    uploads = page.get_by_test_id("upload")
    uploads.first.wait_for()
    page.locator('[data-testid="upload"][data-state="ready"]').nth(1).wait_for(timeout=30_000)
    assert uploads.count() == 2
    assert [row.locator("progress").evaluate("bar => bar.value") for row in uploads.all()] == [100, 100]
    assert uploads.locator(".upload-status").all_inner_texts() == ["Klaar", "Klaar"]
    assert set(MediaFile.objects.values_list("status", flat=True)) == {MediaFile.Status.READY}

    parent = open_phone(browser, live_server.url)
    images = []
    parent.on("response", lambda r: images.append(r) if r.request.resource_type == "image" else None)
    log_in(parent, world.parent)
    parent.goto(group_files)
    thumbnails = parent.locator('[data-testid="media-file"] img')
    assert thumbnails.count() == 2
    parent.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=media-file] img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    served = [(r.status, r.headers["content-type"]) for r in images if "/media/" in r.url]
    assert served == [(200, "image/webp"), (200, "image/webp")]
    parent.context.close()
