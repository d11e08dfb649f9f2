"""Inspect and process uploaded media: pure functions on files, no Django models.

`sniff` decides what a file is from its content and checks it against the limits without decoding it;
`process` then writes the renditions that may be served. Anything refused raises `Rejected`.
"""

from pathlib import Path

from .base import Limits, Processed, Rejected, RenditionFile, Sniffed, empty, too_large
from .documents import process_document
from .images import ImageHeader, process_photo, read_header
from .sniffing import identify
from .videos import VideoProbe, probe, process_video

__all__ = ["Limits", "Processed", "Rejected", "RenditionFile", "Sniffed", "process", "sniff"]


def sniff(path: Path, *, limits: Limits) -> Sniffed:
    """Name the file's type by its content and check size, pixels and duration against the limits."""
    return _inspect(Path(path), limits=limits)[0]


def process(src: Path, out_dir: Path, *, limits: Limits) -> Processed:
    """Sniff the file and write its renditions into `out_dir` (which must exist)."""
    src, out_dir = Path(src), Path(out_dir)
    sniffed, header = _inspect(src, limits=limits)
    if isinstance(header, ImageHeader):
        return process_photo(src, out_dir, sniffed=sniffed, header=header)
    if isinstance(header, VideoProbe):
        return process_video(src, out_dir, sniffed=sniffed, info=header, limits=limits)
    return process_document(src, out_dir, sniffed=sniffed)


def _inspect(path: Path, *, limits: Limits) -> tuple[Sniffed, ImageHeader | VideoProbe | None]:
    size = path.stat().st_size
    if size == 0:
        raise empty()
    sniffed = identify(path, size=size, limits=limits)
    if size > limits.max_bytes(sniffed.kind):
        raise too_large(sniffed.kind, limits)
    if sniffed.kind == "photo":
        return sniffed, read_header(path, sniffed=sniffed, limits=limits)
    if sniffed.kind == "video":
        return sniffed, probe(path, sniffed=sniffed, limits=limits)
    return sniffed, None
