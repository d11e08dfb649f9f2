"""Real Chromium at phone width: the office adds a parent and invites them; the director moves a pupil."""

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation
from core.testing import PASSWORD, build_world
from schools.models import Guardianship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="nl-NL", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def log_in(page, user):
    """Through the real login page; staff also enter the code from their authenticator."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
        page.locator("main input[name=code]").fill(f"{totp(device.bin_key):06d}")
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))


def my_groups(page) -> set[str]:
    page.goto("/")
    return {text.split("\n")[0] for text in page.get_by_test_id("group").all_inner_texts()}


def test_it_lets_the_office_add_a_guardian_and_send_the_invitation(page, live_server):
    world = build_world()
    log_in(page, world.office)
    page.get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Leerlingen").first.click()
    page.get_by_role("searchbox").fill("lars")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=re.compile("Lars Dekker")).click()
    page.get_by_role("link", name="Ouder toevoegen").click()
    page.get_by_label("E-mailadres").fill("Moeder.Dekker@example.test")
    page.get_by_label("Voornaam").fill("Ilse")
    page.get_by_label("Achternaam").fill("Dekker")
    page.get_by_label("Relatie tot de leerling").select_option("mother")
    page.get_by_label("Stuur de uitnodiging nu").check()
    page.get_by_role("button", name="Ouder toevoegen").click()

    page.get_by_text("Ilse Dekker is nu ouder/verzorger van Lars Dekker.").wait_for()
    guardian = page.get_by_test_id("guardian").filter(has_text="Ilse Dekker")
    assert "uitgenodigd" in guardian.inner_text()
    guardianship = Guardianship.objects.get(
        pupil=world.outsider_child, guardian__email="moeder.dekker@example.test"
    )
    assert guardianship.relation == "mother"
    assert Invitation.objects.get(user=guardianship.guardian).is_usable()
    assert [m.to for m in mail.outbox] == [["moeder.dekker@example.test"]]


def test_it_lets_the_director_move_a_pupil_and_the_parents_groups_follow(page, browser, live_server):
    world = build_world()
    parent = phone(browser, live_server)
    log_in(parent, world.parent)
    assert my_groups(parent) == {"De Schakel", "Groep 3", "Groep 6"}

    log_in(page, world.director)
    page.goto(f"/school/{world.school.public_id}/pupils/{world.child.public_id}/")
    page.get_by_label("Verplaatsen naar groep").select_option(label="Groep 4")
    page.get_by_role("button", name="Verplaatsen").click()
    page.get_by_text("Daan Mulder zit nu in Groep 4.").wait_for()
    assert page.get_by_test_id("current-class").inner_text() == "Groep 4"

    assert my_groups(parent) == {"De Schakel", "Groep 4", "Groep 6"}
    parent.context.close()
