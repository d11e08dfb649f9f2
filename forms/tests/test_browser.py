"""Real Chromium at phone width: a permission slip for an excursion, end to end.

The teacher sends it, a parent answers on a phone from the home page, and the teacher sees the list per child.
"""

import datetime

import pytest
from django.utils import timezone

from core.browser_testing import PHONE, CspRecorder, go_to, log_in
from core.testing import build_world
from forms.models import Form, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_permission_slip_for_an_excursion_end_to_end(page, browser, live_server):
    world = build_world()
    closes = timezone.localtime(timezone.now() + datetime.timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")

    # The teacher writes the permission slip for Groep 3, with one more question.
    log_in(page, world.teacher)
    go_to(page, "Formulieren")
    page.get_by_role("link", name="Nieuw formulier").click()
    page.locator("[name=kind]").select_option("permission")
    page.get_by_label("Titel").fill("Excursie naar Blijdorp op 14 mei")
    page.get_by_label("Groep 3").check()
    page.get_by_label("Kinderen met twee ouders/verzorgers").select_option("one")
    page.get_by_label("Sluit op").fill(closes)
    page.locator("[name=q-0-text]").fill("Allergieën of medicijnen?")
    page.locator("[name=q-0-kind]").select_option("text")
    page.locator("[name=q-0-required]").uncheck()
    page.get_by_role("button", name="Formulier versturen").click()
    page.get_by_text("Het formulier is verstuurd.").wait_for()
    form = Form.objects.get()
    assert (form.kind, form.questions.count()) == ("permission", 2)

    # The parent sees it on top of the home page and answers on the phone.
    context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=live_server.url)
    csp = CspRecorder(context, live_server.url)
    parent = context.new_page()
    parent.set_default_timeout(10_000)
    log_in(parent, world.parent)
    parent.get_by_test_id("open-form").get_by_text("Excursie naar Blijdorp op 14 mei").click()
    parent.get_by_label("Ja").check()
    parent.get_by_role("textbox", name="Allergieën of medicijnen?").fill("Pinda's")
    parent.get_by_role("button", name="Antwoord versturen").click()
    parent.get_by_text("Dank u wel, uw antwoord is opgeslagen.").wait_for()
    assert parent.get_by_test_id("answered").inner_text().startswith("Beantwoord door Sanne")
    response = Response.objects.get()
    assert (response.pupil, response.answered_by) == (world.child, world.parent)

    # The teacher reads the list per child: Daan yes, Yasmin not yet.
    page.goto(f"/forms/{form.public_id}/results/")
    page.get_by_role("link", name="Lijst per kind").first.click()
    rows = {
        row.locator("strong").inner_text(): row.get_by_test_id("status").inner_text()
        for row in page.get_by_test_id("child-row").all()
    }
    assert rows == {"Daan Mulder": "Ja", "Yasmin El Amrani": "Nog niet"}
    assert "Pinda's" in page.get_by_test_id("child-row").first.inner_text()
    context.close()
    assert csp.violations == [] and csp.refusals == [], (csp.violations, csp.refusals)
