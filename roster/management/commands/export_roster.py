"""Write a school's roster as its pupil administration would export it: EDEXML 2.1 and a parents' CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from roster.export import edexml_of, guardians_csv_of
from roster.queries import school_named


class Command(BaseCommand):
    help = "Export a school's current classes, pupils, teachers and parents as EDEXML + CSV."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="The school's public id or exact name.")
        parser.add_argument("--out", type=Path, required=True, help="The folder to write the two files to.")

    def handle(self, *args, **options):
        school = school_named(options["school"])
        if school is None:
            raise CommandError(f"No single school has the id or name {options['school']!r}.")
        options["out"].mkdir(parents=True, exist_ok=True)
        stem = slugify(school.name)
        (options["out"] / f"{stem}.edex.xml").write_bytes(edexml_of(school))
        (options["out"] / f"{stem}-ouders.csv").write_bytes(guardians_csv_of(school))
        self.stdout.write(f"{stem}.edex.xml, {stem}-ouders.csv")
