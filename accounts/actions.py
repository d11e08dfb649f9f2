"""Every state change of accounts: invitations, sign-in, sessions, two-factor and API tokens.

Invitation status lives in accounts.queries (`invitation_status(user)` for one user and
`with_invitation_status(users_qs)` to annotate many in one query); it is re-exported here.
"""

import secrets

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mail import absolute_url, send_templated_email
from accounts.middleware import session_age_for
from accounts.models import ApiToken, Invitation, LoginLink, User, UserSession, hash_token
from accounts.queries import invitation_status, with_invitation_status
from accounts.sessions import SESSION_IP_KEY, SESSION_USER_AGENT_KEY
from accounts.tokens import emailed_secret
from accounts.twofactor import needs_two_factor
from core import audit
from core.client_address import client_ip
from core.ratelimit import is_rate_limited
from core.refusals import Invalid, NotAllowed, Refused, TooManyAttempts
from core.viewer import is_two_factor_verified
from schools.queries import has_any_staff_role

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


# --- Signing in ---------------------------------------------------------------------------------------


def do_login(request, user: User, *, method: str = "other") -> None:
    """Sign a user in by any path: session lifetime by role, device facts, first activation, audit."""
    if not user.is_active:
        raise PermissionDenied  # suspended: no path may sign them in
    login(request, user, backend="accounts.backends.EmailBackend")
    request.session.set_expiry(int(session_age_for(user).total_seconds()))
    request.session[SESSION_USER_AGENT_KEY] = request.META.get("HTTP_USER_AGENT", "")[:300]
    request.session[SESSION_IP_KEY] = client_ip(request)
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
        raise Invalid(invitation_unusable_message(), code="invitation_unusable")
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


# --- Login links --------------------------------------------------------------------------------------

LOGIN_LINK = "login-link"


def login_link_url(link: LoginLink) -> str:
    return absolute_url(reverse("accounts:login_link_use", args=[emailed_secret(LOGIN_LINK, link.public_id)]))


@transaction.atomic
def do_send_login_link(*, email: str) -> LoginLink | None:
    """Email a single-use login link to an activated, active account; unknown addresses get nothing.

    Accounts that never accepted their invitation are not sent one: the invitation is how one joins.
    """
    user = User.objects.filter(
        email=email.strip().lower(), is_active=True, activated_at__isnull=False
    ).first()
    if user is None:
        return None
    now = timezone.now()
    link = LoginLink(user=user, created_at=now, expires_at=now + settings.LOGIN_LINK_VALID_FOR)
    link.token_hash = hash_token(emailed_secret(LOGIN_LINK, link.public_id))
    link.save()

    from accounts.tasks import send_login_link_email

    transaction.on_commit(lambda: send_login_link_email.enqueue(link.pk))
    return link


def do_email_login_link(*, link: LoginLink) -> None:
    if not link.is_usable():
        return
    send_templated_email(
        to=link.user.email,
        template="login_link",
        language=link.user.language,
        context={"user": link.user, "url": login_link_url(link), "expires_at": link.expires_at},
    )


@transaction.atomic
def check_use_login_link(*, token: str) -> User:
    """Spend a login link (and any other open ones of that user); the user it signs in."""
    link = (
        LoginLink.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None or not link.is_usable() or not link.user.is_active:
        raise Invalid(login_link_unusable_message(), code="login_link_unusable")
    LoginLink.objects.filter(user=link.user, used_at__isnull=True).update(used_at=timezone.now())
    return link.user


def login_link_unusable_message() -> str:
    return _(
        "This login link has expired or has already been used. "
        "Request a new one, or log in with your password."
    )


# --- Passwords ----------------------------------------------------------------------------------------


def do_send_password_reset(*, email: str) -> None:
    """Email a reset link to an active account with a password; unknown addresses get nothing."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return

    from accounts.tasks import send_password_reset_email

    transaction.on_commit(lambda: send_password_reset_email.enqueue(user.pk))


def do_email_password_reset(*, user: User) -> None:
    """Email a reset link; the token comes from the user's state, so a new password kills it."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_templated_email(
        to=user.email,
        template="password_reset",
        language=user.language,
        context={"user": user, "url": absolute_url(path)},
    )


def _shut_out_old_password(user: User, *, keep_session_key: str | None) -> dict:
    """After a new password: sign out every other device and revoke every API token of the user.

    Whoever knew the old password may have signed in or made a token with it; neither outlives it.
    """
    others = UserSession.objects.filter(user=user)
    if keep_session_key:
        others = others.exclude(session_key=keep_session_key)
    sessions, _details = others.delete()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return {"sessions": sessions, "tokens": tokens}


@transaction.atomic
def do_change_password(*, acting_user: User, password: str, keep_session_key: str | None) -> None:
    """Set a new password, sign out every other device of the user and revoke their API tokens."""
    acting_user.set_password(password)
    acting_user.save(update_fields=["password"])
    ended = _shut_out_old_password(acting_user, keep_session_key=keep_session_key)
    audit.record(actor=acting_user, action="account.password_changed", target=acting_user, **ended)


@transaction.atomic
def do_after_password_reset(*, user: User) -> None:
    """A password was set through a reset link: sign out every device and revoke every API token."""
    ended = _shut_out_old_password(user, keep_session_key=None)
    audit.record(actor=user, action="account.password_reset", target=user, **ended)


