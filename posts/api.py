"""Timeline API: the feed, posts (create, edit, delete, pin, approve, reject), reading, RSVP, sign-up, dates.

Same actions and access layer as the pages; a refusal answers as everywhere in the API (`core.api_errors`):
422 with {"detail": ...}, and for a refused consent check the problems (each photo, child and purpose).
"""

import datetime
from typing import Annotated

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from consent.api import TaggingOut, tagging_out
from consent.queries import tagging_pages
from core.clock import SCHOOL_TZ, school_today
from core.refusals import Invalid, NotFound
from media.access import access_own_uploads
from media.api import MediaOut, media_out
from posts import actions, comment_actions
from posts.access import access_comment, access_help_task, access_post
from posts.ical import event_calendar_response
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
    groups_postable_by,
    reactions_of,
    signups_of,
    timeline_settings,
)
from schools.access import access_group, access_pupil, access_school_admin
from schools.queries import groups_visible_to

router = Router(tags=["posts"])


class PostGroupRef(Schema):
    public_id: str
    name: str


class TaskOut(Schema):
    id: str
    name: str
    places: int
    taken: int
    free: int = Field(description="Places nobody has taken yet")
    signed_up: bool


class RsvpOut(Schema):
    answer: str
    people: int
    note: str


class PostOut(Schema):
    id: str
    kind: str
    title: str
    body: str
    author: str
    groups: list[PostGroupRef]
    published_at: datetime.datetime | None
    edited_at: datetime.datetime | None
    pinned: bool
    urgent: bool
    read: bool
    awaiting_approval: bool
    read_only: bool = Field(description="From a class of an earlier school year: readable, not added to")
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    location: str
    respond_by: datetime.datetime | None
    my_rsvp: RsvpOut | None
    tasks: list[TaskOut]
    files: list[MediaOut]


class FeedOut(Schema):
    pinned: list[PostOut]
    posts: list[PostOut]
    next_cursor: str


class TaskIn(Schema):
    name: str
    places: int


class PostIn(Schema):
    groups: list[str] = Field(..., min_length=1, max_length=50)
    kind: str = "announcement"
    title: str = ""
    body: str = ""
    publish_at: datetime.datetime | None = None
    urgent: bool = False
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    location: str = ""
    respond_by: datetime.datetime | None = None
    tasks: list[TaskIn] = []
    media_ids: list[str] = Field(default=[], max_length=50)


class PostEditIn(Schema):
    title: str | None = None
    body: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    location: str | None = None
    respond_by: datetime.datetime | None = None
    tasks: list[TaskIn] | None = None
    media_ids: list[str] = Field(default=[], max_length=50)


class PinIn(Schema):
    pinned: bool


class RejectIn(Schema):
    reason: str = Field(default="", description="Shown to the author in the app only; at most 500 characters")


class ApprovalOut(Schema):
    id: str
    title: str
    body: str
    author: str
    groups: list[PostGroupRef]
    created_at: datetime.datetime
    publish_at: datetime.datetime


class RsvpIn(Schema):
    answer: str
    people: int = 1
    note: str | None = None  # left out: the family's earlier note stays


class ReceiptsOut(Schema):
    read: int
    total: int
    not_read: list[str]


class FamilyAnswerOut(Schema):
    family: str
    answer: str
    people: int
    note: str
    flagged: list[str]  # the screening categories the note hit; staff read it with this beside it


class AnswersOut(Schema):
    yes: int
    no: int
    maybe: int
    people: int
    families: list[FamilyAnswerOut]


class EventOut(Schema):
    id: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    location: str
    groups: list[PostGroupRef]


class AddressOut(Schema):
    url: str


def task_out(task, *, signed_up: bool) -> dict:
    return {
        "id": task.public_id,
        "name": task.name,
        "places": task.places,
        "taken": task.taken,
        "free": task.free,
        "signed_up": signed_up,
    }


