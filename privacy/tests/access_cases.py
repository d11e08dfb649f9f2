import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from core.access_matrix import AccessCase
from media.storage import media_storage
from privacy.models import DataExport

NOT_DIRECTOR = ("office", "teacher", "parent", "other_school_parent")
NOT_ASKER = ("co_parent", "outsider", "director")


def ready_export(w) -> DataExport:
    """The parent's export, ready: a small zip in storage."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.json", "{}")
    export = DataExport.objects.create(
        requested_by=w.parent,
        subject_user=w.parent,
        status=DataExport.Status.READY,
        ready_at=timezone.now(),
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    export.storage_name = media_storage().save(
        f"exports/{export.public_id}.zip", ContentFile(buffer.getvalue())
    )
    export.save(update_fields=["storage_name"])
    return export


def export_path(tail: str, *, api: bool = False):
    def build(w) -> str:
        export = ready_export(w)
        return (
            f"/api/v1/me/exports/{export.public_id}{tail}" if api else f"/my-data/{export.public_id}/{tail}"
        )

    return build


def with_export(path: str):
    def build(w) -> str:
        w.export = ready_export(w)
        return path

    return build


def school(tail: str = "", *, api: bool = False):
    def build(w) -> str:
        if api:
            return f"/api/v1/schools/{w.school.public_id}/{tail}"
        return f"/school/{w.school.public_id}/data/{tail}"

    return build


def erase_outsider(w) -> str:
    return f"/school/{w.school.public_id}/data/erase/{w.outsider.public_id}/"


def page(key, path, allowed, outsiders=NOT_DIRECTOR, **extra) -> AccessCase:
    return AccessCase(key=f"privacy:{key}", path=path, allowed=allowed, outsiders=outsiders, **extra)


def api(key, path, allowed, outsiders=NOT_DIRECTOR, **extra) -> AccessCase:
    return AccessCase(key=f"api:{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra)


def secret(w) -> str:
    return w.export.public_id


# Case data is fixed, so the pupil and the parent the requests name get known public ids.
CHILD = "matrix-child-pr1"
GUARDIAN = "matrix-guard-pr1"


def known(path_builder):
    def build(w) -> str:
        w.child.public_id = CHILD
        w.child.save(update_fields=["public_id"])
        w.outsider.public_id = GUARDIAN
        w.outsider.save(update_fields=["public_id"])
        return path_builder(w)

    return build


CASES = [
    # Everyone's own list of exports: another family's page lists theirs, never the parent's.
    page("my_data", with_export("/my-data/"), "parent", ("co_parent", "outsider"), secret=secret),
    page("my_data", lambda w: "/my-data/", "parent", (), method="post", allowed_status=302),
    page("export_status", export_path(""), "parent", NOT_ASKER),
    page("export_download", export_path("download/"), "parent", NOT_ASKER),
    page("retention", school(), "director", ("teacher", "parent", "other_school_parent")),
    page("retention", school(), "office", ("teacher", "parent", "other_school_parent")),
    page(
        "retention",
        school(),
        "director",
        NOT_DIRECTOR,
        method="post",
        data={"months_messages": "36"},
        allowed_status=302,
    ),
    page("staff_exports", school("exports/"), "director"),
    page(
        "staff_exports",
        known(school("exports/")),
        "director",
        method="post",
        data={"pupil": CHILD},
        allowed_status=302,
    ),
    page("erasure_search", school("erase/"), "director"),
    page("erasure_confirm", erase_outsider, "director"),
    page(
        "erasure_confirm",
        erase_outsider,
        "director",
        method="post",
        data={"reason": "Op verzoek van de ouder", "confirm": "on"},
        allowed_status=302,
    ),
    api("me/exports", with_export("/api/v1/me/exports"), "parent", ("co_parent", "outsider"), secret=secret),
    api("me/exports", lambda w: "/api/v1/me/exports", "parent", (), method="post", allowed_status=202),
    api("me/exports/<export_id>", export_path("", api=True), "parent", NOT_ASKER),
    api("me/exports/<export_id>/download", export_path("/download", api=True), "parent", NOT_ASKER),
    api("schools/<school_id>/retention", school("retention", api=True), "office", ("teacher", "parent")),
    api(
        "schools/<school_id>/retention",
        school("retention", api=True),
        "director",
        method="put",
        data={"months": {"messages": 36}},
    ),
    api("schools/<school_id>/exports", school("exports", api=True), "director"),
    api(
        "schools/<school_id>/exports",
        known(school("exports", api=True)),
        "director",
        method="post",
        allowed_status=202,
        data={"guardian_id": GUARDIAN},
    ),
    api(
        "schools/<school_id>/erasures",
        known(school("erasures", api=True)),
        "director",
        method="post",
        allowed_status=204,
        data={"reason": "Op verzoek van de ouder", "guardian_id": GUARDIAN},
    ),
]
