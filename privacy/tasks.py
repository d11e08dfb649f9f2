"""Background work for exports: thin, loads by id and calls the action."""

import logging

from django.tasks import task

from privacy.exports import do_build_export, do_fail_export
from privacy.models import DataExport

logger = logging.getLogger(__name__)


@task
def build_export(export_id: int) -> None:
    export = DataExport.objects.select_related(
        "subject_user", "subject_pupil__school", "requested_by"
    ).filter(id=export_id)
    export = export.first()
    if export is None or export.status != DataExport.Status.QUEUED:
        return
    try:
        do_build_export(export=export)
    except Exception:
        logger.exception("export %s failed", export.public_id)
        do_fail_export(export=export)
        raise
