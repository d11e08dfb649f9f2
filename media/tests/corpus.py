"""Hostile and awkward files for the media pipeline, generated on the spot into a directory.

Every maker takes the directory and returns the path it wrote. `SAMPLES` names each maker with the
outcome the pipeline must give it: a kind ("photo", "video", "document") or a refusal code.
"""

import io
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

from PIL import Image, TiffImagePlugin

GPS_LATITUDE = "+52.1601"
GPS_LONGITUDE = "+004.4970"
CAMERA_SERIAL = "SN-CAMERA-7731942"
HTML_PAYLOAD = b"<html><body><script>alert('polyglot')</script></body></html>"


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def picture(width: int = 640, height: int = 480) -> Image.Image:
    """A photo-like RGB picture: gradients with noise (compresses like a real photo, not like a flat fill)."""
    noise = Image.effect_noise((width, height), 40)
    horizontal = Image.linear_gradient("L").resize((width, height)).rotate(90, expand=False)
    vertical = Image.linear_gradient("L").resize((width, height))
    return Image.merge("RGB", (Image.blend(noise, horizontal, 0.6), Image.blend(noise, vertical, 0.6), noise))


def exif_with_location(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone camera writes it: make, model, serial number, GPS position, orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS Schoolreis"  # Model
    exif[0x0112] = orientation
    exif[0x0131] = "Camera firmware 1.0"  # Software
    exif.get_ifd(0x8769)[0xA431] = CAMERA_SERIAL  # BodySerialNumber
    exif.get_ifd(0x8769)[0x927C] = b"MAKERNOTE " + CAMERA_SERIAL.encode()  # MakerNote
    rational = TiffImagePlugin.IFDRational
    exif.get_ifd(0x8825).update(
        {
            1: "N",
            2: (rational(52, 1), rational(9, 1), rational(3636, 100)),
            3: "E",
            4: (rational(4, 1), rational(29, 1), rational(4920, 100)),
        }
    )
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,9.606N" '
    b'exif:GPSLongitude="4,29.82E"/></rdf:RDF></x:xmpmeta>'
)


def jpeg_with_gps(directory: Path) -> Path:
    """A camera JPEG carrying GPS, a serial number, a maker note, XMP and a comment."""
    path = directory / "IMG_0001.jpg"
    picture(800, 600).save(
        path,
        "JPEG",
        quality=90,
        exif=exif_with_location().tobytes(),
        comment=f"Schoolreis {CAMERA_SERIAL}".encode(),
        xmp=XMP,
    )
    return path


def jpeg_rotated(directory: Path) -> Path:
    """Stored 200x100, left red and right blue, EXIF orientation 6: upright it is portrait, red on top."""
    path = directory / "rotated.jpg"
    image = Image.new("RGB", (200, 100), (220, 20, 20))
    image.paste((20, 20, 220), (100, 0, 200, 100))
    image.save(path, "JPEG", quality=95, exif=exif_with_location(orientation=6).tobytes())
    return path


def jpeg_large(directory: Path, width: int = 3000, height: int = 2000) -> Path:
    path = directory / "large.jpg"
    picture(width, height).save(path, "JPEG", quality=90)
    return path


def jpeg_html_polyglot(directory: Path) -> Path:
    """A valid JPEG with HTML in a comment segment and after the end-of-image marker."""
    buffer = io.BytesIO()
    picture(320, 240).save(buffer, "JPEG", quality=85)
    data = buffer.getvalue()
    comment = b"\xff\xfe" + struct.pack(">H", len(HTML_PAYLOAD) + 2) + HTML_PAYLOAD
    path = directory / "polyglot.html"
    path.write_bytes(data[:2] + comment + data[2:] + HTML_PAYLOAD)
    return path


def jpeg_truncated(directory: Path) -> Path:
    buffer = io.BytesIO()
    picture(800, 600).save(buffer, "JPEG", quality=90)
    path = directory / "truncated.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) * 6 // 10])
    return path


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_pixel_bomb(directory: Path) -> Path:
    """A tiny PNG whose header declares 100,000 x 100,000 pixels (ten gigapixels)."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\x00" * 3 * 100_000)
    path = directory / "bomb.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )
    return path


def png_named_pdf(directory: Path) -> Path:
    """A PNG (with transparency) under a .pdf name."""
    path = directory / "scan.pdf"
    image = picture(300, 200).convert("RGBA")
    image.putalpha(128)
    image.save(path, "PNG")
    return path


def gif_animated(directory: Path, frames: int = 3) -> Path:
    path = directory / "animated.gif"
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    images = [Image.new("RGB", (120, 80), colours[i % 3]) for i in range(frames)]
    images[0].save(path, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return path


def webp_photo(directory: Path) -> Path:
    path = directory / "photo.webp"
    picture(500, 400).save(path, "WEBP", quality=80, exif=exif_with_location().tobytes())
    return path


def heic_from_phone(directory: Path) -> Path:
    """An HEIC as an iPhone writes it, with EXIF (GPS, serial) inside."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = directory / "IMG_0002.HEIC"
    picture(640, 480).save(path, "HEIF", quality=80, exif=exif_with_location().tobytes())
    return path