def post_out(post) -> dict:
    return {
        "id": post.public_id,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "author": post.author.full_name if post.author else "",
        "groups": post.group_list,
        "published_at": post.published_at,
        "edited_at": post.edited_at,
        "pinned": post.pinned_at is not None,
        "urgent": post.urgent,
        "read": post.is_read,
        "awaiting_approval": post.awaiting_approval,
        "read_only": post.read_only,
        "starts_at": post.starts_at,
        "ends_at": post.ends_at,
        "location": post.location,
        "respond_by": post.respond_by,
        "my_rsvp": post.my_rsvp,
        "tasks": [task_out(t, signed_up=t.mine) for t in post.task_list],
        "files": [media_out(media) for media in post.files],
    }


def _draft(payload, **base) -> actions.Draft:
    fields = payload.dict(exclude={"groups", "media_ids", "tasks"}, exclude_none=True)
    tasks = [(task.name, task.places) for task in payload.tasks] if payload.tasks is not None else None
    merged = base | fields | ({"tasks": tasks} if tasks is not None else {})
    return actions.Draft(**merged)


@router.get("/posts", response=FeedOut, url_name="posts_feed")
def feed(request, group: str = "", child: str = "", after: str = ""):
    """The home feed: newest first, pinned on top of the first page; pass next_cursor as `after` for more."""
    page = get_feed(
        request.auth,
        group=access_group(request.auth, group) if group else None,
        child=access_pupil(request.auth, child) if child else None,
        after=after,
        shown=None,
    )
    return {
        "pinned": [post_out(p) for p in page.pinned],
        "posts": [post_out(p) for p in page.posts],
        "next_cursor": page.next_cursor,
    }


@router.post("/posts", response={201: PostOut}, url_name="posts_create")
def create(request, payload: PostIn):
    """Post to one or more groups (public ids); media_ids are your uploads (see the media API)."""
    visible = {g.public_id: g for g in groups_visible_to(request.auth).filter(public_id__in=payload.groups)}
    if len(visible) != len(set(payload.groups)):
        raise NotFound(_("You cannot post to one of these groups."))  # not yours: as if it did not exist
    with transaction.atomic():
        media = access_own_uploads(request.auth, payload.media_ids) if payload.media_ids else []
        post = actions.check_publish_post(
            acting_user=request.auth,
            groups=list(visible.values()),
            draft=_draft(payload, title=""),
            media_files=media,
        )
    return Status(201, post_out(get_post(request.auth, post)))


class PhotoCheckIn(Schema):
    groups: list[str] = Field(default=[], max_length=50)
    media_ids: list[str] = Field(default=[], max_length=50)


class PhotoCheckOut(TaggingOut):
    media: str


@router.post("/posts/photo-check", response={200: list[PhotoCheckOut]}, url_name="posts_photo_check")
def photo_check(request, payload: PhotoCheckIn):
    """Before posting: your uploads as these groups would get them (faces, tags, whom to pick, problems).

    The web form's "check the photos" step: tag and blur with the privacy API, then post with media_ids.
    """
    groups = list(groups_postable_by(request.auth).filter(public_id__in=payload.groups))
    if len(groups) != len(set(payload.groups)):
        raise NotFound(_("You cannot post to one of these groups."))  # not yours: as if it did not exist
    uploads = access_own_uploads(request.auth, payload.media_ids)
    pages = tagging_pages(request.auth, uploads, groups=groups)
    return Status(200, [tagging_out(page) | {"media": page.media.public_id} for page in pages])


@router.get("/posts/approvals", response=list[ApprovalOut], url_name="posts_approvals")
def approvals(request):
    """Class parents' posts waiting for your approval (a teacher of the class, the director), oldest first."""
    return [
        {
            "id": post.public_id,
            "title": post.title,
            "body": post.body,
            "author": post.author.full_name if post.author else "",
            "groups": post.group_list,
            "created_at": post.created_at,
            "publish_at": post.publish_at,
        }
        for post in approval_queue(request.auth)
    ]


