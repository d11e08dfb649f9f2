"""Real Chromium at phone width: a teacher shares three photos, tags children, is stopped by a missing
consent, blurs the child and shows the photos; a parent of that child sees the blurred photo.

Posts upload their files in the same request that publishes them, so there is no moment to tag children
before publishing in the timeline's web form (the API can: upload, tag, then post with media_ids). The
same flow therefore runs on the group's files, where photos with faces wait for their author's check.
"""

import pytest

from consent.actions import check_answer, do_ensure_default_purposes
from consent.models import FaceBox, Scope
from consent.tests.helpers import astronaut_jpeg
from core.browser_testing import log_in, open_phone
from core.testing import build_world
from media.models import MediaFile
from media.tests.helpers import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_is_stopped_blurs_the_child_and_the_parent_sees_the_blurred_photo(
    page, browser, live_server
):
    world = build_world()
    purposes = {p.scope: p for p in do_ensure_default_purposes(school=world.school)}
    check_answer(
        acting_user=world.class_parent, pupil=world.class_parent_child, answers={purposes[Scope.CLASS]: True}
    )
    group_files = f"/media/groups/{world.group3.public_id}/"

    log_in(page, world.teacher)
    page.goto(group_files)
    page.get_by_label("Foto's, video's of documenten").set_input_files(
        [
            {"name": "kring.jpg", "mimeType": "image/jpeg", "buffer": astronaut_jpeg(1600)},
            {"name": "tekenen.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200)},
            {"name": "buiten.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 1600)},
        ]
    )
    page.get_by_role("button", name="Uploaden").click()
    page.locator('[data-testid="upload"][data-state="ready"]').nth(2).wait_for(timeout=60_000)
    kring = MediaFile.objects.get(original_name="kring.jpg")
    assert kring.withheld_at is not None  # a face was found: it waits for the teacher's check

    # Tag Yasmin (consent) on a photo without faces, and the face on kring.jpg as Daan (no consent).
    page.goto(f"/privacy/media/{MediaFile.objects.get(original_name='tekenen.jpg').public_id}/")
    page.get_by_test_id("add-child").select_option(label="Yasmin El Amrani")
    page.get_by_role("button", name="Kind toevoegen").click()
    page.goto(f"/groups/{world.group3.public_id}/")
    page.get_by_test_id("consent-link").click()
    page.get_by_role("link", name="Kinderen aanwijzen").click()
    assert page.get_by_test_id("face-box").count() == 1
    page.get_by_test_id("face-choice").select_option(label="Daan Mulder")
    page.get_by_role("button", name="Opslaan").click()

    # Showing the photos is refused, naming the child and the photo, with the two ways out.
    page.goto(f"/privacy/groups/{world.group3.public_id}/")
    page.get_by_test_id("release").click()
    refusal = page.locator(".message.error").first
    assert "Daan" in refusal.inner_text() and "kring.jpg" in refusal.inner_text()
    assert page.get_by_role("button", name="Laat de foto weg").count() == 1
    page.get_by_test_id("blur-child").click()
    assert FaceBox.objects.get(media=kring).blurred_at is not None
    page.get_by_test_id("release").click()
    page.get_by_text("De foto's zijn nu zichtbaar voor de ouders.").wait_for()
    kring.refresh_from_db()
    assert kring.withheld_at is None

    parent = open_phone(browser, live_server.url)
    images = []
    parent.on("response", lambda r: images.append(r) if r.request.resource_type == "image" else None)
    log_in(parent, world.parent)
    parent.goto(group_files)
    assert parent.locator('[data-testid="media-file"] img').count() == 3
    parent.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=media-file] img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    blurred_etags = {r.etag for r in kring.renditions.all()}
    served = [r for r in images if f"/media/{kring.public_id}/" in r.url]
    assert served and all(r.status == 200 and r.headers["etag"].strip('"') in blurred_etags for r in served)
    parent.context.close()
