"""PDFs lose their active content in processing: built here with pikepdf, one kind of active content each."""

import io
import tempfile
from pathlib import Path

import pikepdf
import pytest
from django.utils import translation

from media.models import MediaFile
from media.processing import Limits, Rejected, process
from media.queries import rendition_url
from media.tests.helpers import MediaTestCase
from media.tests.test_rendition_view import body

SCRIPT = b"app.alert('hello from the PDF')"
ATTACHED = b"SECRET-ATTACHMENT-CONTENT"
XFA = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template>XFA-FORM-MARKER</template></xdp:xdp>'
# What none of the served bytes may contain (object streams are off, so structure is plain text there).
FORBIDDEN_BYTES = [
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/AA",
    b"/Launch",
    b"/SubmitForm",
    b"/ImportData",
    b"/EmbeddedFiles",
    b"/EF",
    b"/XFA",
    b"/FileAttachment",
    b"calc.exe",
    b"javascript:",
    SCRIPT,
]
FORBIDDEN_KEYS = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/AF", "/XFA"}
UNSAFE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}


def javascript(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String(SCRIPT))
    )


def launch(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Action,
            S=pikepdf.Name.Launch,
            F=pikepdf.String("calc.exe"),
            Win=pikepdf.Dictionary(F=pikepdf.String("calc.exe")),
        )
    )


def link(pdf: pikepdf.Pdf, action: pikepdf.Object, rect=(10, 10, 50, 30)) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array(rect), A=action
        )
    )


def uri(pdf: pikepdf.Pdf, target: str) -> pikepdf.Object:
    return pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(target))


def add_document_javascript(pdf, page):
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), javascript(pdf)]))
    )


def add_open_action_javascript(pdf, page):
    pdf.Root.OpenAction = javascript(pdf)


def add_open_action_launch(pdf, page):
    pdf.Root.OpenAction = launch(pdf)


def add_additional_actions(pdf, page):
    pdf.Root.AA = pikepdf.Dictionary(WC=javascript(pdf))  # on closing the document
    page.obj.AA = pikepdf.Dictionary(O=javascript(pdf), C=launch(pdf))  # on opening/closing the page


def add_link_actions(pdf, page):
    page.obj.Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                link(pdf, javascript(pdf)),
                link(pdf, launch(pdf)),
                link(pdf, uri(pdf, "javascript:app.alert(1)")),
                link(pdf, pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://x.test/"))),
                link(pdf, pikepdf.Dictionary(S=pikepdf.Name.ImportData, F=pikepdf.String("data.fdf"))),
                # A plain link that chains a script: the link stays, the script goes.
                link(
                    pdf,
                    pikepdf.Dictionary(
                        S=pikepdf.Name.URI, URI=pikepdf.String("https://school.test/"), Next=javascript(pdf)
                    ),
                ),
            ]
        )
    )


def add_outline_javascript(pdf, page):
    item = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String("Start"), A=javascript(pdf)))
    outlines = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=item, Last=item, Count=1)
    )
    item.Parent = outlines
    pdf.Root.Outlines = outlines


def add_embedded_file(pdf, page):
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(
        pdf, ATTACHED, mime_type="application/octet-stream"
    )


def add_file_attachment_annotation(pdf, page):
    spec = pikepdf.AttachedFileSpec(pdf, ATTACHED, filename="note.txt")
    page.obj.Annots = pikepdf.Array(
        [
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.FileAttachment,
                    Rect=pikepdf.Array([0, 0, 20, 20]),
                    FS=spec.obj,
                )
            )
        ]
    )


def add_xfa_form(pdf, page):
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"),
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            Rect=pikepdf.Array([10, 100, 150, 120]),
            P=page.obj,
            AA=pikepdf.Dictionary(K=javascript(pdf)),  # keystroke script
        )
    )
    page.obj.Annots = pikepdf.Array([field])
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array([field]), XFA=pikepdf.Stream(pdf, XFA), NeedsRendering=True
    )


ACTIVE_CONTENT = [
    add_document_javascript,
    add_open_action_javascript,
    add_open_action_launch,
    add_additional_actions,
    add_link_actions,
    add_outline_javascript,
    add_embedded_file,
    add_file_attachment_annotation,
    add_xfa_form,
]


