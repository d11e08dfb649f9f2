import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pwa import shell_urls
from notifications import actions, digest, rules
from notifications.access import access_notification, access_subject_dispatches
from notifications.forms import PreferencesForm, preference_field_names
from notifications.models import KINDS, Preference
from notifications.queries import delivery_report, headlines_and_translations, notifications_of, per_day
from notifications.vapid import vapid_keys
from translation.queries import always_language


@login_required
@require_GET
def notification_list(request):
    page = Paginator(notifications_of(request.user), 30).get_page(request.GET.get("page"))
    items = list(page.object_list)
    context = {
        "page": page,
        "days": per_day(items),
        "notices": [item.dispatch for item in items],  # for the translate controls' one lookup
        "push_key": vapid_keys()["public"],
    }
    with headlines_and_translations(request.user, items, always_language(request.user)):
        return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_open(request, notification_id: str):
    """Mark one item read and go where it points."""
    notification = access_notification(request.user, notification_id)
    actions.do_mark_read(acting_user=request.user, notification=notification)
    url = notification.dispatch.url or reverse("notifications:list")
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("notifications:list")
    return redirect(url)


@login_required
@require_POST
def read_all(request):
    actions.do_mark_read(acting_user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def initial_preferences(user) -> dict:
    settings = actions.settings_of(user)
    initial = {
        "quiet_from": settings.quiet_from,
        "quiet_until": settings.quiet_until,
        "digest": settings.digest,
        "push_names": settings.push_names,
    }
    general = list(Preference.objects.filter(user=user, group=None))
    for kind in KINDS:
        wanted = rules.wanted(kind, [], general)
        for channel, name in preference_field_names(kind).items():
            initial[name] = wanted[channel]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, initial=initial_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_update_preferences(
            acting_user=request.user,
            quiet_from=data["quiet_from"],
            quiet_until=data["quiet_until"],
            digest=data["digest"],
            push_names=data["push_names"],
            channels={
                kind: {ch: data[name] for ch, name in preference_field_names(kind).items()} for kind in KINDS
            },
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_GET
def digest_preview(request):
    items = digest.items_for(request.user)
    return render(request, "notifications/digest_preview.html", {"items": items})


@login_required
@require_GET
def report(request, subject_type: str, subject_id: str):
    dispatches = access_subject_dispatches(request.user, subject_type, subject_id)
    context = {"dispatches": dispatches, "report": delivery_report(dispatches), "first": dispatches[0]}
    return render(request, "notifications/report.html", context)


@csrf_exempt  # RFC 8058: mail clients POST without a session or CSRF token; the signed link is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":
        if not actions.is_valid_unsubscribe_token(token):
            raise Http404
        return render(request, "notifications/unsubscribe.html", {"done": False})
    try:
        actions.check_one_click_unsubscribe(token=token)
    except LookupError as exc:
        raise Http404 from exc
    return render(request, "notifications/unsubscribe.html", {"done": True})


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    """The service worker, served with a header that lets it control the whole site."""
    shell = shell_urls()
    context = {
        "icon": static("notifications/icon-192.png"),
        "shell_urls": json.dumps(shell),
        "shell_version": hashlib.sha256(" ".join(shell).encode()).hexdigest()[:12],
        "offline_url": reverse("core:offline"),
    }
    body = render_to_string("notifications/sw.js", context)
    response = HttpResponse(body, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    """The web app manifest, so parents can install Schoolplein on their home screen."""
    icons = [
        {"src": static(f"notifications/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({**icons[-1], "purpose": "maskable"})
    data = {
        "name": "Schoolplein",
        "short_name": "Schoolplein",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7fb",
        "theme_color": "#1f6f5c",
        "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json")
