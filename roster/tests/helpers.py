"""Set-up shared by the roster tests: an empty school of the world's board and imports run in-line."""

from core.testing import make_school
from roster.actions import check_apply, check_start_import, do_apply, do_preview
from roster.models import RosterImport
from roster.sources.guardians_csv import decode, suggest_mapping


def empty_school(world, name="De Nieuwe School"):
    """A school of the world's board with this year and last year opened, and nobody in it."""
    return make_school(world.board, name).school


def run_import(user, school, content: bytes, *, guardians: bytes | None = None, source="edexml", apply=True):
    """Upload, preview and (unless apply=False) apply, as the background tasks would, in this process."""
    mapping = suggest_mapping(decode(guardians).header) if guardians else None
    roster_import = check_start_import(
        acting_user=user,
        school=school,
        source=source,
        content=content,
        file_name="EDEX.XML",
        guardian_content=guardians,
        guardian_file_name="ouders.csv",
        mapping=mapping,
        run_preview=False,
    )
    do_preview(roster_import=roster_import)
    if (
        apply
        and roster_import.status == RosterImport.Status.PREVIEWED
        and not roster_import.plan["conflicts"]
    ):
        check_apply(acting_user=user, roster_import=roster_import, run=False)
        do_apply(roster_import=roster_import)
    roster_import.refresh_from_db()
    return roster_import


def guardian_file(rows: list[str]) -> bytes:
    """A parents' export with these rows ("pupil key;first name;last name;email")."""
    return ("Leerlingnummer;Roepnaam ouder 1;Achternaam ouder 1;E-mail\r\n" + "\r\n".join(rows)).encode()
