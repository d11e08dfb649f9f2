"""Decide what a file is from its bytes alone: magic numbers and container structure, never its name."""

import struct
import zipfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .base import Limits, Sniffed, too_large, unsupported

HEAD_BYTES = 4096

ARCHIVE_MESSAGE = _("Archives such as ZIP files cannot be shared. Please upload the files themselves.")
PROGRAM_MESSAGE = _("Programs and scripts cannot be shared.")
MARKUP_MESSAGE = _(
    "Web pages, SVG images and other markup cannot be shared. Please upload a PDF or a photo instead."
)
MACRO_MESSAGE = _(
    "Office documents with macros cannot be shared. Please save the document without macros "
    "(for example as .docx, .xlsx or .pptx)."
)

PHOTO_MAGIC = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]
ARCHIVE_MAGIC = [
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip (also .svgz and .tar.gz)
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"MSCF",  # cabinet
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
]
PROGRAM_MAGIC = [
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary and Java class file
    b"\x00asm",
    b"#!",
]
# HEIF images share the ISO media container with MP4 video; the brand tells them apart.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
OOXML_MACRO_MARKERS = ("macroEnabled", "vbaProject")
OPENDOCUMENT_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OLE_STREAMS = [
    ("WordDocument", "application/msword", "doc"),
    ("Workbook", "application/vnd.ms-excel", "xls"),
    ("Book", "application/vnd.ms-excel", "xls"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint", "ppt"),
]
OLE_MACRO_STORAGES = {"Macros", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT"}
MARKUP_MARKERS = ("<script", "<html", "<svg", "<iframe", "<!doctype", "<?xml", "<body", "<object", "<embed")


def identify(path: Path, *, size: int, limits: Limits) -> Sniffed:
    """Name the type of a non-empty file from its content, or refuse it."""
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    for magic, mime, extension in PHOTO_MAGIC:
        if head.startswith(magic):
            return Sniffed("photo", mime, extension)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("photo", "image/webp", "webp")
    if head[4:8] == b"ftyp" or head[4:8] in QUICKTIME_ATOMS:
        return _iso_media(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # Matroska; the EBML header names the WebM flavour in its DocType element.
        if b"\x42\x82\x84webm" in head[:64]:
            return Sniffed("video", "video/webm", "webm")
        return Sniffed("video", "video/x-matroska", "mkv")
    if head.startswith(b"%PDF-"):
        return Sniffed("document", "application/pdf", "pdf")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_document(path)
    if head.startswith(b"PK\x03\x04"):
        return _zip_document(path)
    if any(head.startswith(magic) for magic in ARCHIVE_MAGIC) or head[257:262] == b"ustar":
        raise unsupported(ARCHIVE_MESSAGE)
    if any(head.startswith(magic) for magic in PROGRAM_MAGIC):
        raise unsupported(PROGRAM_MESSAGE)
    if size > limits.document_bytes:
        raise too_large("document", limits)
    return _plain_text(path.read_bytes())


def _iso_media(head: bytes) -> Sniffed:
    if head[4:8] != b"ftyp":
        return Sniffed("video", "video/quicktime", "mov")
    major = head[8:12]
    if major in AVIF_BRANDS:
        return Sniffed("photo", "image/avif", "avif")
    if major in HEIF_BRANDS:
        return Sniffed("photo", "image/heic", "heic")
    if major in AUDIO_BRANDS:
        raise unsupported()
    if major == b"qt  ":
        return Sniffed("video", "video/quicktime", "mov")
    return Sniffed("video", "video/mp4", "mp4")


def _zip_document(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in OPENDOCUMENT_TYPES:
                    return Sniffed("document", mimetype, OPENDOCUMENT_TYPES[mimetype])
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as part:
                    content_types = part.read(1_000_000).decode("utf-8", "replace")
                if any(marker in content_types for marker in OOXML_MACRO_MARKERS) or any(
                    name.lower().endswith("vbaproject.bin") for name in names
                ):
                    raise unsupported(MACRO_MESSAGE)
                for part_type, (mime, extension) in OOXML_MAIN_PARTS.items():
                    if f'ContentType="{part_type}"' in content_types:
                        return Sniffed("document", mime, extension)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        pass
    raise unsupported(ARCHIVE_MESSAGE)


def _ole_document(path: Path) -> Sniffed:
    try:
        names = set(_ole_directory_names(path))
    except (ValueError, struct.error, OSError):
        raise unsupported() from None
    if names & OLE_MACRO_STORAGES:
        raise unsupported(MACRO_MESSAGE)
    for stream, mime, extension in OLE_STREAMS:
        if stream in names:
            return Sniffed("document", mime, extension)
    raise unsupported()


def _ole_directory_names(path: Path) -> list[str]:
    """Read the entry names of an OLE compound file (the container of .doc, .xls and .ppt)."""
    end_of_chain = 0xFFFFFFFE
    with path.open("rb") as file:
        header = file.read(512)
        file_size = file.seek(0, 2)
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        sector_size = 1 << shift
        max_sectors = file_size // sector_size + 1

        def read_sector(number: int) -> bytes:
            if number >= max_sectors:
                raise ValueError("sector out of range")
            file.seek((number + 1) * sector_size)
            data = file.read(sector_size)
            if len(data) != sector_size:
                raise ValueError("truncated")
            return data

        fat_sectors = [n for n in struct.unpack_from("<109I", header, 0x4C) if n < end_of_chain]
        difat, hops = struct.unpack_from("<I", header, 0x44)[0], 0
        while difat < end_of_chain and hops < max_sectors:
            entries = struct.unpack(f"<{sector_size // 4}I", read_sector(difat))
            fat_sectors += [n for n in entries[:-1] if n < end_of_chain]
            difat, hops = entries[-1], hops + 1
        per_fat_sector = sector_size // 4

        def next_sector(number: int) -> int:
            index, offset = divmod(number, per_fat_sector)
            if index >= len(fat_sectors):
                raise ValueError("no FAT entry")
            return struct.unpack_from("<I", read_sector(fat_sectors[index]), offset * 4)[0]

        names, sector, seen = [], struct.unpack_from("<I", header, 0x30)[0], set()
        while sector < end_of_chain:
            if sector in seen:
                raise ValueError("loop in directory chain")
            seen.add(sector)
            data = read_sector(sector)
            for offset in range(0, sector_size, 128):
                length = struct.unpack_from("<H", data, offset + 0x40)[0]
                if data[offset + 0x42] in (1, 2, 5) and 2 <= length <= 64:
                    names.append(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
            sector = next_sector(sector)
        return names


def _plain_text(data: bytes) -> Sniffed:
    if b"\x00" in data:
        raise unsupported()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unsupported() from None
    lowered = text.lower()
    if lowered.lstrip().startswith("#!"):
        raise unsupported(PROGRAM_MESSAGE)
    if lowered.lstrip().startswith("<") or any(marker in lowered for marker in MARKUP_MARKERS):
        raise unsupported(MARKUP_MESSAGE)
    return Sniffed("document", "text/plain", "txt")
