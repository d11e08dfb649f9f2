"""Roster import API: upload → preview → apply, for a school the caller administers.

The same actions and access layer as the pages. Upload and apply answer 202: the work runs in the task
worker; poll the import until its status is "previewed" (or "applied").
"""

import json
from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from roster import actions
from roster.access import access_roster_import, access_roster_school
from roster.models import RosterImport
from roster.queries import imports_of, mapping_for
from roster.sources.data import RosterFileError

router = Router(tags=["roster"])


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    message: str
    where: str


class PlanOut(Schema):
    school_year: str
    changes: list[dict]
    conflicts: list[ProblemOut]
    warnings: list[ProblemOut]
    notes: list[str]


class ImportOut(Schema):
    id: str
    source: str
    file_name: str
    guardian_file_name: str
    checksum: str
    status: str
    error: str
    progress_done: int
    progress_total: int
    created_at: datetime
    applied_at: datetime | None
    summary: dict[str, int]
    plan: PlanOut | None


def import_out(roster_import: RosterImport, *, with_plan: bool = True) -> dict:
    return {
        "id": roster_import.public_id,
        "source": roster_import.source,
        "file_name": roster_import.file_name,
        "guardian_file_name": roster_import.guardian_file_name,
        "checksum": roster_import.checksum,
        "status": roster_import.status,
        "error": roster_import.error,
        "progress_done": roster_import.progress_done,
        "progress_total": roster_import.progress_total,
        "created_at": roster_import.created_at,
        "applied_at": roster_import.applied_at,
        "summary": roster_import.summary or {},
        "plan": roster_import.plan or None if with_plan else None,
    }


def _mapping(raw: str, school, guardian_content: bytes | None) -> dict[str, str] | None:
    """The mapping the caller sent (JSON: field → column), else the school's stored one or a suggestion."""
    if not guardian_content:
        return None
    if raw:
        try:
            mapping = json.loads(raw)
        except ValueError:
            mapping = None
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise HttpError(422, "columns: " + "JSON object of field → column name")
        return mapping
    try:
        return mapping_for(school, guardian_content)[0]
    except RosterFileError as error:
        raise HttpError(422, error.message) from None


@router.get("/schools/{school_id}/roster-imports", response={200: list[ImportOut], 404: ErrorOut})
def list_imports(request, school_id: str):
    """The school's last 25 imports, newest first (without their plans)."""
    school = access_roster_school(request.auth, school_id)
    return [import_out(item, with_plan=False) for item in imports_of(school)]


@router.post(
    "/schools/{school_id}/roster-imports",
    response={202: ImportOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def upload(
    request,
    school_id: str,
    file: File[UploadedFile | None] = None,
    source: Form[str] = "edexml",
    guardians: File[UploadedFile | None] = None,
    columns: Form[str] = "",
):
    """Upload an export (EDEXML, or a OneRoster zip) and optionally the parents' CSV; the preview follows.

    `columns` maps the CSV's columns as JSON (`{"pupil_key": "Leerlingnummer", "email": "E-mail", ...}`);
    without it the school's remembered mapping is used, or one guessed from the column names.
    """
    school = access_roster_school(request.auth, school_id)
    guardian_content = guardians.read() if guardians else None
    try:
        roster_import = actions.check_start_import(
            acting_user=request.auth,
            school=school,
            source=source,
            content=file.read() if file else b"",
            file_name=(file.name or "") if file else "",
            guardian_content=guardian_content,
            guardian_file_name=(guardians.name or "") if guardians else "",
            mapping=_mapping(columns, school, guardian_content),
        )
    except ValidationError as error:
        raise HttpError(422, error.messages[0]) from None
    return Status(202, import_out(roster_import))


@router.get("/schools/{school_id}/roster-imports/{import_id}", response={200: ImportOut, 404: ErrorOut})
def get_import(request, school_id: str, import_id: str):
    """An import with its status, progress and (once previewed) its plan: every change, conflict and note."""
    return import_out(access_roster_import(request.auth, school_id, import_id))


@router.post(
    "/schools/{school_id}/roster-imports/{import_id}/apply",
    response={202: ImportOut, 404: ErrorOut, 409: ErrorOut},
)
def apply(request, school_id: str, import_id: str):
    """Apply a preview without conflicts, in one transaction; 409 when it cannot be applied (any more)."""
    roster_import = access_roster_import(request.auth, school_id, import_id)
    try:
        roster_import = actions.check_apply(acting_user=request.auth, roster_import=roster_import)
    except ValidationError as error:
        raise HttpError(409, error.messages[0]) from None
    return Status(202, import_out(roster_import))
