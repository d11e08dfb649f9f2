"""Viewer-scoped reads of the timeline: feed, post, read receipts, calendar; constant query counts."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, RowNumber
from django.utils import timezone
from django.utils.text import Truncator

from core.viewer import is_signed_in
from media.models import MediaFile, Rendition
from media.queries import Display, display_from, files_shown_to, sort_by_kind, urls_of, with_display
from moderation.hooks import flagged_ids
from posts.models import (
    Comment,
    GroupTimelineSettings,
    HelpSignup,
    HelpTask,
    Post,
    PostGroup,
    PostRead,
    Reaction,
    Rsvp,
    SchoolTimelineSettings,
)
from posts.text import plain_text
from schools.models import ClassParent, Group, Guardianship, Pupil, StaffRole, TeachingAssignment
from schools.queries import (
    child_ids_of,
    class_parent_groups_of,
    current_enrolments,
    current_school_years,
    enrolled_now,
    group_ids_staffed_by,
    group_ids_visible_to,
    groups_followed_by,
    groups_staffed_by,
    groups_visible_to,
    past_classes,
)

PAGE_SIZE = 20
PINNED_MAX = 5
CARD_PHOTOS = 4  # thumbnails on a feed card


def timeline_settings(school_id: int) -> SchoolTimelineSettings:
    """The school's timeline settings, or the defaults when it never changed them."""
    found = SchoolTimelineSettings.objects.filter(school_id=school_id).first()
    return found or SchoolTimelineSettings(school_id=school_id)


def groups_postable_by(viewer) -> QuerySet[Group]:
    """The groups the viewer manages as staff (schools.queries.groups_staffed_by: director and office their
    school's groups, teachers the classes they teach), and a class parent's own class."""
    if not is_signed_in(viewer):
        return Group.objects.none()
    staffed = groups_staffed_by(viewer).values("id")
    own_class = class_parent_groups_of(viewer).values("id")
    return groups_visible_to(viewer).filter(Q(id__in=staffed) | Q(id__in=own_class))


def _no_groups(group_ids) -> bool:
    """Group ids resolved for this request (a list) and there are none: nothing to ask the database."""
    return isinstance(group_ids, list) and not group_ids


def _in_groups(group_ids) -> Q:
    if _no_groups(group_ids):
        return Q(pk__in=[])
    return Q(id__in=PostGroup.objects.filter(group_id__in=group_ids).values("post_id"))


def shown_to_audience() -> Q:
    """THE rule for whom a post's groups see: published (not waiting for approval or its time, not held
    by screening) and not hidden by moderation. A deleted post is gone. Every reader of posts that shows
    them to an audience (feed, post page, calendar, album, reminders) filters with this."""
    return Q(published_at__isnull=False, published_at__lte=timezone.now(), hidden_at__isnull=True)


def comments_shown_to(viewer, *, staff: bool) -> Q:
    """THE rule for comments: one hidden (moderation) or held for review only for the staff of the post's
    groups, and its own author, who sees that it waits."""
    if staff:
        return Q()
    return Q(hidden_at__isnull=True) | Q(author=viewer)


def posts_visible_to(viewer) -> QuerySet[Post]:
    """Published, not hidden posts of the viewer's groups; staff of a group also see pending and hidden
    ones there; authors see their own."""
    if not is_signed_in(viewer):
        return Post.objects.none()
    visible = (shown_to_audience() & _in_groups(group_ids_visible_to(viewer))) | Q(author=viewer)
    staffed = group_ids_staffed_by(viewer)
    if not _no_groups(staffed):  # none, without staff powers: not even an empty clause to build
        visible |= _in_groups(staffed)
    return Post.objects.filter(visible)


def _staffed(viewer) -> Q:
    """Posts whose every group the viewer manages as staff (schools.queries.groups_staffed_by)."""
    staffed = group_ids_staffed_by(viewer)
    if _no_groups(staffed):
        return Q(pk__in=[])
    elsewhere = PostGroup.objects.filter(post=OuterRef("pk")).exclude(group_id__in=staffed)
    return _in_groups(staffed) & ~Exists(elsewhere)


def posts_managed_by(viewer) -> QuerySet[Post]:
    """Posts the viewer may edit (their own) or delete: their own, and those whose every group the viewer
    manages as staff (schools.queries.groups_staffed_by): a class teacher never manages a school-wide post."""
    if not is_signed_in(viewer):
        return Post.objects.none()
    return Post.objects.filter(Q(author=viewer) | _staffed(viewer))


