from core.access_matrix import AccessCase, also_posted
from core.clock import SCHOOL_TZ
from posts.actions import Draft, check_publish_post, do_rotate_calendar_feed
from posts.tests.helpers import in_days, verified

# Not in Groep 3 (nor staff of it): must get 404 for its posts, exactly like a missing post.
NOT_GROUP3 = ("outsider", "other_teacher", "other_school_parent", "other_board_parent")
# Parents of Groep 3 who may read but not manage the post.
NOT_MANAGERS = ("parent", "outsider", "other_teacher", "other_school_parent")


def a_post(w, **fields):
    fields.setdefault("title", "Schoolreis")
    return check_publish_post(acting_user=verified(w.teacher), groups=[w.group3], draft=Draft(**fields))


PENDING_TITLE = "Traktatierooster"
# A class parent's post waiting for approval is seen by its author and its groups' staff only; of these, the
# class's teachers and the school's director and office approve it. Other parents do not know it exists.
NOT_APPROVERS = ("parent", "outsider", "other_teacher", "other_school_parent")


def pending(w):
    """The class parent's post to Groep 3, waiting for approval."""
    return check_publish_post(acting_user=w.class_parent, groups=[w.group3], draft=Draft(title=PENDING_TITLE))


def pending_path(suffix: str):
    return lambda w: f"/posts/{pending(w).public_id}/{suffix}"


def post_path(suffix: str = "", **fields):
    return lambda w: f"/posts/{a_post(w, **fields).public_id}/{suffix}"


def event_path(suffix: str = ""):
    return post_path(suffix, kind="event", starts_at=in_days(7), respond_by=in_days(5))


def task_path(w) -> str:
    post = a_post(w, kind="help", tasks=[("Rijden", 4)])
    return f"/posts/tasks/{post.tasks.get().public_id}/signup/"


def api_task_path(w) -> str:
    post = a_post(w, kind="help", tasks=[("Rijden", 4)])
    return f"/api/v1/posts/tasks/{post.tasks.get().public_id}/signup"


def page(key, path, allowed="parent", outsiders=NOT_GROUP3, **extra) -> AccessCase:
    return AccessCase(key=f"posts:{key}", path=path, allowed=allowed, outsiders=outsiders, **extra)


def post_form(key, path, allowed="parent", outsiders=NOT_GROUP3, **extra) -> AccessCase:
    return page(key, path, allowed, outsiders, method="post", allowed_status=302, **extra)


