from base64 import b32encode
from functools import wraps

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from accounts import actions
from accounts.access import access_api_token, access_session
from accounts.devices import describe_user_agent
from accounts.forms import (
    CodeForm,
    EmailForm,
    InvitationForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    TokenForm,
)
from accounts.models import LoginLink, hash_token
from accounts.queries import sessions_of, tokens_of, usable_invitation
from accounts.twofactor import needs_two_factor, two_factor_url
from core.client_address import client_ip
from core.ratelimit import is_rate_limited
from core.refusals import Refused, TooManyAttempts
from core.viewer import is_two_factor_verified
from schools.queries import has_any_staff_role


def safe_next(request, default: str = "") -> str:
    """The `next` parameter if it points inside this site, else `default` (the home page)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default or reverse("core:home")


def after_login(request, next_url: str) -> HttpResponseRedirect:
    """Continue to `next`, through two-factor first when the user is staff."""
    if needs_two_factor(request.user):
        return redirect(two_factor_url(request.user, next_url))
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = safe_next(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        if is_rate_limited("login", ip=client_ip(request), account=request.POST.get("email")):
            context.update(form=LoginForm(request), limited=actions.too_many_attempts_message())
            return render(request, "accounts/login.html", context, status=429)
        if form.is_valid():
            actions.do_login(request, form.user, method="password")
            return after_login(request, next_url)
    return render(request, "accounts/login.html", context)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@require_POST
def language_view(request):
    """Switch the interface language: stored on the account when signed in, else in a cookie."""
    language = request.POST.get("language", "")
    response = redirect(safe_next(request))
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        actions.do_set_language(acting_user=request.user, language=language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.do_update_profile(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:settings")
    context = {"form": form, "is_staff_member": has_any_staff_role(request.user)}
    return render(request, "accounts/settings.html", context)


def unusable_link(request, text: str):
    """A clear page for a link that does not work (any more); 404 like a link that never existed."""
    return render(
        request,
        "accounts/link_unusable.html",
        {"title": _("This link does not work"), "text": text},
        status=404,
    )


@require_http_methods(["GET", "POST"])
def invitation_view(request, token: str):
    invitation = usable_invitation(token)
    if invitation is None:
        return unusable_link(request, actions.invitation_unusable_message())
    user = invitation.user
    form = InvitationForm(user, data=request.POST if request.method == "POST" else None)
    context = {"form": form, "invitation": invitation}
    if request.method == "POST":
        if is_rate_limited("invitation", ip=client_ip(request), account=user.email):
            context.update(form=InvitationForm(user), limited=actions.too_many_attempts_message())
            return render(request, "accounts/invitation.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = actions.do_accept_invitation(
                    invitation=invitation,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password2"],
                    language=data["language"],
                )
            except Refused as error:
                return unusable_link(request, str(error))
            actions.do_login(request, user, method="invitation")
            messages.success(request, _("Welcome to Schoolplein! Your account is ready."))
            return after_login(request, reverse("core:home"))
    return render(request, "accounts/invitation.html", context)


# --- Login links --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_link_view(request):
    """Ask for a login link; known and unknown addresses get the same answer."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if is_rate_limited("login_link", ip=client_ip(request), account=request.POST.get("email")):
            context = {"form": EmailForm(), "limited": actions.too_many_attempts_message()}
            return render(request, "accounts/login_link.html", context, status=429)
        if form.is_valid():
            actions.do_send_login_link(email=form.cleaned_data["email"])
            return render(request, "accounts/login_link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/login_link.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_link_use_view(request, token: str):
    """GET only asks for a click, so a mail scanner that opens the link does not spend it."""
    if request.method == "GET":
        if not LoginLink.objects.filter(token_hash=hash_token(token)).exists():
            return unusable_link(request, actions.login_link_unusable_message())
        return render(request, "accounts/login_link_use.html")
    try:
        user = actions.check_use_login_link(token=token)
    except Refused as error:
        return unusable_link(request, str(error))
    actions.do_login(request, user, method="login_link")
    return after_login(request, reverse("core:home"))


# --- Passwords ----------------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if is_rate_limited("password_reset", ip=client_ip(request), account=request.POST.get("email")):
            context = self.get_context_data(
                form=self.form_class(), limited=actions.too_many_attempts_message()
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever had the old password is signed out everywhere, and their API tokens stop working.
        actions.do_after_password_reset(user=form.user)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.do_change_password(
            acting_user=request.user,
            password=form.cleaned_data["new_password1"],
            keep_session_key=request.session.session_key,
        )
        update_session_auth_hash(request, request.user)
        messages.success(
            request,
            _(
                "Your password has been changed. Your other devices have been logged out "
                "and your API tokens no longer work."
            ),
        )
        return redirect("accounts:settings")
    return render(request, "accounts/password_change.html", {"form": form})


# --- Devices ------------------------------------------------------------------------------------------


@login_required
def devices_view(request):
    current = request.session.session_key
    devices = [
        {
            "session": session,
            "name": describe_user_agent(session.user_agent),
            "is_current": session.session_key == current,
        }
        for session in sessions_of(request.user)
    ]
    return render(request, "accounts/devices.html", {"devices": devices})


@login_required
@require_POST
def device_logout_view(request, session_id: str):
    session = access_session(request.user, session_id)
    if session.session_key == request.session.session_key:
        logout(request)
        return redirect("accounts:login")
    actions.do_end_session(acting_user=request.user, session=session)
    messages.success(request, _("That device has been logged out."))
    return redirect("accounts:devices")


@login_required
@require_POST
def devices_logout_others_view(request):
    count = actions.do_end_other_sessions(
        acting_user=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        ngettext(
            "%(count)d other device has been logged out.",
            "%(count)d other devices have been logged out.",
            count,
        )
        % {"count": count},
    )
    return redirect("accounts:devices")


# --- Two-factor ---------------------------------------------------------------------------------------


def staff_only(view):
    """Two-factor pages exist for staff only; for anyone else they are not there."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_any_staff_role(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def qr_code_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode").split("?>", 1)[-1].strip()


@staff_only
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request):
    """Link an authenticator app (QR code and secret, confirmed by a code); replacing needs verification."""
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if has_device and not is_two_factor_verified(request.user):
        return redirect(two_factor_url(request.user, safe_next(request)))
    if has_device and request.method == "GET" and "replace" not in request.GET:
        return render(request, "accounts/two_factor_on.html")
    device = actions.do_start_two_factor_setup(acting_user=request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_confirm_two_factor(
                request, acting_user=request.user, code=form.cleaned_data["code"]
            )
        except actions.SignedOut as error:
            messages.error(request, str(error))
            return redirect("accounts:login")
        except Refused as error:
            form.add_error("code", str(error))
            status = code_refusal_status(error)
        else:
            messages.success(request, _("Two-step verification is on."))
            return redirect(safe_next(request))
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_code_svg(device.config_url)),  # noqa: S308 - generated by qrcode, no user input
        "secret": b32encode(device.bin_key).decode(),
        "next": safe_next(request, default=""),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


def code_refusal_status(error: Refused) -> int:
    """A wrong code re-shows the form (200); too many tries says so in the status too (429)."""
    return error.status if isinstance(error, TooManyAttempts) else 200


@staff_only
@require_http_methods(["GET", "POST"])
def two_factor_verify_view(request):
    next_url = safe_next(request)
    if is_two_factor_verified(request.user):
        return redirect(next_url)
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(two_factor_url(request.user, next_url))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_verify_two_factor(request, acting_user=request.user, code=form.cleaned_data["code"])
        except actions.SignedOut as error:
            messages.error(request, str(error))
            return redirect("accounts:login")
        except Refused as error:
            form.add_error("code", str(error))
            status = code_refusal_status(error)
            return render(
                request, "accounts/two_factor_verify.html", {"form": form, "next": next_url}, status=status
            )
        else:
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


# --- API tokens ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tokens_view(request):
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = actions.check_create_api_token(
                acting_user=request.user, name=form.cleaned_data["name"]
            )
        except Refused as error:
            form.add_error("name", str(error))
        else:
            form = TokenForm()
    context = {"form": form, "tokens": tokens_of(request.user), "new_secret": new_secret}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request, token_id: str):
    token = access_api_token(request.user, token_id)
    actions.do_revoke_api_token(acting_user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
