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