def posts_staffed_by(viewer) -> QuerySet[Post]:
    """THE rule for pinning: posts whose every group the viewer manages as staff. An author who is not
    staff there (a class parent) manages their own post but never pins it."""
    if not is_signed_in(viewer):
        return Post.objects.none()
    return Post.objects.filter(_staffed(viewer))


def posts_to_approve(viewer) -> QuerySet[Post]:
    """THE rule for approving: posts waiting for approval (a class parent's, posts.actions._needs_approval)
    in a group the viewer manages as staff: the class's teachers, the school's director and office. The
    queue page, the API's queue and the approve and reject actions all ask this."""
    if not is_signed_in(viewer):
        return Post.objects.none()
    return Post.objects.filter(_in_groups(group_ids_staffed_by(viewer)), awaiting_approval=True)


def approval_queue(viewer) -> list[Post]:
    """The posts waiting for the viewer's approval, oldest first, with author and groups: two queries."""
    posts = list(posts_to_approve(viewer).select_related("author").order_by("created_at", "id"))
    groups = _groups_of([post.id for post in posts])
    for post in posts:
        post.group_list = groups[post.id]
    return posts


def approvers_of(post: Post):
    """Whom to tell that a post waits for approval: the teachers of its classes and its school's director
    (those among posts_to_approve's staff who answer for the class; the office approves from the queue but
    is not called for each post)."""
    from accounts.models import User

    group_ids = PostGroup.objects.filter(post_id=post.id).values("group_id")
    current = Group.objects.filter(id__in=group_ids, school_year__in=current_school_years())
    teachers = TeachingAssignment.objects.filter(group_id__in=current.values("id")).values("teacher_id")
    directors = StaffRole.objects.filter(school_id=post.school_id, role=StaffRole.Role.DIRECTOR)
    return User.objects.filter(Q(id__in=teachers) | Q(id__in=directors.values("user_id")))


def _files_shown_on(viewer, post_ids) -> QuerySet[MediaFile]:
    # media owns who sees which file (withheld, hidden, the post itself); a page only shows ready ones.
    return files_shown_to(viewer, Post, post_ids).filter(status=MediaFile.Status.READY)


def post_media(posts: list[Post], viewer) -> None:
    """Give each post `files` (the ready files the viewer is shown, in order, with display URLs),
    `file_count`, and the same files by kind as `photos`, `videos` and `documents`: two queries for any
    number of posts."""
    by_post: dict[int, list] = {post.id: [] for post in posts}
    for media in with_display(_files_shown_on(viewer, [post.id for post in posts])):
        by_post[media.carrier_id].append(media)
    for post in posts:
        sort_by_kind(post, by_post[post.id])
        post.file_count = len(post.files)


@dataclass(frozen=True)
class CardFile:
    """What a feed card shows of a file: its thumbnail (a video's with its length), or a document's name,
    type and size. Plain values, no model instance to build."""

    public_id: str
    kind: str
    display: Display
    # Only those who manage the post are shown such a file; the card tells them others are not.
    kept_back: bool = False
    original_name: str = ""
    byte_size: int = 0
    duration: float | None = None


def _name_width(pair: str) -> tuple[str, int | None]:
    """ "1280.webp:960" → ("1280.webp", 960); a rendition without a width has nothing after the colon."""
    name, _, width = pair.rpartition(":")
    return name, int(width) if width else None


