"""Writing a post. Photos and videos are uploaded first; a second step shows each one so the author tags
the children in it (face boxes from the consent app), and only then publishes (the consent check runs).

The step keeps no state of its own: the form carries the post's fields and the public ids of the author's
uploads (unattached files, as the API makes them), so the post itself is saved in one go or not at all.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consent.access import access_tag
from consent.actions import check_tag, do_blur, do_untag
from consent.enforcement import ConsentRefused
from consent.queries import is_taggable, settings_of, tagging_pages
from consent.views import show_refusal
from media.access import access_own_uploads
from media.actions import do_delete_media
from posts import actions
from posts.forms import PostForm
from posts.queries import groups_postable_by
from posts.views import _published_message, _upload_all
from schools.queries import schools_directed_by
from schools.views import attempt


@dataclass(frozen=True)
class WayOut:
    """A child who may not appear in a photo: leave the photo out, or blur the child's face box."""

    pupil: object
    purposes: str
    tag: object  # the child's PhotoTag; blurring needs its face box


def ways_out(page) -> list[WayOut]:
    """One row per child without consent in the photo (a child may lack consent for several purposes)."""
    names: dict[int, list[str]] = {}
    pupils = {}
    for problem in page.problems:
        pupils[problem.pupil.id] = problem.pupil
        names.setdefault(problem.pupil.id, []).append(problem.purpose.name)
    tags = {tag.pupil_id: tag for tag in page.tags}
    return [WayOut(pupils[pid], ", ".join(purposes), tags.get(pid)) for pid, purposes in names.items()]


def chosen_groups(viewer, data) -> list:
    """The groups ticked in the form (only ones the viewer may post to); they decide whom to pick from."""
    field = forms.ModelMultipleChoiceField(queryset=groups_postable_by(viewer), required=False)
    try:
        return list(field.clean(data.getlist("groups")))
    except ValidationError:
        return []


def photo_pages(viewer, uploads, groups) -> list:
    pages = tagging_pages(viewer, uploads, groups=groups) if uploads else []
    for page in pages:
        page.ways_out = ways_out(page)
    return pages


def waiting_ids(pages) -> list[str]:
    """The photos still being processed: the step asks about these (and only these) again."""
    return [page.media.public_id for page in pages if not (page.media.is_ready or page.media.is_failed)]


@login_required
def post_new(request):
    """Write a post; with photos or videos it stops at a step to tag children, then publishes."""
    groups = groups_postable_by(request.user).order_by("kind", "name")
    can_urgent = schools_directed_by(request.user).exists()
    form = PostForm(request.POST or None, request.FILES or None, groups=groups, can_urgent=can_urgent)
    if request.method != "POST":
        return _render(request, form, [], [])
    uploads = access_own_uploads(request.user, request.POST.getlist("media"))
    chosen = chosen_groups(request.user, request.POST)
    saved = _save_choices(request, photo_pages(request.user, uploads, chosen))
    uploads, acted = _act(request, uploads)
    if form.is_valid():
        publish = saved and not acted and request.POST.get("step", "publish") == "publish"
        try:
            post, uploads = _submit(request, form, uploads, publish=publish)
        except ConsentRefused as refused:
            show_refusal(request, refused)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if post is not None:
                messages.success(request, _published_message(post))
                return redirect("posts:post_detail", post.public_id)
    return _render(request, form, uploads, chosen)


def _render(request, form, uploads, groups):
    # Read the files again: processing may have finished (or a blur replaced renditions) in this request.
    uploads = access_own_uploads(request.user, [media.public_id for media in uploads]) if uploads else []
    pages = photo_pages(request.user, uploads, groups)
    context = {
        "form": form,
        "post": None,
        "pages": pages,
        "waiting": waiting_ids(pages),
        "blur_untagged": bool(uploads) and settings_of(uploads[0].school).blur_untagged_faces,
    }
    return render(request, "posts/post_form.html", context)


def _submit(request, form, uploads, *, publish: bool):
    """Upload the newly chosen files, and publish unless there are new photos or videos to check first.

    One transaction: a refused file or a refused post leaves nothing of this request behind.
    """
    chosen = list(form.cleaned_data["groups"])
    files = form.cleaned_data["files"]
    with transaction.atomic():
        new = _upload_all(request, files, school=chosen[0].school) if files and chosen else []
        uploads = [*uploads, *new]
        # Files with children in them wait for the author's check before the post is published.
        if not publish or any(is_taggable(media) for media in new):
            return None, uploads
        post = actions.check_publish_post(
            acting_user=request.user, groups=chosen, draft=form.draft(), media_files=uploads
        )
    return post, uploads


def _save_choices(request, pages) -> bool:
    """Save the children chosen on the check step: per face a child or "blur", per photo one more child.

    False when a choice was refused (its message is shown): the author looks again before publishing.
    """
    saved = True
    for page in (page for page in pages if page.taggable):
        pupils = {pupil.public_id: pupil for pupil in page.candidates}
        for face in page.faces:
            choice = request.POST.get(f"face-{face.public_id}", "")
            current = face.current_tag.pupil.public_id if face.current_tag else ""
            if face.blurred_at is not None or choice in ("", current):
                continue
            if choice == "blur":
                saved &= attempt(request, do_blur, media=page.media, boxes=[face])[0]
            else:
                saved &= _tag(request, page.media, pupils.get(choice), face)
        choice = request.POST.get(f"add-{page.media.public_id}", "")
        if choice and choice not in {tag.pupil.public_id for tag in page.tags}:
            saved &= _tag(request, page.media, pupils.get(choice), None)
    return saved


def _tag(request, media, pupil, face) -> bool:
    if pupil is None:
        messages.error(request, _("Choose a child from the list."))
        return False
    return attempt(request, check_tag, media=media, pupil=pupil, face=face)[0]


def _act(request, uploads) -> tuple[list, bool]:
    """The button pressed on one photo: leave it out, blur a child, or remove a tag (True when pressed)."""
    if leave := request.POST.get("leave"):
        media = next((media for media in uploads if media.public_id == leave), None)
        if media is None:
            raise Http404
        do_delete_media(acting_user=request.user, media=media)
        messages.success(request, _("%(photo)s is left out of the post.") % {"photo": media.original_name})
        return [other for other in uploads if other is not media], True
    for name in ("blur", "untag"):
        if tag_id := request.POST.get(name):
            tag = access_tag(request.user, tag_id)
            if tag.media_id not in {media.id for media in uploads}:
                raise Http404
            if name == "untag":
                do_untag(acting_user=request.user, tag=tag)
            elif tag.face is None:
                messages.error(
                    request, _("This child is not on a face box; tag the face first, or leave the photo out.")
                )
            elif attempt(request, do_blur, media=tag.media, boxes=[tag.face])[0]:
                messages.success(request, _("The face has been blurred in every size of the photo."))
            return uploads, True
    return uploads, False


@login_required
@require_GET
def compose_photos(request):
    """The photos of a post being written that were still processing, asked about again every few seconds
    (htmx): each one now ready is swapped in out of band. One request for all of them, however many."""
    uploads = access_own_uploads(request.user, request.GET.getlist("media"))
    pages = photo_pages(request.user, uploads, chosen_groups(request.user, request.GET))
    done = [page for page in pages if page.media.is_ready or page.media.is_failed]
    context = {"done": done, "waiting": waiting_ids(pages)}
    return render(request, "posts/_compose_poll.html", context)
