from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consent.actions import check_send_request, do_ensure_default_purposes
from consent.models import FaceBox, PhotoTag
from core.access_matrix import AccessCase, also_posted
from media.models import MediaFile

NOT_ADMIN = ("teacher", "parent", "class_parent", "outsider", "other_school_parent", "other_board_parent")
NOT_AUTHOR = (
    "parent",
    "class_parent",
    "outsider",
    "other_teacher",
    "other_school_parent",
    "other_board_parent",
)
NOT_STAFF = ("parent", "class_parent", "outsider", "other_school_parent", "other_board_parent")


def photo(w, *, on_group: bool = True) -> MediaFile:
    """A ready photo the teacher put on Groep 3 (or, with on_group=False, uploaded for a post still being
    written), with one face box on which Daan is tagged."""
    carrier = {"carrier_type": ContentType.objects.get_for_model(w.group3), "carrier_id": w.group3.id}
    media = MediaFile.objects.create(
        school=w.school,
        uploaded_by=w.teacher,
        kind=MediaFile.Kind.PHOTO,
        status=MediaFile.Status.READY,
        ready_at=timezone.now(),
        original_name="klas.jpg",
        withheld_at=timezone.now() if on_group else None,
        **(carrier if on_group else {}),
    )
    face = FaceBox.objects.create(media=media, left=0.1, top=0.1, width=0.2, height=0.2)
    PhotoTag.objects.create(media=media, pupil=w.child, face=face, tagged_by=w.teacher)
    return media


TEACHERS_NOT_UPLOADER = ("duo_teacher", "other_teacher")


def WITHHELD(w) -> str:  # noqa: N802 - read as a constant in the cases
    return "matrix-withheld.jpg"


def with_withheld(path: str):
    """The path, after a photo the teacher put on Groep 3 was withheld."""

    def build(w) -> str:
        MediaFile.objects.filter(pk=photo(w).pk).update(original_name=WITHHELD(w))
        return path

    return build


def purpose(w) -> str:
    return do_ensure_default_purposes(school=w.school)[0].public_id


def consent_request(w) -> str:
    return check_send_request(acting_user=w.director, school=w.school, reason="year").public_id


def page(key, path, allowed, outsiders, **extra) -> AccessCase:
    return AccessCase(key=f"consent:{key}", path=path, allowed=allowed, outsiders=outsiders, **extra)


def post(key, path, allowed, outsiders, **extra) -> AccessCase:
    return page(key, path, allowed, outsiders, method="post", allowed_status=302, **extra)


def api(key, path, allowed, outsiders, **extra) -> AccessCase:
    return AccessCase(
        key=f"api:privacy/{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra
    )


def school(w) -> str:
    return f"/privacy/school/{w.school.public_id}/"


def api_school(w) -> str:
    return f"/api/v1/privacy/schools/{w.school.public_id}"


