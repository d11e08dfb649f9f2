"""Background work for roster imports: thin, loads by id and calls the action."""

from django.tasks import task

from roster import actions
from roster.models import RosterImport


@task
def preview_roster_import(import_id: int) -> None:
    roster_import = RosterImport.objects.select_related("school").filter(id=import_id).first()
    if roster_import is not None and roster_import.status == RosterImport.Status.QUEUED:
        actions.do_preview(roster_import=roster_import)


@task
def apply_roster_import(import_id: int) -> None:
    roster_import = RosterImport.objects.select_related("school").filter(id=import_id).first()
    if roster_import is not None and roster_import.status == RosterImport.Status.APPLYING:
        actions.do_apply(roster_import=roster_import)