@router.get("/posts/{post_id}", response=PostOut, url_name="posts_detail")
def detail(request, post_id: str):
    """A post; reading it marks it read."""
    post = access_post(request.auth, post_id)
    actions.do_mark_read(acting_user=request.auth, post=post)
    return post_out(get_post(request.auth, post))


@router.patch("/posts/{post_id}", response={200: PostOut}, url_name="posts_edit")
def edit(request, post_id: str, payload: PostEditIn):
    """Edit your own post: only the fields given change."""
    post = access_post(request.auth, post_id, write=True)
    current = {
        "title": post.title,
        "body": post.body,
        "kind": post.kind,
        "urgent": post.urgent,
        "starts_at": post.starts_at,
        "ends_at": post.ends_at,
        "location": post.location,
        "respond_by": post.respond_by,
        "tasks": [(t.name, t.places) for t in post.tasks.all()],
    }
    with transaction.atomic():
        media = access_own_uploads(request.auth, payload.media_ids) if payload.media_ids else []
        actions.check_edit_post(
            acting_user=request.auth, post=post, draft=_draft(payload, **current), media_files=media
        )
    return Status(200, post_out(get_post(request.auth, post)))


@router.delete("/posts/{post_id}", response={204: None}, url_name="posts_delete")
def delete(request, post_id: str):
    actions.do_delete_post(acting_user=request.auth, post=access_post(request.auth, post_id, write=True))
    return Status(204, None)


@router.post("/posts/{post_id}/read", response={204: None}, url_name="posts_read")
def mark_read(request, post_id: str):
    actions.do_mark_read(acting_user=request.auth, post=access_post(request.auth, post_id))
    return Status(204, None)


@router.get("/posts/{post_id}/receipts", response=ReceiptsOut, url_name="posts_receipts")
def receipts(request, post_id: str):
    """For the author and the group's staff: how many parents read it, and who has not."""
    post = access_post(request.auth, post_id)
    if not can_see_receipts(request.auth, post):
        raise Http404
    found = get_receipts(post)
    return {
        "read": found.read,
        "total": found.total,
        "not_read": [person.full_name for person in found.not_read],
    }


@router.post("/posts/{post_id}/pin", response=PostOut, url_name="posts_pin")
def pin(request, post_id: str, payload: PinIn):
    """Staff of all the post's groups pin a published post, or unpin it; an author who is not staff cannot."""
    post = access_post(request.auth, post_id, write=True)
    actions.check_pin_post(acting_user=request.auth, post=post, pinned=payload.pinned)
    return post_out(get_post(request.auth, post))


@router.post("/posts/{post_id}/approve", response={200: PostOut}, url_name="posts_approve")
def approve(request, post_id: str):
    """A teacher of the class or the director lets a class parent's post through: published now, or at its
    publish_at (published_at stays null until then)."""
    post = access_post(request.auth, post_id)
    actions.check_approve_post(acting_user=request.auth, post=post)
    return Status(200, post_out(get_post(request.auth, post)))


@router.post("/posts/{post_id}/reject", response={204: None}, url_name="posts_reject")
def reject(request, post_id: str, payload: RejectIn):
    """Refuse a class parent's post: it is removed, and its author is told in the app with the reason."""
    post = access_post(request.auth, post_id)
    actions.check_reject_post(acting_user=request.auth, post=post, reason=payload.reason)
    return Status(204, None)


@router.post("/posts/{post_id}/rsvp", response={200: RsvpOut}, url_name="posts_rsvp")
def rsvp(request, post_id: str, payload: RsvpIn):
    """Answer an invitation for your family (yes, no or maybe, with the number of people)."""
    post = access_post(request.auth, post_id)
    answer = actions.check_rsvp(
        acting_user=request.auth,
        post=post,
        answer=payload.answer,
        people=payload.people,
        note=payload.note,
    )
    return Status(200, answer)