def card_media(posts: list[Post], viewer, *, shown: int) -> None:
    """Give each post the first `shown` of its ready photos and videos as `files` with their number as
    `file_count`, and likewise its documents as `documents` and `document_count`: one query.

    The database numbers each post's files (pictures and documents apart), counts them and lists each
    file's rendition names, so only what a card shows is sent.
    """
    per_post = {"partition_by": [F("carrier_id"), F("is_document")]}
    # "/" cannot occur in a rendition name: the name is one segment of the rendition's URL.
    rendition_names = (
        Rendition.objects.filter(media=OuterRef("pk"))
        .order_by()
        .values("media")
        .annotate(
            names=StringAgg(
                Concat("name", Value(":"), Coalesce(Cast("width", CharField()), Value(""))), Value("/")
            )
        )
        .values("names")
    )
    rows = (
        _files_shown_on(viewer, [post.id for post in posts])
        .annotate(is_document=Q(kind=MediaFile.Kind.DOCUMENT))
        .annotate(
            place=Window(RowNumber(), order_by=MediaFile._meta.ordering, **per_post),
            total=Window(Count("id"), **per_post),
            names=Subquery(rendition_names),
            kept_back=Q(withheld_at__isnull=False) | Q(hidden_at__isnull=False),
        )
        .filter(place__lte=shown)
        .order_by(*MediaFile._meta.ordering)
        .values_list(
            "carrier_id",
            "public_id",
            "version",
            "kind",
            "total",
            "names",
            "kept_back",
            "original_name",
            "byte_size",
            "duration",
        )
    )
    by_post: dict[int, dict[bool, list[CardFile]]] = {post.id: {False: [], True: []} for post in posts}
    totals: dict[tuple[int, bool], int] = {}
    for post_id, public_id, version, kind, total, names, kept_back, *facts in rows:
        widths = dict(_name_width(pair) for pair in names.split("/")) if names else {}
        display = display_from(urls_of(public_id, version, widths), widths)
        is_document = kind == MediaFile.Kind.DOCUMENT
        by_post[post_id][is_document].append(CardFile(public_id, kind, display, kept_back, *facts))
        totals[post_id, is_document] = total
    for post in posts:
        post.files, post.documents = by_post[post.id][False], by_post[post.id][True]
        post.file_count = totals.get((post.id, False), 0)
        post.document_count = totals.get((post.id, True), 0)
        post.more_files = post.file_count - len(post.files)
        post.more_documents = post.document_count - len(post.documents)


def with_details(posts: QuerySet[Post], viewer, *, shown: int | None = None) -> list[Post]:
    """Evaluate posts with their groups (`group_list`), files, tasks (`task_list`) and the viewer's own
    answers (`my_rsvp`, each task's `mine`): a fixed number of queries.

    Plain queries grouped here rather than prefetch_related, whose bookkeeping costs more than the
    queries themselves on a feed page.
    """
    posts = list(
        posts.select_related("author").annotate(
            is_read=Exists(PostRead.objects.filter(post=OuterRef("pk"), user=viewer))
        )
    )
    if shown is None:
        post_media(posts, viewer)
    else:
        card_media(posts, viewer, shown=shown)
    post_ids = [post.id for post in posts]
    groups, tasks, rsvps = _groups_of(post_ids), _tasks_of(post_ids, viewer), _my_rsvps_of(post_ids, viewer)
    for post in posts:
        post.group_list = groups[post.id]
        post.read_only = read_only(groups[post.id])
        post.task_list = tasks[post.id]
        post.my_rsvp = rsvps.get(post.id)
    return posts


def _tasks_of(post_ids: list[int], viewer) -> dict[int, list[HelpTask]]:
    """Post id → its help tasks in order, each with `mine` (the viewer signed up): one query."""
    tasks: dict[int, list[HelpTask]] = {post_id: [] for post_id in post_ids}
    if not post_ids:  # no help request on the page: building the query alone costs a millisecond
        return tasks
    my_signups = HelpSignup.objects.filter(task=OuterRef("pk"), guardian=viewer)
    for task in HelpTask.objects.filter(post_id__in=post_ids).annotate(mine=Exists(my_signups)):
        tasks[task.post_id].append(task)
    return tasks


def _my_rsvps_of(post_ids: list[int], viewer) -> dict[int, Rsvp]:
    """Post id → the viewer's family's RSVP (their first child's when they answered for several)."""
    rsvps = Rsvp.objects.filter(post_id__in=post_ids, pupil_id__in=child_ids_of(viewer))
    mine: dict[int, Rsvp] = {}
    for rsvp in rsvps.order_by("pupil_id"):
        mine.setdefault(rsvp.post_id, rsvp)
    return mine


@dataclass(frozen=True)
class PostGroupLabel:
    """What a post shows of one of its groups, and whether the group has comments and reactions on.
    Plain values: a feed page needs dozens, and model instances through a prefetch cost far more."""

    id: int
    public_id: str
    name: str
    kind: str
    comments_on: bool
    read_only: bool  # a class of an earlier school year (schools.queries.past_classes)


def _groups_of(post_ids: list[int]) -> dict[int, list[PostGroupLabel]]:
    """Post id → its groups in the groups' own order: one query."""
    enabled = GroupTimelineSettings.objects.filter(group=OuterRef("group_id"), comments_enabled=True)
    rows = (
        PostGroup.objects.filter(post_id__in=post_ids)
        .order_by(*(f"group__{field}" for field in Group._meta.ordering))
        .values_list("post_id", "group_id", "group__public_id", "group__name", "group__kind")
        .annotate(
            comments_on=Exists(enabled),
            read_only=Exists(past_classes().filter(id=OuterRef("group_id"))),
        )
    )
    groups: dict[int, list[PostGroupLabel]] = {post_id: [] for post_id in post_ids}
    for post_id, *label in rows:
        groups[post_id].append(PostGroupLabel(*label))
    return groups


