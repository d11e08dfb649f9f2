"""The demo board's roster exists as files in the repository, in step with the demo seed.

Regenerate them after changing the seed:
    manage.py export_roster --school "De Schakel" --out demo/roster   (on a database seeded on DEMO_DAY)
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from core.testing import make_school
from demo.seed import seed_demo
from roster.export import edexml_of, guardians_csv_of
from roster.models import RosterImport
from roster.tests.helpers import run_import
from roster.tests.test_import import school_as_rows
from schools.models import Board, School, StaffRole

DEMO_DAY = datetime.date(2026, 11, 20)
FILES = Path(settings.BASE_DIR) / "demo" / "roster"


class DemoRosterFilesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=DEMO_DAY, with_content=False)
        cls.schakel = School.objects.get(name="De Schakel")

    def test_the_committed_files_are_what_the_seed_exports(self):
        for school in School.objects.all():
            stem = school.name.lower().replace(" ", "-")
            self.assertEqual((FILES / f"{stem}.edex.xml").read_bytes(), edexml_of(school), school.name)
            self.assertEqual(
                (FILES / f"{stem}-ouders.csv").read_bytes(), guardians_csv_of(school), school.name
            )

    def test_importing_them_into_an_empty_school_reproduces_de_schakel(self):
        board = Board.objects.create(name="Stichting Test")
        target = make_school(board, "Lege School").school
        director = StaffRole.objects.get(school=self.schakel, role="director").user
        done = run_import(
            director,
            target,
            (FILES / "de-schakel.edex.xml").read_bytes(),
            guardians=(FILES / "de-schakel-ouders.csv").read_bytes(),
        )
        self.assertEqual(done.status, RosterImport.Status.APPLIED, done.error or done.plan["conflicts"])
        self.assertEqual(school_as_rows(target), school_as_rows(self.schakel))
        self.assertGreater(len(school_as_rows(target)[1]), 200)

    def test_importing_them_into_the_demo_school_changes_nothing(self):
        director = StaffRole.objects.get(school=self.schakel, role="director").user
        preview = run_import(
            director,
            self.schakel,
            (FILES / "de-schakel.edex.xml").read_bytes(),
            guardians=(FILES / "de-schakel-ouders.csv").read_bytes(),
            apply=False,
        )
        self.assertEqual(preview.plan["conflicts"], [])
        self.assertEqual(preview.plan["changes"], [])
