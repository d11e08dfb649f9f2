from absences.tests.helpers import (
    make_absence,
    make_closure,
    make_leave,
    monday_ahead,
    school_moment,
    weekday_ahead,
)
from core.access_matrix import AccessCase, also_posted

STRANGERS = ("outsider", "other_school_parent", "other_board_parent")
NOT_ADMIN = ("teacher", "parent", "outsider", "other_school_parent", "other_board_parent")


def absence(w, tail: str = "") -> str:
    return f"/absences/{make_absence(w).public_id}/{tail}"


def sick(w, tail: str = "") -> str:
    from absences.models import Absence

    return f"/absences/{make_absence(w, kind=Absence.Kind.SICK).public_id}/{tail}"


def leave(w, tail: str = "") -> str:
    return f"/absences/leave/{make_leave(w).public_id}/{tail}"


# Case data is fixed, so the child reported on gets a known public id.
CHILD = "matrix-child-ab1"


def known_child(w, path: str) -> str:
    w.child.public_id = CHILD
    w.child.save(update_fields=["public_id"])
    return path


def settings(w) -> str:
    return f"/absences/school/{w.school.public_id}/"


def api_absence(w, tail: str = "") -> str:
    return f"/api/v1/absences/{make_absence(w).public_id}{tail}"


def api_leave(w, tail: str = "") -> str:
    return f"/api/v1/absences/leave/{make_leave(w).public_id}{tail}"


def with_absence(path: str):
    """The path, after the child has an absence reported: a list of one's own must not show it to others."""

    def build(w) -> str:
        make_absence(w)
        make_leave(w)
        return path

    return build


def api_school(w, tail: str) -> str:
    return f"/api/v1/absences/schools/{w.school.public_id}/{tail}"


CHANGE = {"kind": "doctor", "day": weekday_ahead(15).isoformat(), "note": "Huisarts"}
CLOSURE = {"kind": "holiday", "name": "Voorjaarsvakantie", "starts_on": weekday_ahead(40).isoformat()}
CLOSURE["ends_on"] = CLOSURE["starts_on"]
EXPORT = {"first": weekday_ahead(0).isoformat(), "last": weekday_ahead(20).isoformat()}
POLICY = {
    "lead_school_days": 1,
    "cutoff_hour": 17,
    "sick_reports": "app",
    "sick_cutoff": "08:30",
    "holiday_leave_days_ahead": 56,
}


KINDS_PAGE = {"dentist_nl": "Tandarts of orthodontist", "dentist_en": "Dentist or orthodontist"}
KINDS = [{"kind": "dentist", "name_nl": "Tandarts of orthodontist", "name_en": "Dentist or orthodontist"}]