@dataclass
class Feed:
    pinned: list[Post]
    posts: list[Post]
    next_cursor: str  # public id of the last post, for "load more"; empty at the end


def feed_groups(viewer, *, group: Group | None = None, child: Pupil | None = None) -> list[Group]:
    """The groups the feed shows (id and school only): all I follow, one group (the staff's archive of
    earlier years too), or a child's class and school."""
    groups = groups_followed_by(viewer)
    if group is not None:
        groups = groups_visible_to(viewer).filter(id=group.id)
    if child is not None:
        child_groups = current_enrolments().filter(pupil=child).values("group_id")
        groups = groups.filter(Q(id__in=child_groups) | Q(kind=Group.Kind.SCHOOL, school_id=child.school_id))
    return list(groups.only("id", "school_id"))


def get_feed(
    viewer,
    *,
    group: Group | None = None,
    child: Pupil | None = None,
    after: str = "",
    size: int = PAGE_SIZE,
    shown: int | None = CARD_PHOTOS,
    groups: list[Group] | None = None,
) -> Feed:
    """Newest first; pinned posts on top of the first page. Eight queries however many posts or groups
    (seven when the caller already has the viewer's groups, with their ids and schools)."""
    if groups is None or child is not None:
        groups = feed_groups(viewer, group=group, child=child)
    elif group is not None:
        groups = [g for g in groups if g.id == group.id] or feed_groups(viewer, group=group)
    # A post's groups are all of its own school, so naming the schools is redundant for the result; it
    # lets the database read the newest posts of those schools only, not of every school it holds.
    published = Post.objects.filter(
        _in_groups([g.id for g in groups]),
        shown_to_audience(),
        school_id__in={g.school_id for g in groups},
    )
    pinned: list[Post] = []
    stream = published.filter(pinned_at__isnull=True)
    if after:
        last = published.filter(public_id=after).values("published_at", "id").first()
        if last is None:
            return Feed([], [], "")
        stream = stream.filter(
            Q(published_at__lt=last["published_at"]) | Q(published_at=last["published_at"], id__lt=last["id"])
        )
    page = list(stream.order_by("-published_at", "-id").values_list("id", flat=True)[: size + 1])
    ids = page[:size]
    if not after:
        pinned_ids = list(
            published.filter(pinned_at__isnull=False)
            .order_by("-pinned_at")
            .values_list("id", flat=True)[:PINNED_MAX]
        )
        ids = pinned_ids + ids
    details = with_details(Post.objects.filter(id__in=ids), viewer, shown=shown)
    posts = {post.id: post for post in details}
    ordered = [posts[post_id] for post_id in ids if post_id in posts]
    if not after:
        pinned, ordered = ordered[: len(pinned_ids)], ordered[len(pinned_ids) :]
    cursor = ordered[-1].public_id if len(page) > size and ordered else ""
    return Feed(pinned=pinned, posts=ordered, next_cursor=cursor)


def get_post(viewer, post: Post) -> Post:
    """One post (already authorized) with its details for the viewer."""
    return with_details(Post.objects.filter(id=post.id), viewer)[0]


def can_manage(viewer, post: Post) -> bool:
    return posts_managed_by(viewer).filter(id=post.id).exists()


def can_see_receipts(viewer, post: Post) -> bool:
    """Whoever manages the post (its author, the staff of all its groups); parents never see others'."""
    return can_manage(viewer, post)


def audience_of(post: Post):
    """The guardians of the post's groups (the parents who should read it), as one query."""
    from accounts.models import User

    group_ids = PostGroup.objects.filter(post_id=post.id).values("group_id")
    wide_schools = Group.objects.filter(id__in=group_ids, kind=Group.Kind.SCHOOL).values("school_id")
    enrolled = enrolled_now().filter(
        Q(group_id__in=group_ids)
        | Q(school_year__in=current_school_years(), group__school_id__in=wide_schools)
    )
    return User.objects.filter(
        id__in=Guardianship.objects.filter(pupil_id__in=enrolled.values("pupil_id")).values("guardian_id")
    )


@dataclass
class Receipts:
    read: int
    total: int
    not_read: list  # users, by name