def hostile_pdf(directory: Path, *adders) -> Path:
    """A one-page PDF with some text and the given active content."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 20 150 Td (Schoolreis naar Artis) Tj ET")
    for add in adders:
        add(pdf, page)
    path = directory / "brief.pdf"
    pdf.save(path)
    return path


def assert_inert(data: bytes) -> None:
    """The bytes open as a valid one-page PDF, and nothing in them can run, launch or carry a file."""
    for needle in FORBIDDEN_BYTES:
        assert needle not in data, needle
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == 1
        assert b"Schoolreis naar Artis" in pdf.pages[0].Contents.read_bytes()
        assert len(pdf.attachments) == 0
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert not FORBIDDEN_KEYS & set(obj.keys()), obj
                assert str(obj.get("/S")) not in UNSAFE_ACTIONS, obj
                assert str(obj.get("/Subtype")) != "/FileAttachment", obj
            if isinstance(obj, pikepdf.Stream):
                decoded = obj.read_bytes()
                assert ATTACHED not in decoded
                assert b"XFA-FORM-MARKER" not in decoded


def processed_pdf(tmp_path: Path, src: Path) -> bytes:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    processed = process(src, out, limits=Limits())
    [document] = processed.renditions
    assert (document.name, document.content_type) == ("document.pdf", "application/pdf")
    return document.path.read_bytes()


class TestActiveContentIsRemoved:
    @pytest.mark.parametrize("add", ACTIVE_CONTENT, ids=lambda add: add.__name__.removeprefix("add_"))
    def test_it_removes_each_kind(self, tmp_path, add):
        src = hostile_pdf(tmp_path, add)
        original = src.read_bytes()
        assert any(needle in original for needle in FORBIDDEN_BYTES) or b"/Filter" in original
        assert_inert(processed_pdf(tmp_path, src))

    def test_it_removes_all_kinds_at_once(self, tmp_path):
        assert_inert(processed_pdf(tmp_path, hostile_pdf(tmp_path, *ACTIVE_CONTENT)))

    def test_it_keeps_plain_web_links_and_form_fields(self, tmp_path):
        data = processed_pdf(tmp_path, hostile_pdf(tmp_path, add_link_actions, add_xfa_form))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            [field] = pdf.Root.AcroForm.Fields
            assert str(field.T) == "name"
        data = processed_pdf(tmp_path, hostile_pdf(tmp_path, add_link_actions))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            links = [a for a in pdf.pages[0].Annots if "/A" in a]
            assert [str(a.A.URI) for a in links] == ["https://school.test/"]
            assert "/Next" not in links[0].A

    def test_it_keeps_a_pdf_without_active_content_readable(self, tmp_path):
        assert_inert(processed_pdf(tmp_path, hostile_pdf(tmp_path)))

    def test_it_decides_by_content_not_by_name(self, tmp_path):
        src = hostile_pdf(tmp_path, add_open_action_javascript)
        renamed = src.rename(tmp_path / "notities.txt")
        assert_inert(processed_pdf(tmp_path, renamed))


class TestUnreadablePdfs:
    def test_it_refuses_a_malformed_pdf_as_damaged(self, tmp_path):
        src = tmp_path / "kapot.pdf"
        src.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + b"\x00garbage" * 40)
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(Rejected) as refused:
            process(src, out, limits=Limits())
        assert refused.value.code == "corrupt"
        with translation.override("en"):
            assert str(refused.value.message) == "The document is damaged or incomplete."
        assert list(out.iterdir()) == []

    def test_it_refuses_a_password_protected_pdf(self, tmp_path):
        src = tmp_path / "geheim.pdf"
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.save(src, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(Rejected) as refused:
            process(src, out, limits=Limits())
        assert refused.value.code == "encrypted"
        with translation.override("nl"):
            assert "wachtwoord" in str(refused.value.message)


class TestServedPdf(MediaTestCase):
    def test_it_serves_the_cleaned_pdf(self):
        with tempfile.TemporaryDirectory() as directory:
            data = hostile_pdf(Path(directory), *ACTIVE_CONTENT).read_bytes()
        media = self.upload(data=data, name="brief.pdf")
        self.assertEqual(media.status, MediaFile.Status.READY)
        response = self.login("parent").get(rendition_url(media, "document.pdf"))
        self.assertEqual(response.status_code, 200)
        served = body(response)
        self.assertNotEqual(served, data)
        assert_inert(served)

    def test_it_shows_a_translated_failure_for_a_malformed_pdf(self):
        media = self.upload(data=b"%PDF-1.4\n" + b"\x00not a pdf" * 50, name="brief.pdf")
        self.assertEqual((media.status, media.failure_code), (MediaFile.Status.FAILED, "corrupt"))
        self.assertFalse(media.renditions.exists())
        with translation.override("nl"):
            self.assertIn("beschadigd", str(media.failure_message))
