import calendar as calendar_module
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.clock import SCHOOL_TZ, school_today
from core.dates import format_when
from core.htmx import is_htmx, render_page_or_partial
from media.actions import check_upload
from media.failures import MediaRefused
from media.models import MediaFile
from media.zips import largest_stills_zip
from posts import actions, comment_actions
from posts.access import access_comment, access_help_task, access_post
from posts.attachments import panels_of
from posts.forms import PostForm, RsvpForm, TimelineSettingsForm
from posts.ical import calendar_for_token, event_calendar_response
from posts.queries import (
    approval_queue,
    can_manage,
    can_see_receipts,
    comments_of,
    events_between,
    get_answers,
    get_feed,
    get_post,
    get_receipts,
    group_comments_enabled,
    may_post,
    posts_staffed_by,
    reactions_of,
    read_count,
    signups_of,
    talk_open,
    timeline_settings,
    with_reactions,
)
from schools.access import access_group, access_pupil, access_school_admin
from schools.queries import children_of, groups_followed_by, is_past_class


def _filters(request):
    group_id, child_id = request.GET.get("group", ""), request.GET.get("child", "")
    group = access_group(request.user, group_id) if group_id else None
    child = access_pupil(request.user, child_id) if child_id else None
    return group, child


@login_required
@require_GET
def feed(request):
    """The home feed; htmx asks for the next page as a partial while the reader scrolls."""
    group, child = _filters(request)
    groups = list(
        groups_followed_by(request.user)
        .order_by("kind", "name")
        .only("public_id", "name", "kind", "school_id")
    )
    after = request.GET.get("after", "")
    if group is not None:
        group.archived = is_past_class(group)
        if group.archived and group.id not in {g.id for g in groups}:  # opened from the staff's archive
            groups.append(group)
    page = get_feed(request.user, group=group, child=child, after=after, groups=groups)
    with_reactions(request.user, page.pinned + page.posts)
    context = {"feed": page, "group": group, "child": child}
    if not after:  # the filters and buttons are not part of the partial that htmx loads
        context |= {
            "groups": groups,
            "children": children_of(request.user).order_by("first_name"),
            "can_post": may_post(request.user),
        }
    return render_page_or_partial(request, "posts/feed.html", "page", context)


def _upload_all(request, files, *, school) -> list[MediaFile]:
    """Put every chosen file through the pipeline; refuse all if one is refused (nothing half-saved)."""
    uploaded = []
    for upload in files:
        try:
            uploaded.append(check_upload(acting_user=request.user, school=school, upload=upload))
        except MediaRefused as refused:
            raise ValidationError(f"{upload.name}: {refused.message}") from refused
    return uploaded


def _published_message(post) -> str:
    if post.awaiting_approval:
        return _("Your post waits for a teacher's approval.")
    if post.published_at is None:
        return _("Your post will be published when its time has come and its files are ready.")
    return _("Your post has been published.")


