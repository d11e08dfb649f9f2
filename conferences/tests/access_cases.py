from conferences.models import SwapRequest, Talk
from conferences.tests.helpers import make_round
from core.access_matrix import AccessCase

STRANGERS = ("outsider", "other_school_parent", "other_board_parent")


def round_path(phase="preferences", tail="", **kwargs):
    def build(w) -> str:
        return f"/conferences/{make_round(w, phase=phase, **kwargs).public_id}/{tail}"

    return build


def only_group3(phase, tail=""):
    def build(w) -> str:
        return f"/conferences/{make_round(w, phase=phase, groups=[w.group3]).public_id}/{tail}"

    return build


def group_path(tail=""):
    def build(w) -> str:
        round_ = make_round(w, phase="published")
        return f"/conferences/{round_.public_id}/groups/{w.group3.public_id}/{tail}"

    return build


def daan_talk(w) -> Talk:
    round_ = make_round(w, phase="published", groups=[w.group3])
    return Talk.objects.get(round=round_, pupils=w.child)


def talk_path(tail=""):
    return lambda w: f"/conferences/talks/{daan_talk(w).public_id}/{tail}"


def swap(w) -> SwapRequest:
    """Yasmin's family asks Daan's family to trade times."""
    daan = daan_talk(w)
    yasmin = Talk.objects.get(round=daan.round, pupils=w.class_parent_child)
    return SwapRequest.objects.create(
        round=daan.round,
        talk=yasmin,
        other=daan,
        talk_starts_at=yasmin.starts_at,
        other_starts_at=daan.starts_at,
        requested_by=w.class_parent,
    )


def api_round(phase="preferences", tail="", **kwargs):
    def build(w) -> str:
        return f"/api/v1/conferences/{make_round(w, phase=phase, **kwargs).public_id}{tail}"

    return build