def svg_with_script(directory: Path) -> Path:
    path = directory / "drawing.svg"
    path.write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        "<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>\n"
    )
    return path


def html_page(directory: Path) -> Path:
    path = directory / "page.txt"
    path.write_text("\n\n<!DOCTYPE html><html><body onload=alert(1)>Hallo</body></html>\n")
    return path


def shell_script(directory: Path) -> Path:
    path = directory / "script.txt"
    path.write_text("#!/bin/sh\nrm -rf /\n")
    return path


def text_with_nul(directory: Path) -> Path:
    path = directory / "binary.txt"
    path.write_bytes(b"hallo\x00wereld\n")
    return path


def latin1_text(directory: Path) -> Path:
    path = directory / "latin1.txt"
    path.write_bytes("Café, één, privé\n".encode("latin-1"))
    return path


def empty_file(directory: Path) -> Path:
    path = directory / "empty.jpg"
    path.write_bytes(b"")
    return path


def plain_text(directory: Path) -> Path:
    path = directory / "notes.txt"
    path.write_text("Beste ouders,\n\nVrijdag is de schoolreis naar het bos. Neem een lunchpakket mee.\n")
    return path


def pdf(directory: Path) -> Path:
    """A minimal one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = directory / "brief.pdf"
    path.write_bytes(body)
    return path


OOXML_TYPES = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def ooxml(directory: Path, extension: str = "docx", *, macros: bool = False) -> Path:
    """A Word/Excel/PowerPoint file as Office writes it (optionally with a VBA project: macro-enabled)."""
    part, content_type = OOXML_TYPES[extension]
    if macros:
        content_type = "application/vnd.ms-word.document.macroEnabled.main+xml"
    path = directory / f"document.{extension}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document>Hallo</document>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return path


def docx(directory: Path) -> Path:
    return ooxml(directory, "docx")


def docm(directory: Path) -> Path:
    return ooxml(directory, "docx", macros=True)


def opendocument(directory: Path) -> Path:
    path = directory / "verslag.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return path


def ole(directory: Path, streams: tuple[str, ...] = ("WordDocument",), name: str = "oud.doc") -> Path:
    """A minimal OLE compound file (the container of .doc/.xls/.ppt) with the given stream names."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, end, *([free] * 125))

    def entry(entry_name: str, kind: int, start: int) -> bytes:
        encoded = (entry_name + "\0").encode("utf-16-le")
        data = bytearray(128)
        data[: len(encoded)] = encoded
        struct.pack_into("<HBB", data, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", data, 0x44, free, free, free)
        struct.pack_into("<II", data, 0x74, start, 512 if kind == 2 else 0)
        return bytes(data)

    entries = [entry("Root Entry", 5, end)] + [entry(stream, 2, 2) for stream in streams]
    directory_sector = b"".join(entries).ljust(512, b"\0")
    path = directory / name
    path.write_bytes(bytes(header) + fat + directory_sector + b"\0" * 512)
    return path


def ole_doc(directory: Path) -> Path:
    return ole(directory)


def ole_xls_with_macros(directory: Path) -> Path:
    return ole(directory, ("Workbook", "_VBA_PROJECT_CUR"), name="macros.xls")


def ole_installer(directory: Path) -> Path:
    """An OLE file that is no Office document (an installer package looks like this)."""
    return ole(directory, ("SummaryInformation",), name="setup.msi")


def elf_binary(directory: Path) -> Path:
    path = directory / "photo.jpg"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120)
    return path


def windows_exe(directory: Path) -> Path:
    path = directory / "document.pdf"
    path.write_bytes(
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."
    )
    return path


def zip_archive(directory: Path) -> Path:
    path = directory / "fotos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hallo")
    return path


def gzip_archive(directory: Path) -> Path:
    import gzip

    path = directory / "fotos.tar.gz"
    path.write_bytes(gzip.compress(b"hallo" * 100))
    return path


