"""Every state change of accounts: invitations, sign-in, sessions, two-factor and API tokens.

Invitation status lives in accounts.queries (`invitation_status(user)` for one user and
`with_invitation_status(users_qs)` to annotate many in one query); it is re-exported here.
"""

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import absolute_url, send_templated_email
from accounts.middleware import session_age_for
from accounts.models import Invitation, User, hash_token
from accounts.queries import invitation_status, with_invitation_status
from accounts.sessions import SESSION_IP_KEY, SESSION_USER_AGENT_KEY
from accounts.tokens import emailed_secret
from core import audit

__all__ = ["invitation_status", "with_invitation_status"]

INVITATION = "invitation"


def invitation_url(invitation: Invitation) -> str:
    token = emailed_secret(INVITATION, invitation.public_id)
    return absolute_url(reverse("accounts:invitation", args=[token]))


@transaction.atomic
def do_send_invitation(*, acting_user: User | None, user: User, school) -> Invitation:
    """Replace the user's open invitations with a new one and email its link once this commits."""
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    invitation = Invitation(
        user=user,
        school=school,
        created_by=acting_user,
        created_at=now,
        expires_at=now + settings.INVITATION_VALID_FOR,
    )
    invitation.token_hash = hash_token(emailed_secret(INVITATION, invitation.public_id))
    invitation.save()
    audit.record(actor=acting_user, action="invitation.sent", target=user, school=school)

    from accounts.tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


def do_email_invitation(*, invitation: Invitation) -> None:
    """Email an open invitation's link and note when it was handed to the mail server."""
    if not invitation.is_usable():
        return  # replaced or revoked before the queue got to it: the old link must not go out
    user = invitation.user
    send_templated_email(
        to=user.email,
        template="invitation",
        language=user.language,
        context={
            "user": user,
            "school": invitation.school,
            "url": invitation_url(invitation),
            "expires_at": invitation.expires_at,
        },
    )
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


class AccountError(Exception):
    """A refused account action; the message is translated and safe to show."""


# --- Signing in ---------------------------------------------------------------------------------------


def do_login(request, user: User, *, method: str = "other") -> None:
    """Sign a user in by any path: session lifetime by role, device facts, first activation, audit."""
    if not user.is_active:
        raise PermissionDenied  # suspended: no path may sign them in
    login(request, user, backend="accounts.backends.EmailBackend")
    request.session.set_expiry(int(session_age_for(user).total_seconds()))
    request.session[SESSION_USER_AGENT_KEY] = request.META.get("HTTP_USER_AGENT", "")[:300]
    request.session[SESSION_IP_KEY] = request.META.get("REMOTE_ADDR")
    if user.activated_at is None:
        user.activated_at = timezone.now()
        user.save(update_fields=["activated_at"])
    audit.record(actor=user, action="account.login", target=user, method=method)


@transaction.atomic
def do_accept_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str, language: str
) -> User:
    """Use an open invitation once: the invited user gets their names, password and language."""
    locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    user = locked.user
    if not locked.is_usable() or not user.is_active:
        raise AccountError(invitation_unusable_message())
    user.first_name, user.last_name, user.language = first_name, last_name, language
    user.set_password(password)
    user.save(update_fields=["first_name", "last_name", "language", "password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    audit.record(actor=user, action="invitation.accepted", target=user, school=locked.school)
    return user


def invitation_unusable_message() -> str:
    return _(
        "This invitation link has expired, was replaced by a newer one or has already been used. "
        "Please ask the school for a new invitation."
    )


# --- My account ---------------------------------------------------------------------------------------


def do_update_profile(*, acting_user: User, first_name: str, last_name: str, language: str) -> None:
    acting_user.first_name, acting_user.last_name, acting_user.language = first_name, last_name, language
    acting_user.save(update_fields=["first_name", "last_name", "language"])


def do_set_language(*, acting_user: User, language: str) -> None:
    acting_user.language = language
    acting_user.save(update_fields=["language"])