def read_count(post: Post) -> tuple[int, int]:
    """(parents who read it, parents in its groups): one query."""
    audience = audience_of(post)
    counts = audience.aggregate(
        total=Count("id"),
        read=Count("id", filter=Q(id__in=PostRead.objects.filter(post=post).values("user_id"))),
    )
    return counts["read"], counts["total"]


def get_receipts(post: Post) -> Receipts:
    read, total = read_count(post)
    not_read = list(
        audience_of(post)
        .exclude(id__in=PostRead.objects.filter(post=post).values("user_id"))
        .order_by("last_name", "first_name")
        .only("public_id", "first_name", "last_name")
    )
    return Receipts(read=read, total=total, not_read=not_read)


@dataclass
class Answers:
    yes: int
    no: int
    maybe: int
    people: int
    rsvps: list


def get_answers(post: Post) -> Answers:
    """The RSVPs of an event with their notes and screening flags, for its author and staff."""
    rsvps = list(post.rsvps.select_related("pupil", "answered_by").order_by("pupil__first_name"))
    flags = flagged_ids(rsvps)
    for rsvp in rsvps:
        rsvp.flagged = flags.get(rsvp.pk, [])
    count = {answer: sum(1 for rsvp in rsvps if rsvp.answer == answer) for answer in Rsvp.Answer.values}
    people = sum(rsvp.people for rsvp in rsvps if rsvp.answer == Rsvp.Answer.YES)
    return Answers(yes=count["yes"], no=count["no"], maybe=count["maybe"], people=people, rsvps=rsvps)


def signups_of(post: Post) -> list[HelpTask]:
    """A help request's tasks with who signed up, for its author and staff."""
    signups = HelpSignup.objects.select_related("guardian").order_by("signed_up_at")
    return list(post.tasks.prefetch_related(Prefetch("signups", queryset=signups)))


def family_for(viewer, post: Post) -> Pupil | None:
    """The child whose family the viewer answers for: their first child in one of the post's groups."""
    group_ids = list(post.groups.values_list("id", flat=True))
    school_wide = Group.objects.filter(id__in=group_ids, kind=Group.Kind.SCHOOL).values("school_id")
    enrolled = current_enrolments().filter(Q(group_id__in=group_ids) | Q(group__school_id__in=school_wide))
    return (
        Pupil.objects.filter(guardianships__guardian=viewer, id__in=enrolled.values("pupil_id"))
        .order_by("id")
        .first()
    )


def events_between(viewer, start: datetime.datetime, end: datetime.datetime) -> list[Post]:
    """Events of the viewer's groups starting in [start, end), in order."""
    group_ids = groups_followed_by(viewer).values("id")
    return list(
        Post.objects.filter(
            shown_to_audience(),
            _in_groups(group_ids),
            kind=Post.Kind.EVENT,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("starts_at", "id")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("id", "public_id", "name", "kind")))
    )


def album(viewer, group: Group, *, year=None) -> list[MediaFile]:
    """The photos of a group's published posts (in a school year for the school-wide group) that the
    viewer is shown, newest post first."""
    posts = Post.objects.filter(shown_to_audience(), _in_groups([group.id]))
    if year is not None:
        posts = posts.filter(published_at__date__gte=year.starts_on, published_at__date__lte=year.ends_on)
    files = _files_shown_on(viewer, posts.values("id")).filter(kind=MediaFile.Kind.PHOTO)
    return with_display(files.order_by("-carrier_id", "position"))


def staff_of_school_ids(school_id: int):
    return StaffRole.objects.filter(school_id=school_id).values("user_id")


def guardian_ids_of_pupils(pupil_ids):
    return Guardianship.objects.filter(pupil_id__in=pupil_ids).values_list("guardian_id", flat=True)


def read_only(groups: list[PostGroupLabel]) -> bool:
    """THE rule for a read-only post: every group it went to is a class of an earlier school year. It is
    read (by its parents for a while, by staff as an archive) and nobody adds to it any more."""
    return all(group.read_only for group in groups)


def group_labels_of(post: Post) -> list[PostGroupLabel]:
    """One post's groups as with_details gives them (`group_list`): one query."""
    return _groups_of([post.id])[post.id]


def talk_open(post: Post, groups: list[PostGroupLabel]) -> bool:
    """THE rule for comments and reactions: a published post that is not read-only, whose every group has
    them on (off by default)."""
    return post.is_published and not read_only(groups) and all(group.comments_on for group in groups)


def comments_open(post: Post) -> bool:
    return talk_open(post, group_labels_of(post))


