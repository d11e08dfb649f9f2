"""Reads for the privacy pages: a viewer's own exports, a school's deletion log."""

from privacy.models import DataExport, Deletion, RetentionRun
from privacy.retention import BY_KEY


def exports_of(viewer, *, school=None) -> list[DataExport]:
    """The exports the viewer asked for (the last 20): their own, or for a school they direct."""
    exports = DataExport.objects.filter(requested_by=viewer, school=school).select_related(
        "subject_user", "subject_pupil"
    )
    return list(exports[:20])


def deletions_of(school, *, limit: int = 50) -> list[Deletion]:
    rows = list(Deletion.objects.filter(school=school)[:limit])
    for row in rows:
        category = BY_KEY.get(row.category)
        row.label = category.label if category else row.category
    return rows


def last_run() -> RetentionRun | None:
    return RetentionRun.objects.filter(finished_at__isnull=False).first()
