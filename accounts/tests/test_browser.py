"""Real Chromium at phone width against the live server: the ways into Schoolplein."""

import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import do_send_invitation
from accounts.models import User
from accounts.tests.helpers import current_code, link_in
from core.browser_testing import HOME, go_to
from core.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_with_password(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def group_names(page) -> set[str]:
    """The groups listed on the "More" page (the tab bar's last tab)."""
    page.get_by_test_id("tabbar").get_by_role("link", name="Meer").click()
    page.wait_for_url(re.compile(r"/more/$"))
    page.get_by_test_id("group").first.wait_for()
    return {text.split("\n")[0].strip() for text in page.get_by_test_id("group").all_inner_texts()}


def test_it_accepts_an_invitation_from_a_real_email(page, live_server, smtp_server, settings):
    settings.SITE_URL = live_server.url
    world = build_world()
    user = User.objects.create_user("nieuw@example.test", first_name="Iris")
    do_send_invitation(acting_user=world.office, user=user, school=world.school)
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    page.goto(link_in(text, "/accounts/invitation/"))
    page.get_by_label("Achternaam").fill("de Boer")
    page.locator("#id_password1").fill("een lang geheim wachtwoord")
    page.locator("#id_password2").fill("een lang geheim wachtwoord")
    page.get_by_role("button", name="Mijn account aanmaken").click()
    page.wait_for_url(HOME)
    assert "Welkom bij Schoolplein" in page.content()
    assert User.objects.get(pk=user.pk).has_activated


def test_it_logs_in_with_a_login_link(page, live_server, smtp_server, settings):
    settings.SITE_URL = live_server.url
    build_world()
    User.objects.filter(email="ouder@example.test").update(activated_at=timezone.now())
    page.goto("/accounts/login/")
    page.get_by_role("link", name="stuur mij een inloglink").click()
    page.get_by_label("E-mailadres").fill("ouder@example.test")
    page.get_by_role("button", name="Link versturen").click()
    page.get_by_test_id("login-link-sent").wait_for()
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    page.goto(link_in(html, "/accounts/login-link/"))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(HOME)
    assert page.get_by_role("heading", name=re.compile("Sanne")).is_visible()


def test_it_logs_in_with_a_password_and_shows_my_groups(page, live_server):
    build_world()
    log_in_with_password(page, "ouder@example.test")
    page.wait_for_url(HOME)
    assert group_names(page) == {"De Schakel", "Groep 3", "Groep 6"}


def test_it_switches_the_language_and_back(page, live_server):
    build_world()
    log_in_with_password(page, "ouder@example.test")
    page.wait_for_url(HOME)
    go_to(page, "Mijn account")
    assert page.get_by_role("heading", name="Mijn account").is_visible()
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="My account").wait_for()
    assert User.objects.get(email="ouder@example.test").language == "en"
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("heading", name="Mijn account").wait_for()


def test_it_asks_staff_for_the_authenticator_code(page, live_server):
    world = build_world()
    log_in_with_password(page, "anna@schakel.test")
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    device = TOTPDevice.objects.get(user=world.teacher)
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(HOME)
    assert "Groep 3" in group_names(page)
