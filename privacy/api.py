"""Privacy API: your own data export; a school's retention table, exports on request and erasure.

The same actions and access layer as the pages. Asking for an export answers 202: it is built in the task
worker; poll it until its status is "ready", then download the zip.
"""

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from core.refusals import Invalid
from privacy import actions
from privacy.access import (
    access_own_export,
    access_privacy_school,
    access_school_guardian,
    access_school_pupil,
)
from privacy.exports import check_request_export, download_response
from privacy.models import DataExport
from privacy.queries import deletions_of, exports_of

router = Router(tags=["privacy"])


class ExportOut(Schema):
    id: str
    status: str
    subject: str
    progress_done: int
    progress_total: int
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    size_bytes: int


def export_out(export: DataExport) -> dict:
    subject = export.subject_user or export.subject_pupil
    return {
        "id": export.public_id,
        "status": export.status,
        "subject": subject.public_id,
        "progress_done": export.progress_done,
        "progress_total": export.progress_total,
        "requested_at": export.requested_at,
        "ready_at": export.ready_at,
        "expires_at": export.expires_at,
        "size_bytes": export.size_bytes,
    }


@router.get("/me/exports", response=list[ExportOut])
def my_exports(request):
    """Your last exports, newest first."""
    return [export_out(export) for export in exports_of(request.auth)]


@router.post("/me/exports", response={202: ExportOut})
def request_my_export(request):
    """Ask for everything the platform holds about you and your children; asking again joins the first."""
    return Status(202, export_out(check_request_export(acting_user=request.auth, subject_user=request.auth)))


@router.get("/me/exports/{export_id}", response=ExportOut)
def my_export(request, export_id: str):
    return export_out(access_own_export(request.auth, export_id))


@router.get(
    "/me/exports/{export_id}/download",
    response={200: None},
    openapi_extra={"responses": {200: {"description": "The zip", "content": {"application/zip": {}}}}},
)
def download_export(request, export_id: str):
    """The zip of a ready export: data.json, index.html and the photos (422 when not ready)."""
    return download_response(access_own_export(request.auth, export_id))


class PeriodOut(Schema):
    category: str
    label: str
    counted_from: str
    basis: str
    months: int
    min_months: int
    max_months: int
    is_default: bool
    due: int


class DeletionOut(Schema):
    category: str
    count: int
    ran_at: datetime


class RetentionOut(Schema):
    periods: list[PeriodOut]
    deletions: list[DeletionOut]


class RetentionIn(Schema):
    months: dict[str, int]


def retention_out(school) -> dict:
    return {
        "periods": [
            {
                "category": period.category.key,
                "label": str(period.category.label),
                "counted_from": str(period.category.counted_from),
                "basis": str(period.category.basis),
                "months": period.months,
                "min_months": period.category.min_months,
                "max_months": period.category.max_months,
                "is_default": period.is_default,
                "due": due,
            }
            for period, due in actions.due_counts(school)
        ],
        "deletions": [
            {"category": row.category, "count": row.count, "ran_at": row.ran_at}
            for row in deletions_of(school)
        ],
    }


@router.get("/schools/{school_id}/retention", response=RetentionOut)
def retention(request, school_id: str):
    """Each category's period, legal basis and how many rows the next run would delete; the deletion log."""
    return retention_out(access_privacy_school(request.auth, school_id))


@router.put("/schools/{school_id}/retention", response=RetentionOut)
def set_retention(request, school_id: str, payload: RetentionIn):
    """Set the school's own periods in months (director); all or none."""
    school = access_privacy_school(request.auth, school_id, write=True)
    actions.check_set_periods(acting_user=request.auth, school=school, months=payload.months)
    return retention_out(school)


class StaffExportIn(Schema):
    guardian_id: str | None = None
    pupil_id: str | None = None


@router.get("/schools/{school_id}/exports", response=list[ExportOut])
def school_exports(request, school_id: str):
    """The exports you made for this school (director)."""
    school = access_privacy_school(request.auth, school_id, write=True)
    return [export_out(export) for export in exports_of(request.auth, school=school)]


@router.post("/schools/{school_id}/exports", response={202: ExportOut})
def request_school_export(request, school_id: str, payload: StaffExportIn):
    """Export a parent's or a pupil's data on request (director; audited). Download it from /me/exports."""
    school = access_privacy_school(request.auth, school_id, write=True)
    if bool(payload.guardian_id) == bool(payload.pupil_id):
        raise Invalid(_("Choose either a parent or a pupil."), code="subject")
    if payload.guardian_id:
        _school, guardian = access_school_guardian(request.auth, school_id, payload.guardian_id)
        export = check_request_export(acting_user=request.auth, subject_user=guardian, school=school)
    else:
        _school, pupil = access_school_pupil(request.auth, school_id, payload.pupil_id)
        export = check_request_export(acting_user=request.auth, subject_pupil=pupil, school=school)
    return Status(202, export_out(export))


class ErasureIn(Schema):
    guardian_id: str
    reason: str


@router.post("/schools/{school_id}/erasures", response={204: None})
def erase(request, school_id: str, payload: ErasureIn):
    """Erase a parent's account and personal data at their request (director); 422 says why not."""
    school, guardian = access_school_guardian(request.auth, school_id, payload.guardian_id)
    actions.check_erase_guardian(
        acting_user=request.auth, school=school, guardian=guardian, reason=payload.reason
    )
    return HttpResponse(status=204)
