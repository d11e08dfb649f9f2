"""Real Chromium under the Content-Security-Policy: a parent, a teacher (two-factor verified) and a director
open the main pages and use them, and the browser refuses nothing.

Each context records every `securitypolicyviolation` event, every "Refused to …" console message, and the
policy every document and htmx/fetch answer of the app arrived with.
"""

import re

import pytest
from django.conf import settings
from django.utils.csp import build_policy
from playwright.sync_api import expect

from consent.actions import do_ensure_default_purposes
from consent.tests.helpers import astronaut_jpeg
from core.browser_testing import PHONE, CspRecorder, log_in
from core.testing import build_world
from core.viewer import verified
from media.actions import check_upload, do_process_media
from media.models import MediaFile
from media.tests.helpers import jpeg_bytes, upload_of
from posts.actions import Draft, check_publish_post
from posts.comment_actions import check_set_comments
from posts.models import Post
from posts.tests.helpers import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLICY = build_policy(settings.SECURE_CSP)


@pytest.fixture
def world(db):
    world = build_world()
    do_ensure_default_purposes(school=world.school)
    check_set_comments(acting_user=verified(world.teacher), group=world.group3, enabled=True)
    return world


def open_recorded(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=live_server.url)
    recorder = CspRecorder(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page, recorder


def visit(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")


def assert_nothing_refused(recorder: CspRecorder) -> None:
    assert recorder.violations == []
    assert recorder.refusals == []
    policies = recorder.policies()
    assert len(policies) >= 10
    assert {path: policy for path, policy in policies.items() if policy != POLICY} == {}


def publish(teacher, title: str, **fields) -> Post:
    return check_publish_post(
        acting_user=verified(teacher), groups=[fields.pop("group")], draft=Draft(title=title, **fields)
    )


def test_a_parent_meets_no_refusal(browser, live_server, world):
    photos = [
        check_upload(acting_user=world.teacher, school=world.school, upload=upload_of(name, jpeg_bytes()))
        for name in ("bos-1.jpg", "bos-2.jpg")
    ]
    trip = check_publish_post(
        acting_user=verified(world.teacher),
        groups=[world.group3],
        draft=Draft(title="Herfstwandeling", body="Wat een <b>mooie</b> dag!"),
        media_files=photos,
    )
    event = publish(
        world.teacher,
        "Kijkavond",
        group=world.group3,
        kind="event",
        starts_at=in_days(7),
        respond_by=in_days(5),
    )
    page, recorder = open_recorded(browser, live_server)
    log_in(page, world.parent)

    # The feed: the group filter sends itself (data-autosubmit), a reaction goes through htmx.
    visit(page, "/posts/")
    page.get_by_label("Groep", exact=True).select_option(label="Groep 3")
    page.wait_for_url(re.compile(rf"group={world.group3.public_id}"))
    card = page.get_by_test_id("post").filter(has_text="Herfstwandeling")
    card.get_by_test_id("reaction-heart").click()
    page.locator('[data-testid="reaction-heart"][aria-pressed="true"]').wait_for()
    assert f"group={world.group3.public_id}" in page.url  # the reaction did not leave the page

    # A post with photos, all loaded; an invitation answered.
    visit(page, f"/posts/{trip.public_id}/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=photos] img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert page.get_by_test_id("photos").locator("img").count() == 2
    visit(page, f"/posts/{event.public_id}/")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    page.get_by_test_id("my-rsvp").wait_for()

    # The calendar address selects itself when clicked (data-select-on-click).
    visit(page, "/calendar/")
    page.locator("form[action$='/calendar/address/'] button").first.click()
    address = page.get_by_test_id("feed-url")
    address.click()
    assert address.evaluate("el => [el.selectionStart, el.selectionEnd]") == [0, len(address.input_value())]

    # Messages: a new one to the class, then its thread (which polls through htmx).
    visit(page, "/messages/new/")
    page.get_by_test_id("child").filter(has_text="Daan").get_by_role("link").click()
    page.get_by_label("Onderwerp").fill("Tandarts")
    page.get_by_label("Bericht").fill("Daan gaat morgen naar de tandarts.")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_url(re.compile(r"/messages/[\w-]{16}/$"))
    page.wait_for_load_state("networkidle")

    # A new token is shown in a class that breaks it anywhere (it was a style attribute).
    visit(page, "/accounts/tokens/")
    page.locator("main form input[name=name]").fill("Mijn app")
    page.locator("main form button[type=submit]").first.click()
    secret = page.get_by_test_id("new-token").locator("code")
    assert secret.evaluate("el => getComputedStyle(el).wordBreak") == "break-all"

    for path in (
        "/",
        "/messages/",
        "/absences/",
        "/absences/new/",
        "/absences/sick/",
        "/notifications/",
        "/notifications/preferences/",
        "/privacy/",
        "/moderation/",
        "/moderation/rules/",
        f"/moderation/report/post/{trip.public_id}/",
        f"/groups/{world.group3.public_id}/album/",
        f"/media/groups/{world.group3.public_id}/",
        "/accounts/settings/",
        "/accounts/devices/",
    ):
        visit(page, path)

    # Web push: the page's script and the service worker run under the policy too.
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    visit(page, "/notifications/")
    page.get_by_role("button", name="Meldingen ontvangen op dit apparaat").click()
    expect(page.locator("#push-status")).not_to_be_empty(timeout=30_000)
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => r && r.scope)") == (
        f"{live_server.url}/"
    )
    assert_nothing_refused(recorder)
    page.context.close()


def test_a_teacher_meets_no_refusal(browser, live_server, world, settings):
    page, recorder = open_recorded(browser, live_server)
    log_in(page, world.teacher)  # password and authenticator code

    # The check-the-photos step: the step polls through htmx until the worker has processed the photo,
    # and the face box sits where the detector found the face (its place comes from static CSS).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    visit(page, "/posts/new/")
    page.get_by_label("Groep 3", exact=True).check()
    page.get_by_label("Titel").fill("In de kring")
    page.get_by_label("Foto's, video's of documenten").set_input_files(
        [{"name": "kring.jpg", "mimeType": "image/jpeg", "buffer": astronaut_jpeg(800)}]
    )
    publish_button = page.get_by_role("button", name="Plaatsen", exact=True)
    publish_button.click()
    block = page.get_by_test_id("compose-photo")
    assert block.get_attribute("data-state") == "uploaded"
    do_process_media(media_id=MediaFile.objects.get().id)
    page.locator('[data-testid="compose-photo"][data-state="ready"]').wait_for(timeout=15_000)
    box = block.get_by_test_id("face-box")
    assert box.count() == 1
    # Measure once the photo has loaded: before that its frame has no height (seen on a busy machine).
    page.wait_for_function(
        "el => el.parentElement.getBoundingClientRect().height > 0", arg=box.element_handle()
    )
    placed = box.evaluate(
        """el => {
          const frame = el.parentElement.getBoundingClientRect(), own = el.getBoundingClientRect();
          return [[own.left - frame.left, frame.width * el.dataset.left / 100],
                  [own.top - frame.top, frame.height * el.dataset.top / 100],
                  [own.width, frame.width * el.dataset.width / 100],
                  [own.height, frame.height * el.dataset.height / 100]];
        }"""
    )
    assert all(abs(shown - wanted) < 1.5 for shown, wanted in placed), placed
    assert placed[2][1] > 10  # a real box, not an empty one at the corner
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    publish_button.click()
    page.wait_for_url(re.compile(r"/posts/[\w-]{16}/$"))
    photo = MediaFile.objects.get()

    # Deleting asks first (data-confirm): cancelled, the post stays; confirmed, it goes.
    doomed = publish(world.teacher, "Weg ermee", group=world.group3)
    visit(page, f"/posts/{doomed.public_id}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Verwijderen").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/posts/{doomed.public_id}/") and Post.objects.filter(id=doomed.id).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Verwijderen").click()
    page.wait_for_url(re.compile(r"/posts/$"))
    assert not Post.objects.filter(id=doomed.id).exists()

    # The QR code of a new authenticator keeps its size from the style sheet.
    visit(page, "/accounts/two-factor/setup/?replace=1")
    assert page.locator(".qr").evaluate("el => getComputedStyle(el).maxWidth") == "224px"

    for path in (
        "/",
        "/posts/",
        f"/privacy/media/{photo.public_id}/",
        "/privacy/tasks/",
        f"/privacy/groups/{world.group3.public_id}/",
        f"/groups/{world.group3.public_id}/",
        "/messages/",
        f"/messages/availability/{world.school.public_id}/",
        "/absences/",
        "/absences/overview/",
        "/notifications/",
        "/moderation/queue/",
        "/calendar/",
    ):
        visit(page, path)
    assert_nothing_refused(recorder)
    page.context.close()


def test_a_director_meets_no_refusal(browser, live_server, world):
    page, recorder = open_recorded(browser, live_server)
    log_in(page, world.director)
    school = world.school.public_id

    # School administration: the pupil search answers through htmx as one types.
    visit(page, f"/school/{school}/pupils/")
    page.get_by_role("searchbox").fill("lars")
    page.locator("#results").filter(has_text="Lars Dekker").wait_for()
    page.wait_for_url(re.compile(r"q=lars"))

    for path in (
        "/",
        f"/school/{school}/",
        f"/school/{school}/guardians/",
        f"/school/{school}/groups/",
        f"/school/{school}/staff/",
        f"/privacy/school/{school}/",
        f"/moderation/schools/{school}/rules/",
        f"/moderation/schools/{school}/terms/",
        f"/moderation/schools/{school}/suspensions/",
        f"/moderation/schools/{school}/feedback/",
        f"/moderation/schools/{school}/audit/",
        "/moderation/queue/",
        f"/school/{school}/timeline/",
        f"/messages/school/{school}/",
        f"/absences/school/{school}/",
        "/absences/overview/",
        "/posts/new/",
    ):
        visit(page, path)
    assert_nothing_refused(recorder)
    page.context.close()
