"""Shared test helpers: small real files and a test case that runs the real pipeline inline."""

import io
import os
import shutil
import zipfile
from pathlib import Path

import pyvips
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import PersonaTestCase
from media import actions
from media.models import MediaFile
from media.storage import quarantine_dir


def jpeg_bytes(width: int = 640, height: int = 480) -> bytes:
    """A real JPEG with some structure in it (a gradient), so every encoder has work to do."""
    gradient = pyvips.Image.xyz(width, height)[0].linear(255 / max(width, 1), 0).cast("uchar")
    image = gradient.bandjoin([gradient.flip("horizontal"), gradient.rot180()]).copy(interpretation="srgb")
    return image.jpegsave_buffer(Q=85)


def docx_bytes() -> bytes:
    """A minimal Word document: a zip whose content types and word/ part prove what it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def mp4_bytes(seconds: float = 1) -> bytes:
    """A real H.264/AAC MP4 of a test pattern, `seconds` long (encoded by ffmpeg)."""
    import tempfile

    from media.tests.corpus import video

    with tempfile.TemporaryDirectory() as directory:
        return video(Path(directory), "clip.mp4", seconds=seconds).read_bytes()


def upload_of(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def quarantined_files() -> list[str]:
    return sorted(path.name for path in quarantine_dir().iterdir())


def stored_files() -> list[str]:
    """Every file in the media storage (the local filesystem in tests)."""
    root = storages["media"].location
    return sorted(os.path.join(base, name) for base, _dirs, names in os.walk(root) for name in names)


def empty_media_dirs() -> None:
    for root in (quarantine_dir(), Path(storages["media"].location)):
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)


class MediaTestCase(PersonaTestCase):
    """Uploads go through the real quarantine, sniffing and processing; tasks run inline at commit."""

    def setUp(self):
        super().setUp()
        self.addCleanup(empty_media_dirs)
        empty_media_dirs()

    def upload(
        self,
        persona: str = "teacher",
        *,
        data: bytes | None = None,
        name: str = "schoolreis.jpg",
        carrier=None,
    ) -> MediaFile:
        user = getattr(self.world, persona)
        carrier = carrier if carrier is not None else self.world.group3
        with self.captureOnCommitCallbacks(execute=True):
            media = actions.check_upload(
                acting_user=user,
                school=carrier.school,
                upload=upload_of(name, jpeg_bytes() if data is None else data),
                carrier=carrier,
            )
        media.refresh_from_db()
        return media