@router.get("/posts/{post_id}/event.ics", response={200: None}, url_name="posts_event_ics")
def event_ics(request, post_id: str):
    """An event invitation as an iCalendar file (text/calendar) to add to one's own calendar."""
    try:
        return event_calendar_response(request, access_post(request.auth, post_id))
    except Http404:
        raise NotFound() from None


@router.get("/posts/{post_id}/answers", response=AnswersOut, url_name="posts_answers")
def answers(request, post_id: str):
    """An invitation's answers with each family's note, for its author and the group's staff."""
    post = access_post(request.auth, post_id)
    if not post.is_event or not can_see_receipts(request.auth, post):
        raise Http404
    found = get_answers(post)
    families = [
        {
            "family": f"{rsvp.pupil.first_name} {rsvp.pupil.last_name}",
            "answer": rsvp.answer,
            "people": rsvp.people,
            "note": rsvp.note,
            "flagged": rsvp.flagged,
        }
        for rsvp in found.rsvps
    ]
    return {
        "yes": found.yes,
        "no": found.no,
        "maybe": found.maybe,
        "people": found.people,
        "families": families,
    }


@router.get("/posts/{post_id}/signups", response=list[TaskOut], url_name="posts_signups")
def signups(request, post_id: str):
    """A help request's tasks, for its author and the group's staff."""
    post = access_post(request.auth, post_id)
    if not post.is_help or not can_see_receipts(request.auth, post):
        raise Http404
    return [task_out(t, signed_up=False) for t in signups_of(post)]


@router.post("/posts/tasks/{task_id}/signup", response={201: TaskOut}, url_name="posts_signup")
def sign_up(request, task_id: str):
    task = access_help_task(request.auth, task_id)
    actions.check_sign_up(acting_user=request.auth, task=task)
    return Status(201, task_out(task, signed_up=True))


@router.delete("/posts/tasks/{task_id}/signup", response={204: None}, url_name="posts_withdraw")
def withdraw(request, task_id: str):
    task = access_help_task(request.auth, task_id)
    actions.check_withdraw(acting_user=request.auth, task=task)
    return Status(204, None)


MONTH_PATTERN = r"^((19|20)[0-9]{2}-(0[1-9]|1[0-2]))?$"  # YYYY-MM, or empty for this month


@router.get("/calendar", response={200: list[EventOut]}, url_name="posts_calendar")
def calendar(request, month: Annotated[str, Field(pattern=MONTH_PATTERN)] = ""):
    """The events of all my groups in one month (YYYY-MM, default this month)."""
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date() if month else school_today().replace(day=1)
    except ValueError:
        raise Invalid(_("Give the month as YYYY-MM.")) from None
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    start = datetime.datetime.combine(first, datetime.time(), SCHOOL_TZ)
    end = datetime.datetime.combine(following, datetime.time(), SCHOOL_TZ)
    return [
        {
            "id": e.public_id,
            "title": e.title,
            "starts_at": timezone.localtime(e.starts_at, SCHOOL_TZ),
            "ends_at": e.ends_at,
            "location": e.location,
            "groups": list(e.groups.all()),
        }
        for e in events_between(request.auth, start, end)
    ]


@router.post("/calendar/address", response={201: AddressOut}, url_name="posts_calendar_address")
def calendar_address(request):
    """A new secret iCalendar address (shown once); the previous one stops working."""
    token = actions.do_rotate_calendar_feed(acting_user=request.auth)
    return Status(201, {"url": request.build_absolute_uri(f"/calendar/{token}.ics")})


@router.delete("/calendar/address", response={204: None}, url_name="posts_calendar_revoke")
def calendar_revoke(request):
    actions.do_revoke_calendar_feed(acting_user=request.auth)
    return Status(204, None)


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: str
    author: str
    body: str
    created_at: datetime.datetime
    hidden: bool


