from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from accounts.api_auth import viewer_for_token
from media import actions
from media.access import access_media, access_rendition
from media.failures import MediaRefused, files_per_post, too_many_files_message
from media.forms import UploadForm
from media.queries import group_files as group_files_of
from media.serving import serve_rendition
from schools.access import access_group
from schools.models import Group


@login_required
@require_GET
def group_files(request, group_id: str):
    group = access_group(request.user, group_id)
    files, can_manage = group_files_of(request.user, group)
    context = {
        "group": group,
        "can_manage": can_manage,
        "files": files,
        "form": UploadForm() if can_manage else None,
        "max_files": files_per_post(),
        "too_many": too_many_files_message(),
    }
    return render(request, "media/group_files.html", context)


@login_required
@require_POST
def group_upload(request, group_id: str):
    """The form without JavaScript: every chosen file goes through the pipeline on its own."""
    group = access_group(request.user, group_id, write=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("files", []):
            messages.error(request, error)
        return redirect("media:group_files", group.public_id)
    added = 0
    for upload in form.cleaned_data["files"]:
        try:
            actions.check_upload(acting_user=request.user, school=group.school, upload=upload, carrier=group)
            added += 1
        except MediaRefused as refused:
            messages.error(request, f"{upload.name}: {refused.message}")
    if added:
        messages.success(request, _("Your files are being processed; they appear here when ready."))
    return redirect("media:group_files", group.public_id)


@login_required
@require_POST
def media_delete(request, media_id: str):
    media = access_media(request.user, media_id, write=True)
    carrier = media.carrier
    actions.do_delete_media(acting_user=request.user, media=media)
    messages.success(request, _("The file has been removed."))
    if isinstance(carrier, Group):
        return redirect("media:group_files", carrier.public_id)
    return redirect("core:home")


def _viewer(request):
    """The session's user, or for phone apps a personal API token (the same one the API takes)."""
    if request.user.is_authenticated:
        return request.user
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return viewer_for_token(token.strip())
    return None


@require_safe
def rendition(request, media_id: str, version: int, name: str):
    viewer = _viewer(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    return serve_rendition(request, access_rendition(viewer, media_id, version, name))
