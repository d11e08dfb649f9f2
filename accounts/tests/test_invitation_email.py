"""The invitation email end to end, through a real SMTP server in this process."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.actions import do_send_invitation
from accounts.models import Invitation, User
from accounts.tests.helpers import link_in
from core.testing import build_world


@pytest.fixture
def invited(db, smtp_server, django_capture_on_commit_callbacks):
    world = build_world()
    user = User.objects.create_user("nieuw@example.test", first_name="Iris", language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        do_send_invitation(acting_user=world.office, user=user, school=world.school)
    return user, smtp_server


def accept(client: Client, path: str):
    return client.post(
        path,
        {
            "first_name": "Iris",
            "last_name": "de Boer",
            "password1": "een lang geheim wachtwoord",
            "password2": "een lang geheim wachtwoord",
            "language": "nl",
        },
    )


class TestInvitationEmail:
    def test_it_arrives_with_a_text_and_an_html_part(self, invited):
        user, inbox = invited
        assert len(inbox.messages) == 1
        message = inbox.messages[0]
        assert message["To"] == "nieuw@example.test"
        assert "De Schakel" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert link_in(text, "/accounts/invitation/") == link_in(html, "/accounts/invitation/")
        assert "Beste Iris" in text
        assert "Mijn account instellen" in html
        assert Invitation.objects.get(user=user).sent_at is not None

    def test_it_opens_the_account_once(self, invited):
        user, inbox = invited
        path = link_in(inbox.messages[0].get_body(("plain",)).get_content(), "/accounts/invitation/")
        client = Client()
        assert client.get(path).status_code == 200
        response = accept(client, path)
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.has_activated and user.check_password("een lang geheim wachtwoord")
        second = accept(Client(), path)
        assert second.status_code == 404
        assert "vraag de school om een nieuwe uitnodiging" in second.content.decode().lower()

    def test_it_expires_after_fourteen_days(self, invited):
        user, inbox = invited
        path = link_in(inbox.messages[0].get_body(("plain",)).get_content(), "/accounts/invitation/")
        invitation = Invitation.objects.get(user=user)
        assert invitation.is_usable(at=invitation.created_at + timedelta(days=14) - timedelta(seconds=1))
        assert not invitation.is_usable(at=invitation.created_at + timedelta(days=14))
        # Fourteen days pass: move the invitation's clock back rather than the machine's.
        fourteen_days = timedelta(days=14)
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=invitation.created_at - fourteen_days, expires_at=invitation.expires_at - fourteen_days
        )
        assert Invitation.objects.get(pk=invitation.pk).expires_at <= timezone.now()
        response = Client().get(path)
        assert response.status_code == 404
        assert "verlopen" in response.content.decode()