CASES = [
    page(
        "preferences",
        lambda w: "/privacy/",
        "parent",
        ("outsider", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    # The caller's own withheld uploads: the duo and the other class's teacher each get their own list.
    page("tasks", with_withheld("/privacy/tasks/"), "teacher", TEACHERS_NOT_UPLOADER, secret=WITHHELD),
    post(
        "answer",
        lambda w: f"/privacy/children/{w.child.public_id}/",
        "parent",
        ("class_parent", "outsider", "teacher", "other_school_parent"),
        data={},
    ),
    post(
        "avatar",
        lambda w: f"/privacy/children/{w.child.public_id}/photo/",
        "parent",
        ("class_parent", "outsider", "teacher", "other_school_parent"),
    ),
    post(
        "avatar_remove",
        lambda w: f"/privacy/children/{w.child.public_id}/photo/remove/",
        "parent",
        ("class_parent", "outsider", "teacher", "other_school_parent"),
    ),
    page("school", school, "office", NOT_ADMIN),
    post("purpose_add", lambda w: f"{school(w)}purposes/", "office", NOT_ADMIN, data={"name": "Jaarboek"}),
    post(
        "request_send",
        lambda w: f"{school(w)}requests/",
        "director",
        (*NOT_ADMIN, "office"),
        data={"reason": "year"},
    ),
    post("settings", lambda w: f"{school(w)}settings/", "office", NOT_ADMIN),
    post(
        "purpose_change",
        lambda w: f"/privacy/purposes/{purpose(w)}/change/",
        "office",
        NOT_ADMIN,
        data={"name": "X"},
    ),
    # Every parent and staff member of the school reads its privacy page; only the director edits it.
    page(
        "statement",
        lambda w: f"/privacy/statement/{w.school.public_id}/",
        "parent",
        ("other_school_parent", "other_board_parent"),
    ),
    post(
        "statement_save",
        lambda w: f"/privacy/statement/{w.school.public_id}/edit/",
        "director",
        (*NOT_ADMIN, "office"),
        data={"officer_name": "Mw. de Groot"},
    ),
    post("purpose_remove", lambda w: f"/privacy/purposes/{purpose(w)}/remove/", "office", NOT_ADMIN),
    post(
        "request_remind",
        lambda w: f"/privacy/requests/{consent_request(w)}/remind/",
        "director",
        (*NOT_ADMIN, "office"),
    ),
    page(
        "group", lambda w: f"/privacy/groups/{w.group3.public_id}/", "teacher", (*NOT_STAFF, "other_teacher")
    ),
    post("group_release", lambda w: f"/privacy/groups/{w.group3.public_id}/release/", "teacher", NOT_STAFF),
    page("media", lambda w: f"/privacy/media/{photo(w).public_id}/", "teacher", NOT_AUTHOR),
    post(
        "media_tag",
        lambda w: f"/privacy/media/{photo(w).public_id}/tag/",
        "teacher",
        NOT_AUTHOR,
        data={"pupil": "nobody-here-0000"},
    ),
    post("media_blur", lambda w: f"/privacy/media/{photo(w).public_id}/blur/", "teacher", NOT_AUTHOR),
    post("media_remove", lambda w: f"/privacy/media/{photo(w).public_id}/remove/", "teacher", NOT_AUTHOR),
    post(
        "tag_remove",
        lambda w: f"/privacy/tags/{photo(w).photo_tags.get().public_id}/remove/",
        "teacher",
        NOT_AUTHOR,
    ),
    # API
    api(
        "children",
        lambda w: "/api/v1/privacy/children",
        "parent",
        ("outsider", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    api(
        "children/<pupil_id>",
        lambda w: f"/api/v1/privacy/children/{w.child.public_id}",
        "parent",
        ("class_parent", "outsider", "teacher", "other_school_parent"),
        method="put",
        data={"answers": {}},
        allowed_status=422,
    ),
    *[
        api(
            "children/<pupil_id>/photo",
            lambda w: f"/api/v1/privacy/children/{w.child.public_id}/photo",
            "parent",
            ("class_parent", "outsider", "teacher", "other_school_parent"),
            method=method,
            allowed_status=status,
        )
        # Without a file the upload is refused (422) after the child was found to be the caller's.
        for method, status in (("get", 200), ("post", 422), ("delete", 204))
    ],
    api("schools/<school_id>/settings", lambda w: f"{api_school(w)}/settings", "office", NOT_ADMIN),
    api(
        "schools/<school_id>/settings",
        lambda w: f"{api_school(w)}/settings",
        "office",
        NOT_ADMIN,
        method="patch",
        data={"child_avatars": True},
    ),
    api("schools/<school_id>/purposes", lambda w: f"{api_school(w)}/purposes", "office", NOT_ADMIN),
    api(
        "schools/<school_id>/purposes",
        lambda w: f"{api_school(w)}/purposes",
        "office",
        NOT_ADMIN,
        method="post",
        data={"name": "Jaarboek", "scope": "other"},
        allowed_status=201,
    ),
    api(
        "purposes/<purpose_id>",
        lambda w: f"/api/v1/privacy/purposes/{purpose(w)}",
        "office",
        NOT_ADMIN,
        method="patch",
        data={"name": "Klasfoto's"},
    ),
    api(
        "purposes/<purpose_id>",
        lambda w: f"/api/v1/privacy/purposes/{purpose(w)}",
        "office",
        NOT_ADMIN,
        method="delete",
        allowed_status=204,
    ),
    api(
        "purposes/<purpose_id>/versions",
        lambda w: f"/api/v1/privacy/purposes/{purpose(w)}/versions",
        "office",
        NOT_ADMIN,
    ),
    api("schools/<school_id>/requests", lambda w: f"{api_school(w)}/requests", "office", NOT_ADMIN),
    api(
        "schools/<school_id>/requests",
        lambda w: f"{api_school(w)}/requests",
        "director",
        (*NOT_ADMIN, "office"),
        method="post",
        data={"reason": "year"},
        allowed_status=201,
    ),
    api(
        "requests/<request_id>/remind",
        lambda w: f"/api/v1/privacy/requests/{consent_request(w)}/remind",
        "director",
        (*NOT_ADMIN, "office"),
        method="post",
    ),
    api(
        "groups/<group_id>",
        lambda w: f"/api/v1/privacy/groups/{w.group3.public_id}",
        "teacher",
        (*NOT_STAFF, "other_teacher"),
    ),
    api(
        "groups/<group_id>/release",
        lambda w: f"/api/v1/privacy/groups/{w.group3.public_id}/release",
        "teacher",
        NOT_STAFF,
        method="post",
    ),
    api("media/<media_id>", lambda w: f"/api/v1/privacy/media/{photo(w).public_id}", "teacher", NOT_AUTHOR),
    api(
        "media/<media_id>/tags",
        lambda w: f"/api/v1/privacy/media/{photo(w).public_id}/tags",
        "teacher",
        NOT_AUTHOR,
        method="post",
        data={"pupil": "nobody-here-0000"},
        allowed_status=422,
    ),
    api(
        "media/<media_id>/blur",
        lambda w: f"/api/v1/privacy/media/{photo(w).public_id}/blur",
        "teacher",
        NOT_AUTHOR,
        method="post",
        data={"faces": []},
        allowed_status=422,
    ),
    api(
        "tags/<tag_id>",
        lambda w: f"/api/v1/privacy/tags/{photo(w).photo_tags.get().public_id}",
        "teacher",
        NOT_AUTHOR,
        method="delete",
        allowed_status=204,
    ),
    api(
        "schools/<school_id>/statement",
        lambda w: f"{api_school(w)}/statement",
        "parent",
        ("other_school_parent", "other_board_parent"),
    ),
    api(
        "schools/<school_id>/statement",
        lambda w: f"{api_school(w)}/statement",
        "director",
        (*NOT_ADMIN, "office"),
        method="put",
        data={"officer_name": "Mw. de Groot"},
    ),
    api("tasks", with_withheld("/api/v1/privacy/tasks"), "teacher", TEACHERS_NOT_UPLOADER, secret=WITHHELD),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "consent:group",
    "consent:media",
    "consent:preferences",
    "consent:school",
    "consent:statement",
    "consent:tasks",
)