def api(key, path, allowed="parent", outsiders=NOT_GROUP3, **extra) -> AccessCase:
    return AccessCase(key=f"api:{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra)


def commented(w):
    """A post in Groep 3 with comments on and one comment by the parent."""
    from posts.comment_actions import check_comment, check_set_comments

    check_set_comments(acting_user=verified(w.teacher), group=w.group3, enabled=True)
    post = a_post(w)
    return check_comment(acting_user=w.parent, post=post, body="Leuk!")


NOT_ADMIN = ("teacher", "parent", "outsider", "other_school_parent", "other_board_parent")


def loose_photo_path(w) -> str:
    """A photo the teacher uploaded for a post still being written (on no carrier yet)."""
    from consent.tests.access_cases import photo

    return f"/posts/new/photos/?media={photo(w, on_group=False).public_id}"


# Only its uploader sees an upload that is not on a post yet, not even a teacher of the same class.
NOT_UPLOADER = ("duo_teacher", "director", "parent", "outsider", "other_teacher", "other_school_parent")


def zip_path(w) -> str:
    """A Groep 3 post with one processed photo whose largest size is in the media storage."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from media.models import MediaFile, Rendition
    from media.storage import media_storage

    post = a_post(w)
    media = MediaFile.objects.create(
        school=w.school,
        uploaded_by=w.teacher,
        kind=MediaFile.Kind.PHOTO,
        status=MediaFile.Status.READY,
        ready_at=timezone.now(),
        original_name="klas.jpg",
        carrier=post,
    )
    stored = media_storage().save(f"matrix-{media.public_id}.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
    Rendition.objects.create(
        media=media, name="1600.jpg", storage_name=stored, content_type="image/jpeg", byte_size=4, etag="m"
    )
    return f"/posts/{post.public_id}/photos.zip"


# For the lists of one's own things: a parent elsewhere gets their own list, without Groep 3's post.
STRANGERS = ("outsider", "other_school_parent", "other_board_parent")
SECRET_TITLE = "Schoolreis naar Artis"


def with_post(path: str):
    """A Groep 3 post exists (its title is the secret), then the path."""
    return lambda w: a_post(w, title=SECRET_TITLE) and path


def calendar_path(prefix: str):
    """A Groep 3 event next week, and the calendar of its month."""

    def build(w) -> str:
        event = a_post(w, title=SECRET_TITLE, kind="event", starts_at=in_days(7), respond_by=in_days(5))
        return f"{prefix}?month={event.starts_at.astimezone(SCHOOL_TZ):%Y-%m}"

    return build


def ics_path(w) -> str:
    return f"/calendar/{do_rotate_calendar_feed(acting_user=w.parent)}.ics"


CASES = [
    page("feed", with_post("/posts/"), outsiders=STRANGERS, secret=lambda w: SECRET_TITLE),
    # Another class's teacher is offered their own class, not Groep 3.
    page(
        "post_new",
        lambda w: "/posts/new/",
        allowed="teacher",
        outsiders=("other_teacher",),
        secret=lambda w: "Groep 3",
    ),
    page("compose_photos", loose_photo_path, allowed="teacher", outsiders=NOT_UPLOADER),
    page("post_detail", post_path()),
    page("post_edit", post_path("edit/"), allowed="teacher", outsiders=NOT_MANAGERS),
    post_form("post_delete", post_path("delete/"), allowed="duo_teacher", outsiders=NOT_MANAGERS),
    post_form(
        "post_pin", post_path("pin/"), allowed="duo_teacher", outsiders=NOT_MANAGERS, data={"pinned": "1"}
    ),
    post_form("post_approve", pending_path("approve/"), allowed="duo_teacher", outsiders=NOT_APPROVERS),
    post_form("post_reject", pending_path("reject/"), allowed="director", outsiders=NOT_APPROVERS),
    page(
        "approvals",
        lambda w: pending(w) and "/posts/approvals/",
        allowed="director",
        outsiders=("parent", "outsider", "other_teacher", "other_school_parent"),
        secret=lambda w: PENDING_TITLE,
    ),
    page("post_receipts", post_path("receipts/"), allowed="teacher", outsiders=NOT_MANAGERS),
    post_form("post_rsvp", event_path("rsvp/"), data={"answer": "yes", "people": "2"}),
    page("post_ics", event_path("event.ics")),
    page("post_photos_zip", zip_path, allowed="parent"),
    post_form("task_signup", task_path),
    page("calendar", calendar_path("/calendar/"), outsiders=STRANGERS, secret=lambda w: SECRET_TITLE),
    post_form("calendar_address", lambda w: "/calendar/address/", outsiders=()),
    AccessCase(key="posts:calendar_feed", path=ics_path, kind="token", anonymous_status=200),
    AccessCase(
        key="posts:calendar_feed",
        path=lambda w: "/calendar/not-a-real-token.ics",
        kind="token",
        anonymous_status=404,
    ),
    page("album", lambda w: f"/groups/{w.group3.public_id}/album/"),
    post_form("post_comment", post_path("comments/"), data={"body": "Leuk!"}),
    post_form("post_react", post_path("react/"), data={"kind": "heart"}),
    post_form(
        "comment_delete",
        lambda w: f"/posts/comments/{commented(w).public_id}/delete/",
        allowed="parent",
        outsiders=("co_parent", "class_parent", "outsider", "other_teacher", "other_school_parent"),
    ),
    page(
        "group_timeline_settings",
        lambda w: f"/groups/{w.group3.public_id}/timeline-settings/",
        allowed="teacher",
        outsiders=("parent", "outsider", "other_teacher", "other_school_parent"),
    ),
    page(
        "school_timeline_settings",
        lambda w: f"/school/{w.school.public_id}/timeline/",
        allowed="director",
        outsiders=NOT_ADMIN,
    ),
    api("posts", with_post("/api/v1/posts"), outsiders=STRANGERS, secret=lambda w: SECRET_TITLE),
    api(
        "posts",
        lambda w: "/api/v1/posts",
        allowed="teacher",
        outsiders=(),
        method="post",
        data={},
        allowed_status=422,
    ),
    api(
        "posts/photo-check",
        lambda w: "/api/v1/posts/photo-check",
        allowed="teacher",
        outsiders=(),
        method="post",
        data={"groups": [], "media_ids": []},
    ),
    api("posts/<post_id>", lambda w: f"/api/v1/posts/{a_post(w).public_id}"),
    api(
        "posts/<post_id>",
        lambda w: f"/api/v1/posts/{a_post(w).public_id}",
        allowed="teacher",
        outsiders=NOT_MANAGERS,
        method="patch",
        data={"title": "Nieuw"},
    ),
    api(
        "posts/<post_id>",
        lambda w: f"/api/v1/posts/{a_post(w).public_id}",
        allowed="duo_teacher",
        outsiders=NOT_MANAGERS,
        method="delete",
        allowed_status=204,
    ),
    api(
        "posts/<post_id>/read",
        lambda w: f"/api/v1/posts/{a_post(w).public_id}/read",
        method="post",
        allowed_status=204,
    ),
    api(
        "posts/<post_id>/event.ics",
        lambda w: event_path("")(w).replace("/posts/", "/api/v1/posts/").rstrip("/") + "/event.ics",
    ),
    api(
        "posts/<post_id>/receipts",
        lambda w: f"/api/v1/posts/{a_post(w).public_id}/receipts",
        allowed="teacher",
        outsiders=NOT_MANAGERS,
    ),
    api(
        "posts/<post_id>/pin",
        lambda w: f"/api/v1/posts/{a_post(w).public_id}/pin",
        allowed="duo_teacher",
        outsiders=NOT_MANAGERS,
        method="post",
        data={"pinned": True},
    ),
    api(
        "posts/<post_id>/approve",
        lambda w: f"/api/v1/posts/{pending(w).public_id}/approve",
        allowed="duo_teacher",
        outsiders=NOT_APPROVERS,
        method="post",
    ),
    api(
        "posts/<post_id>/reject",
        lambda w: f"/api/v1/posts/{pending(w).public_id}/reject",
        allowed="director",
        outsiders=NOT_APPROVERS,
        method="post",
        data={"reason": "Graag zonder namen."},
        allowed_status=204,
    ),
    api(
        "posts/approvals",
        lambda w: pending(w) and "/api/v1/posts/approvals",
        allowed="teacher",
        outsiders=("parent", "outsider", "other_teacher", "other_school_parent"),
        secret=lambda w: PENDING_TITLE,
    ),
    api(
        "posts/<post_id>/rsvp",
        lambda w: f"/api/v1/posts/{a_post(w, kind='event', starts_at=in_days(3)).public_id}/rsvp",
        method="post",
        data={"answer": "yes", "people": 2},
    ),
    api(
        "posts/<post_id>/answers",
        lambda w: f"/api/v1/posts/{a_post(w, kind='event', starts_at=in_days(3)).public_id}/answers",
        allowed="teacher",
        outsiders=NOT_MANAGERS,
    ),
    api(
        "posts/<post_id>/signups",
        lambda w: f"/api/v1/posts/{a_post(w, kind='help', tasks=[('Rijden', 2)]).public_id}/signups",
        allowed="duo_teacher",
        outsiders=NOT_MANAGERS,
    ),
    api("posts/tasks/<task_id>/signup", api_task_path, method="post", allowed_status=201),
    api("posts/tasks/<task_id>/signup", api_task_path, method="delete", allowed_status=422),
    api(
        "calendar",
        calendar_path("/api/v1/calendar"),
        outsiders=STRANGERS,
        secret=lambda w: SECRET_TITLE,
    ),
    api("posts/<post_id>/comments", lambda w: f"/api/v1/posts/{commented(w).post.public_id}/comments"),
    api(
        "posts/<post_id>/comments",
        lambda w: f"/api/v1/posts/{commented(w).post.public_id}/comments",
        method="post",
        data={"body": "Gezellig"},
        allowed_status=201,
    ),
    api(
        "posts/comments/<comment_id>",
        lambda w: f"/api/v1/posts/comments/{commented(w).public_id}",
        method="delete",
        allowed="duo_teacher",
        outsiders=("co_parent", "class_parent", "outsider", "other_teacher"),
        allowed_status=204,
    ),
    api(
        "posts/<post_id>/reactions",
        lambda w: f"/api/v1/posts/{commented(w).post.public_id}/reactions",
        method="post",
        data={"kind": "clap"},
    ),
    api(
        "groups/<group_id>/timeline-settings",
        lambda w: f"/api/v1/groups/{w.group3.public_id}/timeline-settings",
        outsiders=("outsider", "other_teacher", "other_school_parent"),
    ),
    api(
        "groups/<group_id>/timeline-settings",
        lambda w: f"/api/v1/groups/{w.group3.public_id}/timeline-settings",
        method="put",
        data={"comments_enabled": True},
        allowed="teacher",
        outsiders=("parent", "outsider", "other_teacher", "other_school_parent"),
    ),
    api(
        "schools/<school_id>/timeline-settings",
        lambda w: f"/api/v1/schools/{w.school.public_id}/timeline-settings",
        allowed="office",
        outsiders=NOT_ADMIN,
    ),
    api(
        "schools/<school_id>/timeline-settings",
        lambda w: f"/api/v1/schools/{w.school.public_id}/timeline-settings",
        method="put",
        data={"class_parent_posts_need_approval": False, "photo_download_allowed": True},
        allowed="director",
        outsiders=NOT_ADMIN,
    ),
    api(
        "calendar/address",
        lambda w: "/api/v1/calendar/address",
        outsiders=(),
        method="post",
        allowed_status=201,
    ),
    api(
        "calendar/address",
        lambda w: "/api/v1/calendar/address",
        outsiders=(),
        method="delete",
        allowed_status=204,
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "posts:post_edit",
    "posts:post_new",
    "posts:school_timeline_settings",
)
# It saves (or accepts) what it is sent and goes back.
CASES += also_posted(CASES, "posts:group_timeline_settings", allowed_status=302)