# --- Devices ------------------------------------------------------------------------------------------


def do_end_session(*, acting_user: User, session: UserSession) -> None:
    """Sign out one device."""
    session.delete()
    audit.record(actor=acting_user, action="account.device_logged_out", target=session)


def do_end_other_sessions(*, acting_user: User, keep_session_key: str) -> int:
    """Sign out every device but this one; how many were signed out."""
    count, _details = (
        UserSession.objects.filter(user=acting_user).exclude(session_key=keep_session_key).delete()
    )
    audit.record(
        actor=acting_user, action="account.other_devices_logged_out", target=acting_user, count=count
    )
    return count


# --- Two-factor ---------------------------------------------------------------------------------------


def do_start_two_factor_setup(*, acting_user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made now if there is none yet."""
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=acting_user, name=_("Authenticator app"), confirmed=False)
    return device


def check_confirm_two_factor(request, *, acting_user: User, code: str) -> TOTPDevice:
    """Confirm the new device with a code from the app; the session counts as verified from now on.

    Guessing is slowed as on the verify step (`check_verify_two_factor`): a signed-in password alone must
    not buy unlimited tries at binding a device.
    """
    device = _device_accepting(request, user=acting_user, code=code, confirmed=False)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
        otp_login(request, device)
        audit.record(actor=acting_user, action="account.two_factor_enabled", target=acting_user)
    return device


TWO_FACTOR_FAILURES_KEY = "_two_factor_failures"


class SignedOut(Refused):
    """The refusal ended the session: the user must sign in again."""

    status = 401
    default_code = "signed_out"


def wrong_code_message() -> str:
    return _("That code is not right. Check the time on your phone and try the newest code.")


def signed_out_after_wrong_codes_message() -> str:
    return _(
        "That code was wrong too often, so you have been signed out. Sign in again and use the newest "
        "code from your authenticator app."
    )


def _device_accepting(request, *, user: User, code: str, confirmed: bool = True) -> TOTPDevice:
    """The user's device (confirmed, or the one being set up) that accepts the code; else a refusal.

    Guessing is slowed three ways: the device waits longer after each wrong code (django-otp), the
    account has a limit per window (settings.RATE_LIMITS["two_factor"]), and a session that gave
    settings.TWO_FACTOR_MAX_FAILURES wrong codes is ended (SignedOut).
    """
    if is_rate_limited("two_factor", ip=client_ip(request), account=f"user:{user.pk}"):
        raise TooManyAttempts(too_many_attempts_message())
    # Its own transaction, which commits either way: django-otp makes each device wait longer after every
    # wrong code, and that count must not roll back with the refusal.
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=confirmed))
        if devices and not any(device.verify_is_allowed()[0] for device in devices):
            raise TooManyAttempts(
                _("After a wrong code you have to wait a little longer each time. Try again in a minute.")
            )
        accepting = next((device for device in devices if device.verify_token(code)), None)
    if accepting is not None:
        request.session.pop(TWO_FACTOR_FAILURES_KEY, None)
        return accepting
    failures = request.session.get(TWO_FACTOR_FAILURES_KEY, 0) + 1
    audit.record(actor=user, action="account.two_factor_failed", target=user, failures=failures)
    if failures >= settings.TWO_FACTOR_MAX_FAILURES:
        logout(request)
        raise SignedOut(signed_out_after_wrong_codes_message())
    request.session[TWO_FACTOR_FAILURES_KEY] = failures
    raise Invalid(wrong_code_message(), code="wrong_code")


def check_verify_two_factor(request, *, acting_user: User, code: str) -> TOTPDevice:
    """Verify this session with a code from a confirmed device (guessing slowed: `_device_accepting`)."""
    device = _device_accepting(request, user=acting_user, code=code)
    otp_login(request, device)
    audit.record(actor=acting_user, action="account.two_factor_verified", target=acting_user)
    return device


def too_many_attempts_message() -> str:
    return _("Too many attempts. Please wait a quarter of an hour and try again.")


# --- API tokens ---------------------------------------------------------------------------------------

API_TOKEN_PREFIX = "sp_"


def api_token_lifetime(user: User):
    """Staff tokens carry two-factor proof, so they expire sooner than parents' (both are settings)."""
    return settings.API_TOKEN_STAFF_AGE if has_any_staff_role(user) else settings.API_TOKEN_PARENT_AGE


def check_create_api_token(*, acting_user: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token; the secret is returned once and only its digest is kept.

    Staff may only make one from a two-factor-verified session, because a token carries that proof
    until it expires. (The API takes this only from a session: a token cannot make a younger token.)
    """
    name = name.strip()
    if not name:
        raise Invalid(_("Give the token a name, so you can recognise it later."), code="name")
    if needs_two_factor(acting_user):
        raise NotAllowed(_("Confirm your sign-in with two-step verification before you make a token."))
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=acting_user,
        name=name[:80],
        token_hash=hash_token(secret),
        prefix=secret[:10],
        expires_at=timezone.now() + api_token_lifetime(acting_user),
        two_factor=is_two_factor_verified(acting_user),
    )
    audit.record(actor=acting_user, action="account.api_token_created", target=token)
    return token, secret


def do_revoke_api_token(*, acting_user: User, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=acting_user, action="account.api_token_revoked", target=token)