class ReactionIn(Schema):
    kind: str


class ReactionsOut(Schema):
    counts: dict[str, int]
    mine: str


class GroupSettingsIn(Schema):
    comments_enabled: bool


class SchoolSettingsIn(Schema):
    class_parent_posts_need_approval: bool
    photo_download_allowed: bool


def comment_out(comment) -> dict:
    return {
        "id": comment.public_id,
        "author": comment.author.full_name,
        "body": comment.body,
        "created_at": comment.created_at,
        "hidden": comment.hidden_at is not None,
    }


def reactions_out(viewer, post) -> dict:
    counts, mine = reactions_of(viewer, post)
    return {"counts": {kind: count for kind, _emoji, count in counts}, "mine": mine}


@router.get("/posts/{post_id}/comments", response=list[CommentOut], url_name="posts_comments")
def comments(request, post_id: str):
    post = access_post(request.auth, post_id)
    return [comment_out(c) for c in comments_of(request.auth, post, staff=can_manage(request.auth, post))]


@router.post("/posts/{post_id}/comments", response={201: CommentOut}, url_name="posts_comment")
def comment(request, post_id: str, payload: CommentIn):
    """Comment on a post, where the group has comments on."""
    post = access_post(request.auth, post_id)
    created = comment_actions.check_comment(acting_user=request.auth, post=post, body=payload.body)
    return Status(201, comment_out(created))


@router.delete("/posts/comments/{comment_id}", response={204: None}, url_name="posts_comment_delete")
def comment_delete(request, comment_id: str):
    """Remove your own comment, or (staff of the group) anyone's."""
    found = access_comment(request.auth, comment_id, write=True)
    comment_actions.do_delete_comment(acting_user=request.auth, comment=found)
    return Status(204, None)


@router.post("/posts/{post_id}/reactions", response={200: ReactionsOut}, url_name="posts_react")
def react(request, post_id: str, payload: ReactionIn):
    """React (thumbs, heart, clap, smile); the same reaction again takes it back."""
    post = access_post(request.auth, post_id)
    comment_actions.check_react(acting_user=request.auth, post=post, kind=payload.kind)
    return Status(200, reactions_out(request.auth, post))


@router.get("/groups/{group_id}/timeline-settings", response=GroupSettingsIn, url_name="posts_group_settings")
def group_settings(request, group_id: str):
    return {"comments_enabled": group_comments_enabled(access_group(request.auth, group_id))}


@router.put(
    "/groups/{group_id}/timeline-settings",
    response={200: GroupSettingsIn},
    url_name="posts_group_settings_set",
)
def group_settings_set(request, group_id: str, payload: GroupSettingsIn):
    """Comments and reactions for a group: its teachers; for the school-wide group the director."""
    group = access_group(request.auth, group_id, write=True)
    comment_actions.check_set_comments(
        acting_user=request.auth, group=group, enabled=payload.comments_enabled
    )
    return Status(200, {"comments_enabled": payload.comments_enabled})


@router.get(
    "/schools/{school_id}/timeline-settings", response=SchoolSettingsIn, url_name="posts_school_settings"
)
def school_settings(request, school_id: str):
    found = timeline_settings(access_school_admin(request.auth, school_id).id)
    return {
        "class_parent_posts_need_approval": found.class_parent_posts_need_approval,
        "photo_download_allowed": found.photo_download_allowed,
    }


@router.put(
    "/schools/{school_id}/timeline-settings",
    response={200: SchoolSettingsIn},
    url_name="posts_school_settings_set",
)
def school_settings_set(request, school_id: str, payload: SchoolSettingsIn):
    school = access_school_admin(request.auth, school_id)
    comment_actions.check_update_timeline_settings(acting_user=request.auth, school=school, **payload.dict())
    return Status(200, payload.dict())