def video(
    directory: Path,
    name: str,
    *,
    seconds: float = 1,
    video_args: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    audio_args: tuple[str, ...] | None = ("-c:a", "aac"),
    extra: tuple[str, ...] = (),
    size: str = "320x240",
) -> Path:
    """Encode a test pattern (with a tone, unless audio_args is None) with ffmpeg."""
    path = directory / name
    command = [_ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    command += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"]
    if audio_args is not None:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", *audio_args]
    command += [*video_args, *extra, "-shortest", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return path


LOCATION_TAGS = (
    "-metadata",
    f"location={GPS_LATITUDE}{GPS_LONGITUDE}/",
    "-metadata",
    f"com.apple.quicktime.location.ISO6709={GPS_LATITUDE}{GPS_LONGITUDE}+000.000/",
    "-metadata",
    f"comment={CAMERA_SERIAL}",
    "-movflags",
    "+use_metadata_tags",
)


def mp4_with_location(directory: Path) -> Path:
    """An H.264/AAC MP4 carrying a GPS position (QuickTime location atoms) and a serial in a comment."""
    return video(directory, "VID_0001.mp4", seconds=2, extra=LOCATION_TAGS)


def mov_hevc(directory: Path) -> Path:
    """An iPhone-style QuickTime file: HEVC video, AAC audio, location metadata."""
    hevc = ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-tag:v", "hvc1")
    return video(
        directory,
        "IMG_0003.MOV",
        seconds=1,
        video_args=(*hevc, "-x265-params", "log-level=error"),
        extra=LOCATION_TAGS,
    )


def webm(directory: Path) -> Path:
    vp9 = ("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k")
    return video(directory, "clip.webm", seconds=1, video_args=vp9, audio_args=("-c:a", "libopus"))


def audio_only(directory: Path) -> Path:
    path = directory / "voice.m4a"
    command = [_ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    command += ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return path


def video_truncated(directory: Path) -> Path:
    source = mp4_with_location(directory)
    path = directory / "broken.mp4"
    path.write_bytes(source.read_bytes()[:2000])
    return path


SAMPLES = {
    "jpeg_with_gps": (jpeg_with_gps, "photo"),
    "jpeg_rotated": (jpeg_rotated, "photo"),
    "jpeg_html_polyglot": (jpeg_html_polyglot, "photo"),
    "jpeg_truncated": (jpeg_truncated, "corrupt"),
    "png_pixel_bomb": (png_pixel_bomb, "pixel_bomb"),
    "png_named_pdf": (png_named_pdf, "photo"),
    "gif_animated": (gif_animated, "photo"),
    "webp_photo": (webp_photo, "photo"),
    "heic_from_phone": (heic_from_phone, "photo"),
    "svg_with_script": (svg_with_script, "unsupported_type"),
    "html_page": (html_page, "unsupported_type"),
    "shell_script": (shell_script, "unsupported_type"),
    "text_with_nul": (text_with_nul, "unsupported_type"),
    "latin1_text": (latin1_text, "unsupported_type"),
    "empty_file": (empty_file, "empty"),
    "plain_text": (plain_text, "document"),
    "pdf": (pdf, "document"),
    "docx": (docx, "document"),
    "docm": (docm, "unsupported_type"),
    "opendocument": (opendocument, "document"),
    "ole_doc": (ole_doc, "document"),
    "ole_xls_with_macros": (ole_xls_with_macros, "unsupported_type"),
    "ole_installer": (ole_installer, "unsupported_type"),
    "elf_binary": (elf_binary, "unsupported_type"),
    "windows_exe": (windows_exe, "unsupported_type"),
    "zip_archive": (zip_archive, "unsupported_type"),
    "gzip_archive": (gzip_archive, "unsupported_type"),
    "mp4_with_location": (mp4_with_location, "video"),
    "mov_hevc": (mov_hevc, "video"),
    "webm": (webm, "video"),
    "audio_only": (audio_only, "unsupported_type"),
    "video_truncated": (video_truncated, "corrupt"),
}


# What must never survive processing: the location, the camera's identity, and any markup payload.
LEAK_MARKERS = {
    "serial": CAMERA_SERIAL.encode(),
    "gps latitude": GPS_LATITUDE.encode(),
    "exif": b"Exif\x00\x00",
    "maker note": b"MAKERNOTE",
    "camera make": b"Canon",
    "xmp": b"adobe:ns:meta",
    "comment": b"Schoolreis",
    "html": b"<html",
    "script": b"<script",
}


def leaks(data: bytes) -> list[str]:
    """The names of the sensitive markers found in a served file's bytes (empty when clean)."""
    return [name for name, marker in LEAK_MARKERS.items() if marker in data]