@login_required
def post_edit(request, post_id: str):
    post = access_post(request.user, post_id, write=True)
    if post.author_id != request.user.id:
        raise Http404
    initial = PostForm.initial_of(post)
    form = PostForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                media = _upload_all(request, form.cleaned_data["files"], school=post.school)
                actions.check_edit_post(
                    acting_user=request.user, post=post, draft=form.draft(kind=post.kind), media_files=media
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("posts:post_detail", post.public_id)
    return render(request, "posts/post_form.html", {"form": form, "post": post})


@login_required
@require_GET
def post_detail(request, post_id: str):
    post = access_post(request.user, post_id)
    actions.do_mark_read(acting_user=request.user, post=post)
    post = get_post(request.user, post)
    manage = can_manage(request.user, post)
    # Managing another's post is staffing all its groups already; only an author may manage and not pin.
    is_author = post.author_id == request.user.id
    can_pin = manage and (not is_author or posts_staffed_by(request.user).filter(id=post.id).exists())
    receipts = can_see_receipts(request.user, post)
    context = {
        "post": post,
        "can_manage": manage,
        "can_pin": can_pin,
        "is_author": is_author,
        "receipts": read_count(post) if receipts and post.is_published else None,
        "answers": get_answers(post) if post.is_event and receipts else None,
        "signups": signups_of(post) if post.is_help and receipts else None,
        "rsvp_form": RsvpForm(initial=_rsvp_initial(post)) if post.is_event else None,
        "download_allowed": timeline_settings(post.school_id).photo_download_allowed,
        "comments_open": talk_open(post, post.group_list),
        "comments": comments_of(request.user, post, staff=manage),
        "panels": panels_of(request.user, post),
    }
    if context["comments_open"]:
        context["reactions"], context["my_reaction"] = reactions_of(request.user, post)
    return render(request, "posts/post_detail.html", context)


def _rsvp_initial(post) -> dict:
    if post.my_rsvp is None:
        return {"people": 1}
    return {"answer": post.my_rsvp.answer, "people": post.my_rsvp.people, "note": post.my_rsvp.note}


@login_required
@require_GET
def post_receipts(request, post_id: str):
    post = access_post(request.user, post_id)
    if not can_see_receipts(request.user, post):
        raise Http404
    return render(request, "posts/receipts.html", {"post": post, "receipts": get_receipts(post)})


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def post_delete(request, post_id: str):
    post = access_post(request.user, post_id, write=True)
    actions.do_delete_post(acting_user=request.user, post=post)
    messages.success(request, _("The post has been deleted."))
    return redirect("posts:feed")


@login_required
@require_POST
def post_pin(request, post_id: str):
    post = access_post(request.user, post_id, write=True)
    try:
        actions.check_pin_post(acting_user=request.user, post=post, pinned=request.POST.get("pinned") == "1")
    except ValidationError as error:
        _refused(request, error)
    return redirect("posts:post_detail", post.public_id)


def approved_message(post) -> str:
    """What the approver is told: placed now, at its time, or once its files are ready."""
    if post.published_at is not None:
        return _("The post has been approved and published.")
    if post.publish_at > timezone.now():
        when = format_when(timezone.localtime(post.publish_at, SCHOOL_TZ), "weekday_time")
        return _("The post has been approved; it will be published on %(when)s.") % {"when": when}
    return _("The post has been approved; it will be published when its files are ready.")


def _back_from_approval(request, post):
    """To the queue when the button was pressed there; else to the post (gone once it is rejected)."""
    if request.POST.get("from") == "approvals" or post.pk is None:  # a deleted row has no pk
        return redirect("posts:approvals")
    return redirect("posts:post_detail", post.public_id)


@login_required
@require_POST
def post_approve(request, post_id: str):
    post = access_post(request.user, post_id)
    try:
        actions.check_approve_post(acting_user=request.user, post=post)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, approved_message(post))
    return _back_from_approval(request, post)