def comments_of(viewer, post: Post, *, staff: bool) -> list[Comment]:
    """The post's comments; hidden ones only for the staff of its groups (and its author, who sees that
    a held comment waits for review)."""
    return list(post.comments.filter(comments_shown_to(viewer, staff=staff)).select_related("author"))


def _reactions_by_post(viewer, post_ids: list[int]) -> tuple[dict[int, dict[str, int]], dict[int, str]]:
    """Post id → {kind: count}, and post id → the viewer's own kind: one query for any number of posts."""
    rows = (
        Reaction.objects.filter(post_id__in=post_ids)
        .values_list("post_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user=viewer)))
    )
    counts: dict[int, dict[str, int]] = {post_id: {} for post_id in post_ids}
    mine: dict[int, str] = {}
    for post_id, kind, n, is_mine in rows:
        counts[post_id][kind] = n
        if is_mine:
            mine[post_id] = kind
    return counts, mine


def _reaction_line(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(kind, label, counts.get(kind, 0)) for kind, label in Reaction.Kind.choices]


def reactions_of(viewer, post: Post) -> tuple[list[tuple[str, str, int]], str]:
    """(kind, emoji, count) for every reaction kind, and the viewer's own reaction kind ("" for none)."""
    counts, mine = _reactions_by_post(viewer, [post.id])
    return _reaction_line(counts[post.id]), mine.get(post.id, "")


def with_reactions(viewer, posts: list[Post]) -> None:
    """Set reactions_open, reaction_counts and my_reaction on posts from with_details: one query."""
    if not posts:
        return
    # Counted for every post, open or not, so the number of queries never depends on the settings.
    counts, mine = _reactions_by_post(viewer, [post.id for post in posts])
    for post in posts:
        post.reactions_open = talk_open(post, post.group_list)
        post.reaction_counts = _reaction_line(counts[post.id])
        post.my_reaction = mine.get(post.id, "")


def group_comments_enabled(group: Group) -> bool:
    return GroupTimelineSettings.objects.filter(group=group, comments_enabled=True).exists()


def may_post(viewer) -> bool:
    """Whether to offer "New post": staff and class parents (cheap; the form checks the groups)."""
    from schools.queries import has_any_staff_role

    return has_any_staff_role(viewer) or ClassParent.objects.filter(guardian=viewer).exists()


def awaiting_my_answer(viewer, *, limit: int = 5) -> list[Post]:
    """Open invitations my family has not answered and open help requests with free places I have not
    signed up for, soonest deadline first: one query. For a parent's home; staff answer no invitations."""
    now = timezone.now()
    answered = Rsvp.objects.filter(post=OuterRef("pk"), pupil_id__in=child_ids_of(viewer))
    signed_up = HelpSignup.objects.filter(task__post=OuterRef("pk"), guardian=viewer)
    free = HelpTask.objects.filter(post=OuterRef("pk"), taken__lt=F("places"))
    waiting = Q(kind=Post.Kind.EVENT, starts_at__gt=now) & ~Exists(answered)
    waiting |= Q(kind=Post.Kind.HELP) & ~Exists(signed_up) & Exists(free)
    return list(
        posts_visible_to(viewer)
        .filter(shown_to_audience(), waiting)
        .filter(Q(respond_by__isnull=True) | Q(respond_by__gt=now))
        .order_by(F("respond_by").asc(nulls_last=True), "starts_at", "-published_at")
        .only("public_id", "kind", "title", "starts_at", "respond_by", "location")[:limit]
    )


def _headline(title: str, body: str) -> tuple[str, str]:
    return title, Truncator(plain_text(body)).chars(120)


def post_headlines(viewer, public_ids, *, language: str = "") -> dict[str, tuple[str, str, str]]:
    """Public id → (title, first line of the text, its language if translated) of the posts the viewer may
    see among these: one query; with a reading language, the cached translations too (one query more, and
    one for the tasks of help requests: a translation covers them), missing ones asked in the background."""
    posts = list(
        posts_visible_to(viewer)
        .filter(public_id__in=public_ids)
        .order_by()
        .only("public_id", "school_id", "kind", "title", "body", "location")
    )
    headlines = {post.public_id: (*_headline(post.title, post.body), "") for post in posts}
    if language and posts:
        from translation.queries import cached_texts

        tasks = _tasks_of([post.id for post in posts if post.is_help], viewer)
        for post in posts:
            post.task_list = tasks.get(post.id, [])
        for public_id, texts in cached_texts("post", posts, language).items():
            headlines[public_id] = (*_headline(texts[0], texts[1]), language)
    return headlines
