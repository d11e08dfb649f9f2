from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import actions
from accounts.forms import InvitationForm, LoginForm, ProfileForm
from accounts.queries import usable_invitation
from accounts.twofactor import needs_two_factor, two_factor_url
from core.ratelimit import is_rate_limited


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


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


def too_many_attempts_message() -> str:
    return _("Too many attempts. Please wait a quarter of an hour and try again.")


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = safe_next(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        if is_rate_limited("login", ip=client_ip(request), account=request.POST.get("email")):
            context.update(form=LoginForm(request), limited=too_many_attempts_message())
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
    from django.conf import settings

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
    return render(request, "accounts/settings.html", {"form": form})


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
            context.update(form=InvitationForm(user), limited=too_many_attempts_message())
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
            except actions.AccountError as error:
                return unusable_link(request, str(error))
            actions.do_login(request, user, method="invitation")
            messages.success(request, _("Welcome to Schoolplein! Your account is ready."))
            return after_login(request, reverse("core:home"))
    return render(request, "accounts/invitation.html", context)
