"""Background work for accounts: each task loads its row by id and calls an action."""

from django.tasks import task

from accounts import actions
from accounts.models import Invitation


@task()
def send_invitation_email(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("user", "school").filter(pk=invitation_id).first()
    if invitation is not None:
        actions.do_email_invitation(invitation=invitation)
