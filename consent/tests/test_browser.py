"""Real Chromium at phone width: a teacher posts three photos, tags children, is stopped by a missing
consent, blurs the child and publishes; a parent of that child sees the blurred photo."""

import pytest
from playwright.sync_api import expect

from consent.actions import check_answer, do_ensure_default_purposes
from consent.models import FaceBox, PhotoTag, Scope
from consent.tests.helpers import astronaut_jpeg
from core.browser_testing import log_in, open_phone
from core.testing import build_world
from media.models import MediaFile
from media.tests.helpers import jpeg_bytes
from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_is_stopped_blurs_the_child_publishes_and_the_parent_sees_the_blurred_photo(
    page, browser, live_server
):
    world = build_world()
    purposes = {p.scope: p for p in do_ensure_default_purposes(school=world.school)}
    check_answer(
        acting_user=world.class_parent, pupil=world.class_parent_child, answers={purposes[Scope.CLASS]: True}
    )

    log_in(page, world.teacher)
    page.goto("/posts/new/")
    page.get_by_label("Groep 3").check()
    page.get_by_label("Titel").fill("In de kring")
    page.get_by_label("Foto's, video's of documenten").set_input_files(
        [
            {"name": "kring.jpg", "mimeType": "image/jpeg", "buffer": astronaut_jpeg(1600)},
            {"name": "tekenen.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200)},
            {"name": "buiten.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 1600)},
        ]
    )
    publish = page.get_by_role("button", name="Plaatsen", exact=True)
    publish.click()

    # The photos are uploaded, not published: the check step shows each one once it is processed.
    page.locator('[data-testid="compose-photo"][data-state="ready"]').nth(2).wait_for(timeout=60_000)
    assert not Post.objects.exists()
    kring = MediaFile.objects.get(original_name="kring.jpg")
    unblurred = {r.etag for r in kring.renditions.all()}
    photo = {
        name: page.locator(f'[data-testid="compose-photo"][data-name="{name}"]')
        for name in ("kring.jpg", "tekenen.jpg")
    }
    assert photo["kring.jpg"].get_by_test_id("face-box").count() == 1
    assert photo["tekenen.jpg"].get_by_test_id("face-box").count() == 0

    # Yasmin (consent) on a photo without faces; the face on kring.jpg is Daan (no consent).
    # The picker: the class's names as buttons under a search field (consent/static/consent/picker.js).
    photo["tekenen.jpg"].locator(".picker").last.get_by_role("button", name="Yasmin E.").click()
    face_picker = photo["kring.jpg"].locator(".picker").first
    face_picker.get_by_role("searchbox").fill("daa")
    assert face_picker.get_by_role("button").all_inner_texts()[0] == "Daan M."
    face_picker.get_by_role("button", name="Daan M.").click()
    publish.click()

    # Publishing is refused, naming the child and the photo, with the two ways out on that photo.
    refusal = page.locator(".messages .message.error").first
    refusal.wait_for()
    assert "Daan" in refusal.inner_text() and "kring.jpg" in refusal.inner_text()
    assert not Post.objects.exists()
    assert {t.pupil.first_name for t in PhotoTag.objects.select_related("pupil")} == {"Daan", "Yasmin"}
    assert photo["kring.jpg"].get_by_role("button", name="Laat de foto weg").count() == 1
    assert page.get_by_test_id("problem").count() == 1
    photo["kring.jpg"].get_by_test_id("blur-child").click()
    page.get_by_text("Het gezicht is in elk formaat van de foto onherkenbaar gemaakt.").wait_for()
    assert FaceBox.objects.get(media=kring).blurred_at is not None
    assert page.get_by_test_id("problem").count() == 0

    publish.click()
    page.get_by_text("Uw bericht is geplaatst.").wait_for()
    post = Post.objects.get()
    assert post.published_at is not None
    assert list(MediaFile.objects.filter(carrier_id=post.id).values_list("original_name", flat=True)) == [
        "kring.jpg",
        "tekenen.jpg",
        "buiten.jpg",
    ]
    blurred = {r.etag for r in kring.renditions.all()}
    assert blurred and blurred.isdisjoint(unblurred)

    parent = open_phone(browser, live_server.url)
    images = []
    parent.on("response", lambda r: images.append(r) if r.request.resource_type == "image" else None)
    log_in(parent, world.parent)
    parent.goto(f"/posts/{post.public_id}/")
    shown = parent.locator(f'main img[src*="/media/{kring.public_id}/"]')
    assert shown.count() == 1
    shown.evaluate("img => img.complete && img.naturalWidth > 0 || new Promise(ok => img.onload = ok)")
    served = [r for r in images if f"/media/{kring.public_id}/" in r.url]
    assert served and all(r.status == 200 and r.headers["etag"].strip('"') in blurred for r in served)
    parent.context.close()


def send_one_photo(page):
    """Write a post to Groep 3 with one photo of a face and press "Plaatsen": the check step follows."""
    page.goto("/posts/new/")
    page.get_by_label("Groep 3", exact=True).check()
    page.get_by_label("Titel").fill("In de kring")
    page.get_by_label("Foto's, video's of documenten").set_input_files(
        [{"name": "kring.jpg", "mimeType": "image/jpeg", "buffer": astronaut_jpeg(800)}]
    )
    page.get_by_role("button", name="Plaatsen", exact=True).click()


def test_the_check_step_refreshes_itself_until_the_photo_is_processed(page, live_server, settings):
    """With a task worker the photo is not ready yet when the step appears; htmx asks again until it is."""
    from media.actions import do_process_media

    world = build_world()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    log_in(page, world.director)  # sees every child of the school: the ticked group narrows the choice
    send_one_photo(page)
    block = page.get_by_test_id("compose-photo")
    assert block.get_attribute("data-state") == "uploaded"
    assert "Wordt nog verwerkt" in block.inner_text()

    do_process_media(media_id=MediaFile.objects.get().id)  # what the worker does
    page.locator('[data-testid="compose-photo"][data-state="ready"]').wait_for(timeout=15_000)
    assert block.get_by_test_id("face-box").count() == 1
    choices = block.get_by_test_id("face-choice").locator("option").all_inner_texts()
    assert "Daan M." in choices and "Lars D." not in choices  # the ticked group's children
    # swapped in: htmx fires htmx:load, which makes the picker, a moment after the swap
    expect(block.locator(".picker").first.get_by_role("button", name="Daan M.")).to_be_visible()
