"""Import a school's roster from the command line: prints the preview; applies it only with --apply."""

import io
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roster.actions import check_apply, check_start_import, do_apply, do_preview
from roster.models import RosterImport
from roster.queries import mapping_for, preview_rows, school_named
from roster.sources.data import RosterFileError
from schools.models import School, StaffRole


class Command(BaseCommand):
    help = "Preview (and with --apply, apply) a roster export for one school."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="The school's public id or exact name.")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--edexml", type=Path, help="The EDEXML file (EDEX.XML).")
        source.add_argument("--oneroster", type=Path, help="A OneRoster CSV folder or zip file.")
        parser.add_argument("--guardians", type=Path, help="The parents' contact CSV (with --edexml).")
        parser.add_argument("--apply", action="store_true", help="Apply the preview (one transaction).")

    def handle(self, *args, **options):
        school = self.school(options["school"])
        if options["edexml"]:
            source, content, name = "edexml", self.read(options["edexml"]), options["edexml"].name
        else:
            source, content, name = (
                "oneroster",
                self.oneroster(options["oneroster"]),
                options["oneroster"].name,
            )
        guardians = self.read(options["guardians"]) if options["guardians"] else None
        # Run as the school's director, so the audit log names who is responsible for the import.
        director = (
            StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR)
            .select_related("user")
            .first()
        )
        try:
            mapping = mapping_for(school, guardians)[0] if guardians else None
            roster_import = check_start_import(
                acting_user=director.user if director else None,
                school=school,
                source=source,
                content=content,
                file_name=name,
                guardian_content=guardians,
                guardian_file_name=options["guardians"].name if guardians else "",
                mapping=mapping,
                run_preview=False,
            )
        except (ValidationError, RosterFileError) as error:
            raise CommandError(getattr(error, "message", None) or error.messages[0]) from None
        do_preview(roster_import=roster_import)
        self.print_preview(roster_import)
        if roster_import.status != RosterImport.Status.PREVIEWED or roster_import.plan["conflicts"]:
            raise CommandError("The file cannot be applied; see above.")
        if not options["apply"]:
            self.stdout.write("Preview only: run again with --apply to apply it.")
            return
        if not roster_import.plan["changes"]:
            self.stdout.write("Nothing to apply.")
            return
        check_apply(acting_user=director.user if director else None, roster_import=roster_import, run=False)
        do_apply(roster_import=roster_import)
        if roster_import.status != RosterImport.Status.APPLIED:
            raise CommandError(roster_import.error)
        self.stdout.write(self.style.SUCCESS(f"Applied {len(roster_import.plan['changes'])} changes."))

    def school(self, ref: str) -> School:
        school = school_named(ref)
        if school is None:
            raise CommandError(f"No single school has the id or name {ref!r}.")
        return school

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None

    def oneroster(self, path: Path) -> bytes:
        """A folder of OneRoster CSV files is zipped in memory, so the upload and the command read alike."""
        if not path.is_dir():
            return self.read(path)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for item in sorted(path.glob("*.csv")):
                archive.write(item, item.name)
        return out.getvalue()

    def print_preview(self, roster_import: RosterImport) -> None:
        if roster_import.status == RosterImport.Status.REFUSED:
            self.stderr.write(roster_import.error)
            return
        plan = roster_import.plan
        for note in plan["notes"]:
            self.stdout.write(note)
        for row in preview_rows(roster_import):
            self.stdout.write(f"  {row['label']}: {row['text']}")
        for conflict in plan["conflicts"]:
            self.stdout.write(self.style.ERROR(f"  ! {conflict['message']} {conflict['where']}".rstrip()))
        for warning in plan["warnings"]:
            self.stdout.write(self.style.WARNING(f"  ~ {warning['message']} {warning['where']}".rstrip()))
        counts = ", ".join(f"{kind} {count}" for kind, count in roster_import.summary.items() if count)
        self.stdout.write(f"Changes: {counts or 'none'}")