def page(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    return AccessCase(key=f"absences:{key}", path=path, allowed=allowed, outsiders=outsiders, **extra)


def post(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    extra.setdefault("allowed_status", 302)
    return page(key, path, allowed, outsiders, method="post", **extra)


def api(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    return AccessCase(
        key=f"api:absences/{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra
    )


CASES = [
    # Staff get the page too, with their own children only: not the pupils they teach.
    page("index", with_absence("/absences/"), outsiders=(*STRANGERS, "teacher"), secret=lambda w: "Daan"),
    page("report_new", lambda w: "/absences/new/", outsiders=("teacher", "office")),
    page("sick_new", lambda w: "/absences/sick/", outsiders=("teacher",)),
    page("leave_new", lambda w: "/absences/leave/new/", outsiders=("teacher",)),
    page("absence_detail", absence, outsiders=(*STRANGERS, "other_teacher")),
    page("absence_detail", absence, allowed="teacher", outsiders=("other_teacher",)),
    post(
        "absence_change",
        lambda w: absence(w, "change/"),
        outsiders=(*STRANGERS, "teacher", "office"),
        data=CHANGE,
    ),
    post(
        "absence_withdraw",
        lambda w: absence(w, "withdraw/"),
        allowed="co_parent",
        outsiders=(*STRANGERS, "teacher"),
    ),
    post(
        "absence_recovered",
        lambda w: sick(w, "recovered/"),
        outsiders=(*STRANGERS, "teacher", "other_teacher"),
    ),
    post("absence_recovered", lambda w: sick(w, "recovered/"), allowed="office", outsiders=STRANGERS),
    post(
        "sick_call",
        lambda w: known_child(w, "/absences/overview/sick-call/"),
        allowed="office",
        outsiders=("teacher", "parent", "other_school_parent"),
        data={"pupil": CHILD},
    ),
    page("leave_detail", leave, outsiders=(*STRANGERS, "teacher")),
    page("leave_detail", leave, allowed="office", outsiders=("other_teacher",)),
    post(
        "leave_decide",
        lambda w: leave(w, "decide/"),
        allowed="director",
        outsiders=(*STRANGERS, "office", "parent", "teacher"),
        data={"decision": "grant", "reason": "Familieomstandigheden"},
    ),
    post("leave_withdraw", lambda w: leave(w, "withdraw/"), outsiders=(*STRANGERS, "office", "teacher")),
    page("overview", lambda w: "/absences/overview/", allowed="teacher", outsiders=("parent", "outsider")),
    page("overview", lambda w: "/absences/overview/", allowed="office", outsiders=("parent", "outsider")),
    page(
        "export", lambda w: "/absences/overview/export/", allowed="office", outsiders=("parent",), data=EXPORT
    ),
    page("school_settings", settings, allowed="office", outsiders=NOT_ADMIN),
    post(
        "kinds_save",
        lambda w: f"{settings(w)}kinds/",
        allowed="office",
        outsiders=NOT_ADMIN,
        data=KINDS_PAGE,
    ),
    post(
        "closure_add",
        lambda w: f"{settings(w)}closures/",
        allowed="office",
        outsiders=NOT_ADMIN,
        data=CLOSURE,
    ),
    post(
        "closure_delete",
        lambda w: f"{settings(w)}closures/{make_closure(w).public_id}/delete/",
        allowed="office",
        outsiders=NOT_ADMIN,
    ),
    # The API
    api(
        "children",
        lambda w: "/api/v1/absences/children",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    api("", with_absence("/api/v1/absences/"), secret=lambda w: "Daan"),
    api(
        "",
        lambda w: known_child(w, "/api/v1/absences/"),
        method="post",
        allowed_status=201,
        outsiders=(*STRANGERS, "teacher"),
        data={"child_id": CHILD, "kind": "dentist", "day": weekday_ahead().isoformat()},
    ),
    api(
        "sick",
        lambda w: known_child(w, "/api/v1/absences/sick"),
        method="post",
        allowed_status=422,  # the school takes sick reports by phone: a clear refusal
        outsiders=(*STRANGERS, "teacher"),
        data={"child_id": CHILD},
    ),
    api("<absence_id>", api_absence, outsiders=(*STRANGERS, "other_teacher")),
    api("<absence_id>", api_absence, allowed="teacher", outsiders=("other_teacher",)),
    api(
        "<absence_id>",
        api_absence,
        method="patch",
        outsiders=(*STRANGERS, "teacher", "office"),
        data=CHANGE,
    ),
    api(
        "<absence_id>/withdraw",
        lambda w: api_absence(w, "/withdraw"),
        method="post",
        outsiders=(*STRANGERS, "teacher"),
    ),
    api(
        "<absence_id>/recovered",
        lambda w: sick(w, "recovered").replace("/absences/", "/api/v1/absences/").rstrip("/"),
        method="post",
        outsiders=(*STRANGERS, "teacher"),
    ),
    # A call is taken on a school day only, so the case runs on a Monday morning two weeks ahead.
    api(
        "sick-calls",
        lambda w: known_child(w, "/api/v1/absences/sick-calls"),
        allowed="office",
        allowed_status=201,
        method="post",
        outsiders=("teacher", "parent", "other_school_parent"),
        data={"pupil_id": CHILD},
        at=lambda: school_moment(monday_ahead(), 9, 30),
    ),
    api("leave", with_absence("/api/v1/absences/leave"), secret=lambda w: "Bruiloft"),
    api(
        "leave",
        lambda w: known_child(w, "/api/v1/absences/leave"),
        method="post",
        allowed_status=201,
        outsiders=(*STRANGERS, "teacher"),
        data={
            "child_id": CHILD,
            "kind": "extraordinary",
            "starts_on": weekday_ahead(20).isoformat(),
            "ends_on": weekday_ahead(20).isoformat(),
            "reason": "Bruiloft",
        },
    ),
    api("leave/<leave_id>", api_leave, outsiders=(*STRANGERS, "teacher")),
    api("leave/<leave_id>", api_leave, allowed="director", outsiders=("other_teacher",)),
    api(
        "leave/<leave_id>/decision",
        lambda w: api_leave(w, "/decision"),
        method="post",
        allowed="director",
        outsiders=(*STRANGERS, "office", "parent", "teacher"),
        data={"grant": False, "reason": "Geen gewichtige omstandigheden"},
    ),
    api(
        "leave/<leave_id>/withdraw",
        lambda w: api_leave(w, "/withdraw"),
        method="post",
        outsiders=(*STRANGERS, "office", "teacher"),
    ),
    api(
        "overview", lambda w: "/api/v1/absences/overview", allowed="teacher", outsiders=("parent", "outsider")
    ),
    api("export", lambda w: "/api/v1/absences/export", allowed="office", outsiders=("parent",), data=EXPORT),
    api(
        "schools/<school_id>/policy", lambda w: api_school(w, "policy"), allowed="office", outsiders=NOT_ADMIN
    ),
    api(
        "schools/<school_id>/policy",
        lambda w: api_school(w, "policy"),
        method="put",
        allowed="director",
        outsiders=NOT_ADMIN,
        data=POLICY,
    ),
    api("schools/<school_id>/kinds", lambda w: api_school(w, "kinds"), allowed="office", outsiders=NOT_ADMIN),
    api(
        "schools/<school_id>/kinds",
        lambda w: api_school(w, "kinds"),
        method="put",
        allowed="director",
        outsiders=NOT_ADMIN,
        data=KINDS,
    ),
    api(
        "schools/<school_id>/closures",
        lambda w: api_school(w, "closures"),
        allowed="office",
        outsiders=NOT_ADMIN,
    ),
    api(
        "schools/<school_id>/closures",
        lambda w: api_school(w, "closures"),
        method="post",
        allowed="office",
        allowed_status=201,
        outsiders=NOT_ADMIN,
        data=CLOSURE,
    ),
    api(
        "schools/<school_id>/closures/<closure_id>",
        lambda w: api_school(w, f"closures/{make_closure(w).public_id}"),
        method="delete",
        allowed="office",
        allowed_status=204,
        outsiders=NOT_ADMIN,
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "absences:absence_detail",
    "absences:index",
    "absences:leave_detail",
    "absences:leave_new",
    "absences:overview",
    "absences:report_new",
    "absences:school_settings",
    "absences:sick_new",
)
# It saves (or accepts) what it is sent and goes back.
CASES += also_posted(CASES, "absences:export", allowed_status=302)