@login_required
@require_POST
def post_reject(request, post_id: str):
    post = access_post(request.user, post_id)
    try:
        actions.check_reject_post(acting_user=request.user, post=post, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The post has been rejected and removed; its author has been told."))
    return _back_from_approval(request, post)


@login_required
@require_GET
def approvals(request):
    """Class parents' posts waiting for the viewer's approval (posts_to_approve)."""
    context = {"posts": approval_queue(request.user), "now": timezone.now()}
    return render(request, "posts/approvals.html", context)


@login_required
@require_POST
def post_rsvp(request, post_id: str):
    post = access_post(request.user, post_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes, no or maybe, with the number of people (up to 20)."))
        return redirect("posts:post_detail", post.public_id)
    try:
        actions.check_rsvp(acting_user=request.user, post=post, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you for your answer."))
    return redirect("posts:post_detail", post.public_id)


@login_required
@require_POST
def task_signup(request, task_id: str):
    task = access_help_task(request.user, task_id)
    try:
        if request.POST.get("withdraw") == "1":
            actions.check_withdraw(acting_user=request.user, task=task)
            messages.success(request, _("You are no longer signed up."))
        else:
            actions.check_sign_up(acting_user=request.user, task=task)
            messages.success(request, _("Thank you, you are signed up."))
    except ValidationError as error:
        _refused(request, error)
    return redirect("posts:post_detail", task.post.public_id)


@login_required
@require_GET
def post_photos_zip(request, post_id: str):
    """A post's photos in one zip, when the school allows downloading."""
    post = get_post(request.user, access_post(request.user, post_id))
    if not timeline_settings(post.school_id).photo_download_allowed:
        raise Http404
    response = largest_stills_zip(request.user, post.photos, filename=f"photos-{post.public_id}.zip")
    if response is None:
        raise Http404
    return response


def _month(request) -> datetime.date:
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return school_today().replace(day=1)


@login_required
@require_GET
def calendar(request):
    """The events of all my groups: a month grid and the list below it."""
    month = _month(request)
    start = datetime.datetime.combine(month, datetime.time(), SCHOOL_TZ)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    events = events_between(
        request.user, start, datetime.datetime.combine(following, datetime.time(), SCHOOL_TZ)
    )
    by_day: dict[int, list] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at, SCHOOL_TZ).day, []).append(event)
    weeks = [
        [(day, by_day.get(day, [])) for day in week]
        for week in calendar_module.Calendar(firstweekday=0).monthdayscalendar(month.year, month.month)
    ]
    context = {
        "month": month,
        "previous": (month - datetime.timedelta(days=1)).replace(day=1),
        "next": following,
        "weeks": weeks,
        "events": events,
        "today": school_today(),
        "feed_url": request.session.pop("calendar_feed_url", ""),
        "has_feed": hasattr(request.user, "calendar_feed"),
    }
    return render(request, "posts/calendar.html", context)


@login_required
@require_GET
def post_ics(request, post_id: str):
    """One event as an .ics file to add to the reader's own calendar ("Zet in mijn agenda")."""
    return event_calendar_response(request, access_post(request.user, post_id))


@login_required
@require_POST
def calendar_address(request):
    """Make a new secret calendar address (the old one stops working), or revoke it."""
    if request.POST.get("revoke") == "1":
        actions.do_revoke_calendar_feed(acting_user=request.user)
        messages.success(request, _("Your calendar address no longer works."))
    else:
        token = actions.do_rotate_calendar_feed(acting_user=request.user)
        request.session["calendar_feed_url"] = request.build_absolute_uri(f"/calendar/{token}.ics")
    return redirect("posts:calendar")


@require_GET
def calendar_feed(request, token: str):
    """The personal iCalendar feed; the token in the address is the only credential (404 when wrong)."""
    body = calendar_for_token(token)
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_GET
def album(request, group_id: str):
    """A group's photos, per school year for classes the year is the class's own."""
    from posts.queries import album as album_of

    group = access_group(request.user, group_id)
    year = group.school_year
    if group.is_school_wide:
        years = list(group.school.school_years.order_by("-starts_on"))
        year = next((y for y in years if y.name == request.GET.get("year")), years[0] if years else None)
    else:
        years = []
    context = {
        "group": group,
        "year": year,
        "years": years,
        "photos": album_of(request.user, group, year=year),
        "download_allowed": timeline_settings(group.school_id).photo_download_allowed,
    }
    return render(request, "posts/album.html", context)


@login_required
@require_POST
def post_comment(request, post_id: str):
    post = access_post(request.user, post_id)
    try:
        comment = comment_actions.check_comment(
            acting_user=request.user, post=post, body=request.POST.get("body", "")
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        if comment.hidden_at:  # held by the word check: it is there, but not for the others yet
            messages.info(request, _("Your comment waits for review before the others see it."))
        else:
            messages.success(request, _("Your comment has been posted."))
    return redirect(f"{post_url(post)}#comments")


def post_url(post) -> str:
    from django.urls import reverse

    return reverse("posts:post_detail", args=[post.public_id])


@login_required
@require_POST
def comment_delete(request, comment_id: str):
    comment = access_comment(request.user, comment_id, write=True)
    comment_actions.do_delete_comment(acting_user=request.user, comment=comment)
    messages.success(request, _("The comment has been deleted."))
    return redirect(f"{post_url(comment.post)}#comments")


@login_required
@require_POST
def post_react(request, post_id: str):
    post = access_post(request.user, post_id)
    try:
        comment_actions.check_react(acting_user=request.user, post=post, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        _refused(request, error)
        if is_htmx(request):  # the post's page shows why
            return HttpResponse(headers={"HX-Redirect": post_url(post)})
    else:
        if is_htmx(request):  # a feed card or the post's page swaps in its buttons
            reactions, mine = reactions_of(request.user, post)
            context = {"post": post, "reactions": reactions, "my_reaction": mine}
            return render(request, "posts/_reactions.html", context)
    return redirect(f"{post_url(post)}#comments")


@login_required
def group_timeline_settings(request, group_id: str):
    """Comments and reactions for one group (its teachers; the director for the school-wide group)."""
    group = access_group(request.user, group_id, write=True)
    if request.method == "POST":
        try:
            comment_actions.check_set_comments(
                acting_user=request.user, group=group, enabled=request.POST.get("comments_enabled") == "on"
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The setting has been saved."))
        return redirect("posts:group_timeline_settings", group.public_id)
    context = {"group": group, "comments_enabled": group_comments_enabled(group)}
    return render(request, "posts/group_settings.html", context)


@login_required
def school_timeline_settings(request, school_id: str):
    """The school's timeline choices: approval of class parents' posts, downloading photos."""
    school = access_school_admin(request.user, school_id)
    form = TimelineSettingsForm(request.POST or None, instance=timeline_settings(school.id))
    if request.method == "POST" and form.is_valid():
        try:
            comment_actions.check_update_timeline_settings(
                acting_user=request.user, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The setting has been saved."))
        return redirect("posts:school_timeline_settings", school.public_id)
    return render(request, "posts/school_settings.html", {"school": school, "form": form})
