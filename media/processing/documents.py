"""Documents: kept byte for byte under a name that matches their sniffed type."""

import shutil
from pathlib import Path

from .base import Processed, Sniffed, rendition


def process_document(src: Path, out_dir: Path, *, sniffed: Sniffed) -> Processed:
    """Copy the document as `document.<ext>`; the serving side sandboxes it and forces a download type."""
    out = out_dir / f"document.{sniffed.extension}"
    shutil.copyfile(src, out)
    content_type = "text/plain; charset=utf-8" if sniffed.mime == "text/plain" else sniffed.mime
    return Processed(
        kind="document", width=None, height=None, duration=None, renditions=[rendition(out, content_type)]
    )
