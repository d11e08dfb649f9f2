from core.access_matrix import AccessCase
from roster.actions import check_start_import, do_preview
from roster.tests.edexml import P, edexml
from schools.tests.access_cases import NOT_ADMIN


def an_import(w):
    content = edexml(
        year=w.year.name, groups=[("G3", "Groep 3", "3")], pupils=[P("L1", "Daan", "Mulder", "G3")]
    )
    roster_import = check_start_import(
        acting_user=w.office, school=w.school, source="edexml", content=content, run_preview=False
    )
    return do_preview(roster_import=roster_import)


def base(w) -> str:
    return f"/school/{w.school.public_id}/roster/"


def import_path(suffix: str = ""):
    return lambda w: f"{base(w)}{an_import(w).public_id}/{suffix}"


def api_base(w) -> str:
    return f"/api/v1/schools/{w.school.public_id}/roster-imports"


def page(key, path, **extra) -> AccessCase:
    return AccessCase(key=f"roster:{key}", path=path, allowed="office", outsiders=NOT_ADMIN, **extra)


def api(key, path, **extra) -> AccessCase:
    return AccessCase(key=f"api:{key}", path=path, kind="api", allowed="office", outsiders=NOT_ADMIN, **extra)


CASES = [
    page("home", base),
    # An empty upload is refused with the form (400) — the school is found, the file is not valid.
    page("home", base, method="post", allowed_status=400),
    page("detail", import_path()),
    page("mapping", import_path("columns/"), allowed_status=302),
    page("mapping", import_path("columns/"), method="post", allowed_status=302),
    page("apply", import_path("apply/"), method="post", allowed_status=302),
    page("preview_csv", import_path("preview.csv")),
    api("schools/<school_id>/roster-imports", api_base),
    api("schools/<school_id>/roster-imports", api_base, method="post", allowed_status=422),
    api(
        "schools/<school_id>/roster-imports/<import_id>", lambda w: f"{api_base(w)}/{an_import(w).public_id}"
    ),
    api(
        "schools/<school_id>/roster-imports/<import_id>/apply",
        lambda w: f"{api_base(w)}/{an_import(w).public_id}/apply",
        method="post",
        allowed_status=202,
    ),
]


# --- The rollover wizard and its API: the school's director and office; every other school's staff,
# teachers and parents get 404, exactly like a school without an open rollover.

ROLLOVER_OUTSIDERS = (*NOT_ADMIN, "other_director")


def a_rollover(w):
    from roster.rollover import check_open_next_year, open_rollover_of
    from roster.rollover_plan import first_monday_after

    return open_rollover_of(w.school) or check_open_next_year(
        acting_user=w.director, school=w.school, first_day=first_monday_after(w.year.ends_on)
    )


def rollover_base(w) -> str:
    return f"/school/{w.school.public_id}/rollover/"


def rollover_path(suffix: str = ""):
    return lambda w: f"{rollover_base(w)}{a_rollover(w) and ''}{suffix}"


def new_group_path(suffix: str):
    def build(w):
        group = a_rollover(w).to_year.groups.get(name="Groep 3")
        return f"{rollover_base(w)}groups/{group.public_id}/{suffix}"

    return build


def rollover_page(key, path, **extra) -> AccessCase:
    return AccessCase(key=f"roster:{key}", path=path, allowed="office", outsiders=ROLLOVER_OUTSIDERS, **extra)


def rollover_api(key, path, **extra) -> AccessCase:
    return AccessCase(
        key=f"api:schools/<school_id>/rollover{key}",
        path=path,
        kind="api",
        allowed="office",
        outsiders=ROLLOVER_OUTSIDERS,
        **extra,
    )


def api_rollover(suffix: str = ""):
    return lambda w: f"/api/v1/schools/{w.school.public_id}/rollover{a_rollover(w) and ''}{suffix}"


def api_new_group(suffix: str = ""):
    def build(w):
        group = a_rollover(w).to_year.groups.get(name="Groep 3")
        return f"/api/v1/schools/{w.school.public_id}/rollover/groups/{group.public_id}{suffix}"

    return build


CASES += [
    rollover_page("rollover", rollover_base),  # no rollover yet: the form to open one
    rollover_page("rollover", rollover_base, method="post", allowed_status=400),  # no first day given
    rollover_page("rollover_groups", rollover_path("groups/")),
    rollover_page("rollover_groups", rollover_path("groups/"), method="post", allowed_status=400),
    rollover_page("rollover_rename", new_group_path("rename/"), method="post", allowed_status=302),
    rollover_page("rollover_merge", new_group_path("merge/"), method="post", allowed_status=302),
    rollover_page("rollover_split", new_group_path("split/")),
    rollover_page("rollover_split", new_group_path("split/"), method="post", allowed_status=400),
    rollover_page("rollover_group_teachers", new_group_path("teachers/"), method="post", allowed_status=302),
    rollover_page("rollover_pupils", rollover_path("pupils/")),
    rollover_page(
        "rollover_place",
        lambda w: f"{rollover_path('pupils/')(w)}{w.child.public_id}/",
        method="post",
        allowed_status=302,
    ),
    rollover_page("rollover_teachers", rollover_path("teachers/")),
    rollover_page("rollover_confirm", rollover_path("confirm/")),
    rollover_page("rollover_confirm", rollover_path("confirm/"), method="post", allowed_status=302),
    rollover_api("", api_rollover()),
    rollover_api(
        "", lambda w: f"/api/v1/schools/{w.school.public_id}/rollover", method="post", allowed_status=201
    ),
    rollover_api("", api_rollover(), method="patch", data={"readable_months": 2}),
    rollover_api(
        "/groups", api_rollover("/groups"), method="post", data={"name": "Groep 9"}, allowed_status=201
    ),
    rollover_api("/groups/<group_id>", api_new_group(), method="patch", data={"name": "Groep 3a"}),
    rollover_api(
        "/groups/<group_id>/merge",
        api_new_group("/merge"),
        method="post",
        data={"into": "x"},
        allowed_status=422,
    ),
    rollover_api(
        "/groups/<group_id>/split",
        api_new_group("/split"),
        method="post",
        data={"name": "Groep 3b", "pupils": []},
        allowed_status=422,
    ),
    rollover_api(
        "/groups/<group_id>/teachers", api_new_group("/teachers"), method="put", data={"teachers": []}
    ),
    rollover_api("/pupils", api_rollover("/pupils")),
    rollover_api(
        "/pupils/<pupil_id>",
        lambda w: f"{api_rollover('/pupils')(w)}/{w.child.public_id}",
        method="put",
        data={"group": None, "grade": None},
    ),
    rollover_api("/apply", api_rollover("/apply"), method="post"),
]
