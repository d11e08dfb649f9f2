"""Background work for accounts: each task loads its row by id and calls an action."""

from django.tasks import task

from accounts import actions
from accounts.models import Invitation, LoginLink, User


@task()
def send_invitation_email(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("user", "school").filter(pk=invitation_id).first()
    if invitation is not None:
        actions.do_email_invitation(invitation=invitation)


@task()
def send_login_link_email(link_id: int) -> None:
    link = LoginLink.objects.select_related("user").filter(pk=link_id).first()
    if link is not None:
        actions.do_email_login_link(link=link)


@task()
def send_password_reset_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        actions.do_email_password_reset(user=user)
