"""Real Chromium at phone width: the office adds a parent and invites them; the director moves a pupil."""

import re

import pytest
from django.core import mail

from accounts.models import Invitation
from core.browser_testing import go_to, log_in, my_groups, open_phone
from core.testing import build_world
from schools.models import Guardianship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_the_office_add_a_guardian_and_send_the_invitation(page, live_server):
    world = build_world()
    log_in(page, world.office)
    go_to(page, "Beheer")
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
    parent = open_phone(browser, live_server.url)
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
