from conversations.tests.helpers import class_conversation, staff_conversation
from core.access_matrix import AccessCase, also_posted

# Not part of the parent's conversation with Groep 3 about Daan: 404, exactly like a missing thread.
NOT_IN_THREAD = ("other_teacher", "class_parent", "outsider", "other_school_parent", "other_board_parent")
# No work at De Schakel.
NOT_STAFF = ("parent", "class_parent", "outsider", "other_school_parent", "other_board_parent")
NOT_ADMIN = ("teacher", *NOT_STAFF)


def thread(w, suffix: str = "") -> str:
    return f"/messages/{class_conversation(w).public_id}/{suffix}"


def api_thread(w, suffix: str = "") -> str:
    return f"/api/v1/conversations/{class_conversation(w).public_id}{suffix}"


def page(name, path, **extra) -> AccessCase:
    return AccessCase(key=f"conversations:{name}", path=path, **extra)


def api(route, path, **extra) -> AccessCase:
    return AccessCase(key=f"api:conversations/{route}", path=path, kind="api", **extra)


def with_thread(path: str):
    """The path, after the parent has written to Groep 3 about the dentist ("Tandarts")."""

    def build(w) -> str:
        class_conversation(w)
        return path

    return build


# Case data is fixed, so the child written about gets a known public id.
CHILD = "MatrixChildCv001"


def known_child(w, path: str) -> str:
    w.child.public_id = CHILD
    w.child.save(update_fields=["public_id"])
    return path


MESSAGE = {"body": "Dank u, ik geef het door."}

CASES = [
    page(
        "inbox",
        with_thread("/messages/"),
        allowed="parent",
        outsiders=NOT_IN_THREAD,
        secret=lambda w: "Tandarts",
    ),
    page("unread", lambda w: "/messages/unread/", allowed="class_parent"),
    page(
        "new",
        lambda w: "/messages/new/",
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    page("start", lambda w: f"/messages/new/{w.child.public_id}/", allowed="parent", outsiders=NOT_IN_THREAD),
    page(
        "start",
        lambda w: f"/messages/new/{w.child.public_id}/",
        method="post",
        data={"subject": "Gym", "body": "Daan mag niet gymmen."},
        allowed="parent",
        allowed_status=302,
        outsiders=NOT_IN_THREAD,
    ),
    page(
        "availability",
        lambda w: f"/messages/availability/{w.school.public_id}/",
        allowed="teacher",
        outsiders=NOT_STAFF,
    ),
    page(
        "school_settings",
        lambda w: f"/messages/school/{w.school.public_id}/",
        allowed="director",
        outsiders=NOT_ADMIN,
    ),
    page("thread", thread, allowed="duo_teacher", outsiders=NOT_IN_THREAD),
    page(
        "send",
        lambda w: thread(w, "send/"),
        method="post",
        data=MESSAGE,
        allowed="teacher",
        allowed_status=302,
        outsiders=NOT_IN_THREAD,
    ),
    page(
        "close",
        lambda w: thread(w, "close/"),
        method="post",
        allowed="teacher",
        allowed_status=302,
        outsiders=("parent", *NOT_IN_THREAD),
    ),
    page(
        "reopen",
        lambda w: thread(w, "reopen/"),
        method="post",
        allowed="duo_teacher",
        allowed_status=302,
        outsiders=("parent", *NOT_IN_THREAD),
    ),
    page(
        "add_director",
        lambda w: thread(w, "director/"),
        method="post",
        allowed="parent",
        allowed_status=302,
        outsiders=NOT_IN_THREAD,
    ),
    # A conversation of the office with the co-parent: not even the other parent of Daan may read it.
    page(
        "thread",
        lambda w: f"/messages/{staff_conversation(w).public_id}/",
        allowed="co_parent",
        outsiders=("parent", "teacher", "duo_teacher", "director", *NOT_IN_THREAD),
    ),
    api(
        "",
        with_thread("/api/v1/conversations/"),
        allowed="parent",
        outsiders=NOT_IN_THREAD,
        secret=lambda w: "Tandarts",
    ),
    # A pupil who is not one's own child (nor taught) is a 404, like a missing one.
    api(
        "",
        lambda w: known_child(w, "/api/v1/conversations/"),
        method="post",
        data={"pupil_id": CHILD, "subject": "Gym", "body": "Daan mag niet gymmen."},
        allowed="parent",
        allowed_status=201,
        outsiders=("class_parent", "outsider", "other_school_parent", "other_board_parent"),
    ),
    api("unread", lambda w: "/api/v1/conversations/unread", allowed="teacher"),
    api(
        "notice/<pupil_id>",
        lambda w: f"/api/v1/conversations/notice/{w.child.public_id}",
        allowed="parent",
        outsiders=NOT_IN_THREAD,
    ),
    api(
        "availability/<school_id>",
        lambda w: f"/api/v1/conversations/availability/{w.school.public_id}",
        allowed="office",
        outsiders=NOT_STAFF,
    ),
    api(
        "availability/<school_id>",
        lambda w: f"/api/v1/conversations/availability/{w.school.public_id}",
        method="put",
        data={"days": [1, 2, 3], "starts_at": "08:00", "ends_at": "14:00"},
        allowed="teacher",
        outsiders=NOT_STAFF,
    ),
    api(
        "schools/<school_id>/settings",
        lambda w: f"/api/v1/conversations/schools/{w.school.public_id}/settings",
        allowed="office",
        outsiders=NOT_ADMIN,
    ),
    api(
        "schools/<school_id>/settings",
        lambda w: f"/api/v1/conversations/schools/{w.school.public_id}/settings",
        method="put",
        data={"reply_days": 3, "phone": "071 402 11 22"},
        allowed="director",
        outsiders=NOT_ADMIN,
    ),
    api("<conversation_id>", api_thread, allowed="teacher", outsiders=NOT_IN_THREAD),
    api(
        "<conversation_id>/messages",
        lambda w: api_thread(w, "/messages"),
        method="post",
        data=MESSAGE,
        allowed="parent",
        allowed_status=201,
        outsiders=NOT_IN_THREAD,
    ),
    api(
        "<conversation_id>/read",
        lambda w: api_thread(w, "/read"),
        method="post",
        allowed="duo_teacher",
        allowed_status=204,
        outsiders=NOT_IN_THREAD,
    ),
    api(
        "<conversation_id>/close",
        lambda w: api_thread(w, "/close"),
        method="post",
        allowed="teacher",
        allowed_status=204,
        outsiders=("parent", *NOT_IN_THREAD),
    ),
    api(
        "<conversation_id>/reopen",
        lambda w: api_thread(w, "/reopen"),
        method="post",
        allowed="teacher",
        allowed_status=204,
        outsiders=("parent", *NOT_IN_THREAD),
    ),
    api(
        "<conversation_id>/director",
        lambda w: api_thread(w, "/director"),
        method="post",
        allowed="teacher",
        allowed_status=204,
        outsiders=NOT_IN_THREAD,
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "conversations:availability",
    "conversations:school_settings",
)
