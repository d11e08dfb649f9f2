"""The office's pages and the API: upload, the column step, preview, apply, download; and the command."""

import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.testing import PersonaTestCase
from roster.models import GuardianMapping, RosterImport
from roster.tests.edexml import P, T, edexml
from schools.models import Pupil

GUARDIANS = "Kind;Naam;Mail\r\nL1;Piet Bakker;piet@example.test\r\nL2;=cmd;x@example.test\r\n"


class RosterPageTest(PersonaTestCase):
    def setUp(self):
        self.login("office")
        self.base = f"/school/{self.world.school.public_id}/roster/"
        self.file = edexml(
            year=self.world.year.name,
            groups=[("G3", "Groep 3", "3")],
            pupils=[P("L1", "Daan", "Mulder", "G3"), P("L2", "Nora", "Bakker", "G3")],
            teachers=[T("K1", "Anna", "Jansen", "anna@schakel.test", ["G3"])],
        )

    def upload(self, guardians: str | None = None):
        data = {"source": "edexml", "roster_file": SimpleUploadedFile("EDEX.XML", self.file)}
        if guardians is not None:
            data["guardian_file"] = SimpleUploadedFile("ouders.csv", guardians.encode())
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.base, data)

    def latest(self) -> RosterImport:
        return RosterImport.objects.filter(school=self.world.school).first()

    def test_it_previews_then_applies_and_keeps_the_history(self):
        response = self.upload()
        roster_import = self.latest()
        self.assertRedirects(response, f"{self.base}{roster_import.public_id}/")
        self.assertEqual(roster_import.status, RosterImport.Status.PREVIEWED)
        page = self.client.get(f"{self.base}{roster_import.public_id}/")
        self.assertContains(page, "Nora Bakker (Groep 3)")
        self.assertContains(page, 'data-testid="roster-apply"')
        self.assertFalse(Pupil.objects.filter(first_name="Nora").exists())
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{self.base}{roster_import.public_id}/apply/")
        roster_import.refresh_from_db()
        self.assertEqual(roster_import.status, RosterImport.Status.APPLIED)
        self.assertTrue(Pupil.objects.filter(first_name="Nora", external_key="L2").exists())
        self.assertContains(self.client.get(self.base), roster_import.file_name)
        # The same import cannot be applied twice.
        response = self.client.post(f"{self.base}{roster_import.public_id}/apply/", follow=True)
        self.assertEqual(len(list(response.context["messages"])), 1)

    def test_it_filters_the_preview_by_kind(self):
        self.upload()
        roster_import = self.latest()
        everything = self.client.get(f"{self.base}{roster_import.public_id}/").context["rows"]
        page = self.client.get(f"{self.base}{roster_import.public_id}/?kind=pupil.add")
        self.assertEqual([row["kind"] for row in page.context["rows"]], ["pupil.add", "pupil.add"])
        self.assertGreater(len(everything), 2)

    def test_it_asks_for_the_columns_of_an_unmapped_guardian_file_and_remembers_them(self):
        response = self.upload("Kind;Naam;Mail\r\nL1;Piet;piet@example.test\r\n")
        roster_import = self.latest()
        self.assertRedirects(response, f"{self.base}{roster_import.public_id}/columns/")
        page = self.client.get(f"{self.base}{roster_import.public_id}/columns/")
        self.assertContains(page, "L1;Piet;piet@example.test")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"{self.base}{roster_import.public_id}/columns/",
                {"pupil_key": "Kind", "email": "Mail", "first_name": "Naam"},
            )
        roster_import.refresh_from_db()
        self.assertEqual(roster_import.status, RosterImport.Status.PREVIEWED)
        self.assertEqual(roster_import.summary["guardian.add"], 1)
        self.assertEqual(GuardianMapping.objects.get(school=self.world.school).columns["email"], "Mail")
        # The next file with the same columns goes straight to the preview.
        self.assertRedirects(
            self.upload("Kind;Naam;Mail\r\nL1;Piet;piet@example.test\r\n"),
            f"{self.base}{self.latest().public_id}/",
        )

    def test_a_formula_in_the_guardian_file_is_refused_naming_the_line(self):
        GuardianMapping.objects.create(
            school=self.world.school, columns={"pupil_key": "Kind", "email": "Mail", "first_name": "Naam"}
        )
        self.upload(GUARDIANS)
        roster_import = self.latest()
        self.assertEqual(roster_import.status, RosterImport.Status.REFUSED)
        # The worker writes the reason in the school's language (Dutch), whoever uploaded.
        self.assertIn("regel 3", roster_import.error)

    def test_the_preview_csv_is_safe_against_formulas(self):
        self.file = edexml(
            year=self.world.year.name,
            groups=[("G3", "Groep 3", "3")],
            pupils=[P("L9", "=HYPERLINK(1)", "X", "G3")],
        )
        self.upload()
        response = self.client.get(f"{self.base}{self.latest().public_id}/preview.csv")
        text = response.content.decode("utf-8-sig")
        self.assertIn("'=HYPERLINK(1) X", text)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")

    def test_an_empty_upload_gets_the_form_again_with_an_error(self):
        response = self.client.post(self.base, {"source": "edexml"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors)

    def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(self):
        with self.settings(ROSTER_MAX_MB=0):
            response = self.upload()
        self.assertEqual(response.status_code, 400)
        self.assertFalse(RosterImport.objects.exists())


class RosterApiTest(PersonaTestCase):
    def test_it_uploads_previews_and_applies_through_the_api(self):
        client = self.client_for("office")
        base = f"/api/v1/schools/{self.world.school.public_id}/roster-imports"
        content = edexml(
            year=self.world.year.name,
            groups=[("G3", "Groep 3", "3")],
            pupils=[P("L2", "Nora", "Bakker", "G3")],
        )
        guardians = SimpleUploadedFile(
            "ouders.csv", b"Leerlingnummer;E-mail\r\nL2;nora.ouder@example.test\r\n"
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                base, {"file": SimpleUploadedFile("EDEX.XML", content), "guardians": guardians}
            )
        self.assertEqual(response.status_code, 202, response.content)
        import_id = response.json()["id"]
        preview = client.get(f"{base}/{import_id}").json()
        self.assertEqual(preview["status"], "previewed")
        self.assertEqual(preview["summary"]["guardian.add"], 1)
        self.assertEqual([c["kind"] for c in preview["plan"]["changes"]][:1], ["group.link"])
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(client.post(f"{base}/{import_id}/apply").status_code, 202)
        self.assertEqual(client.get(f"{base}/{import_id}").json()["status"], "applied")
        self.assertEqual(client.post(f"{base}/{import_id}/apply").status_code, 409)
        self.assertEqual(len(client.get(base).json()), 1)

    def test_it_refuses_bad_columns_json(self):
        client = self.client_for("office")
        base = f"/api/v1/schools/{self.world.school.public_id}/roster-imports"
        response = client.post(
            base,
            {
                "file": SimpleUploadedFile("EDEX.XML", b"<EDEX/>"),
                "guardians": SimpleUploadedFile("o.csv", b"A;B\r\n"),
                "columns": "[1]",
            },
        )
        self.assertEqual(response.status_code, 422)


class ImportRosterCommandTest(PersonaTestCase):
    def test_it_prints_the_preview_and_applies_only_when_asked(self, *args):
        path = self.tmp_file(
            edexml(
                year=self.world.year.name,
                groups=[("G3", "Groep 3", "3")],
                pupils=[P("L7", "Mila", "de Wit", "G3")],
            )
        )
        out = StringIO()
        call_command("import_roster", school="De Schakel", edexml=path, stdout=out)
        self.assertIn("Mila de Wit (Groep 3)", out.getvalue())
        self.assertFalse(Pupil.objects.filter(first_name="Mila").exists())
        call_command(
            "import_roster", school=self.world.school.public_id, edexml=path, apply=True, stdout=StringIO()
        )
        self.assertTrue(Pupil.objects.filter(first_name="Mila", external_key="L7").exists())
        self.assertEqual(RosterImport.objects.filter(status="applied").count(), 1)

    def test_it_refuses_an_unknown_school_and_a_refused_file(self):
        path = self.tmp_file(b"<EDEX/>")
        with self.assertRaises(CommandError):
            call_command("import_roster", school="Geen School", edexml=path, stdout=StringIO())
        with self.assertRaises(CommandError):
            call_command(
                "import_roster", school="De Schakel", edexml=path, stdout=StringIO(), stderr=StringIO()
            )

    def tmp_file(self, content: bytes):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        path = folder / "EDEX.XML"
        path.write_bytes(content)
        return path