def page(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    return AccessCase(key=f"conferences:{key}", path=path, allowed=allowed, outsiders=outsiders, **extra)


def post(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    extra.setdefault("allowed_status", 302)
    return page(key, path, allowed, outsiders, method="post", **extra)


def api(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    return AccessCase(
        key=f"api:conferences{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra
    )


# Case data is fixed, so the pupil flagged and the school named get known public ids.
CHILD, SCHOOL = "matrix-child-cf1", "matrix-school-cf"


def known(w, path: str) -> str:
    w.child.public_id, w.school.public_id = CHILD, SCHOOL
    w.child.save(update_fields=["public_id"])
    w.school.save(update_fields=["public_id"])
    return path


def with_round(path: str):
    """The path, after a round of Groep 3 and 6 opened: a list of one's own must not show it to others."""

    def build(w) -> str:
        make_round(w)
        return path

    return build


SECRET = "Gespreksronde najaar"


CASES = [
    # Everyone signed in gets their own list: a round of Groep 3 and 6 is not shown to other families.
    page(
        "index",
        with_round("/conferences/"),
        outsiders=("outsider", "other_school_parent"),
        secret=lambda w: SECRET,
    ),
    page("round_new", lambda w: "/conferences/new/", allowed="director", outsiders=("parent", "outsider")),
    # An incomplete form is shown again with its errors.
    page(
        "round_new",
        lambda w: "/conferences/new/",
        allowed="director",
        outsiders=("parent",),
        method="post",
        data={"name": "x"},
    ),
    page("round_detail", round_path(), outsiders=STRANGERS),
    page(
        "round_detail", only_group3("preferences"), allowed="teacher", outsiders=("other_teacher", "outsider")
    ),
    page(
        "round_edit",
        round_path(tail="edit/"),
        allowed="director",
        outsiders=("teacher", "parent", "outsider"),
    ),
    page(
        "round_edit",
        round_path(tail="edit/"),
        allowed="director",
        outsiders=("teacher", "parent"),
        method="post",
        data={"name": ""},
    ),
    post("round_preferences", round_path(tail="preferences/"), data={"b0": "can"}),
    post(
        "round_plan",
        round_path("planning", "plan/"),
        allowed="director",
        outsiders=("teacher", "parent", *STRANGERS),
    ),
    post(
        "round_publish",
        round_path("planned", "publish/"),
        allowed="director",
        outsiders=("teacher", "parent"),
    ),
    page(
        "round_evening",
        round_path("published", "evening/"),
        allowed="teacher",
        outsiders=("parent", *STRANGERS),
    ),
    page("round_calendar", round_path("published", "calendar.ics"), outsiders=STRANGERS),
    page("round_group", group_path(), allowed="teacher", outsiders=("other_teacher", "parent", "outsider")),
    post(
        "round_group_flag",
        lambda w: known(w, f"{round_path()(w)}groups/{w.group3.public_id}/flag/"),
        allowed="teacher",
        outsiders=("other_teacher", "parent"),
        data={"pupil": CHILD, "priority": "on"},
    ),
    post(
        "round_my_times",
        round_path(tail="my-times/"),
        allowed="teacher",
        outsiders=("parent", *STRANGERS),
        data={"e0_starts": "18:00", "e0_ends": "19:00"},
    ),
    post(
        "round_group_settings",
        lambda w: f"{round_path()(w)}groups/{w.group3.public_id}/settings/",
        allowed="teacher",
        outsiders=("other_teacher", "parent", "outsider"),
        data={"slot_minutes": 15},
    ),
    page("talk_detail", talk_path(), outsiders=("class_parent", "other_teacher", *STRANGERS)),
    page("talk_detail", talk_path(), allowed="teacher", outsiders=("other_teacher", "class_parent")),
    page("talk_calendar", talk_path("calendar.ics"), outsiders=("class_parent", "teacher", "outsider")),
    post("talk_move", talk_path("move/"), outsiders=("class_parent", "other_teacher", "outsider"), data={}),
    post(
        "talk_swap",
        talk_path("swap/"),
        outsiders=("class_parent", "teacher", "outsider"),
        data={"other": "x"},
    ),
    post(
        "swap_answer",
        lambda w: f"/conferences/swaps/{swap(w).public_id}/answer/",
        outsiders=("outsider", "teacher", "other_school_parent"),
        data={"accept": "no"},
    ),
    # The API
    api(
        "",
        with_round("/api/v1/conferences"),
        outsiders=("outsider", "other_school_parent"),
        secret=lambda w: SECRET,
    ),
    # No groups: a clear 422 for the director; a parent works at no school, so it does not exist for them.
    api(
        "",
        lambda w: known(w, "/api/v1/conferences"),
        allowed="director",
        method="post",
        allowed_status=422,
        outsiders=("parent",),
        data={
            "school_id": SCHOOL,
            "name": "x",
            "group_ids": [],
            "evenings": [],
            "preferences_open_at": "2026-01-01T10:00:00Z",
            "preferences_close_at": "2026-01-02T10:00:00Z",
            "swaps_close_at": "2026-01-03T10:00:00Z",
        },
    ),
    api("/<round_id>", api_round(), outsiders=STRANGERS),
    api(
        "/<round_id>",
        api_round(),
        allowed="director",
        method="patch",
        outsiders=("teacher", "parent"),
        data={"topic": "Rapport"},
    ),
    api("/<round_id>/preferences", api_round(tail="/preferences"), outsiders=STRANGERS),
    api(
        "/<round_id>/preferences",
        api_round(tail="/preferences"),
        method="put",
        outsiders=STRANGERS,
        data={"choices": []},
    ),
    api(
        "/<round_id>/plan",
        api_round("planning", "/plan"),
        allowed="director",
        method="post",
        outsiders=("teacher", "parent"),
    ),
    api(
        "/<round_id>/publish",
        api_round("planned", "/publish"),
        allowed="director",
        method="post",
        outsiders=("teacher", "parent"),
    ),
    api("/<round_id>/talks", api_round("published", "/talks"), outsiders=STRANGERS),
    api(
        "/<round_id>/groups/<group_id>",
        lambda w: f"{api_round('published')(w)}/groups/{w.group3.public_id}",
        allowed="teacher",
        outsiders=("other_teacher", "parent", "outsider"),
    ),
    api(
        "/<round_id>/flags/<pupil_id>",
        lambda w: f"{api_round('preferences')(w)}/flags/{w.child.public_id}",
        allowed="teacher",
        method="put",
        outsiders=("outsider", "other_school_parent"),
        data={"priority": True},
    ),
    api(
        "/talks/<talk_id>",
        lambda w: f"/api/v1/conferences/talks/{daan_talk(w).public_id}",
        outsiders=("class_parent", "other_teacher", *STRANGERS),
    ),
    api(
        "/talks/<talk_id>/move",
        lambda w: f"/api/v1/conferences/talks/{daan_talk(w).public_id}/move",
        method="post",
        allowed_status=422,
        outsiders=("class_parent", "other_teacher"),
        data={"starts_at": "2020-01-01T10:00:00Z"},
    ),
    api(
        "/talks/<talk_id>/swaps",
        lambda w: f"/api/v1/conferences/talks/{daan_talk(w).public_id}/swaps",
        method="post",
        allowed_status=422,
        outsiders=("class_parent", "teacher"),
        data={"other_id": "x"},
    ),
    api(
        "/swaps/<swap_id>/answer",
        lambda w: f"/api/v1/conferences/swaps/{swap(w).public_id}/answer",
        method="post",
        outsiders=("outsider", "teacher"),
        data={"accept": False},
    ),
    api(
        "/<round_id>/my-times",
        api_round(tail="/my-times"),
        allowed="teacher",
        method="put",
        outsiders=("parent", *STRANGERS),
        data={"evenings": []},  # no evening named: there the whole of every evening
    ),
    api(
        "/<round_id>/groups/<group_id>/settings",
        lambda w: f"{api_round()(w)}/groups/{w.group3.public_id}/settings",
        allowed="teacher",
        method="put",
        outsiders=("other_teacher", "parent", "outsider"),
        data={"room": "B12"},
    ),
]
