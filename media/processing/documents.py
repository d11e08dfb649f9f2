"""Documents: PDFs rewritten without active content; other documents kept byte for byte.

Every document is stored under a name that matches its sniffed type. A PDF is opened with pikepdf (qpdf)
and written again without what could run or launch something in a reader: JavaScript, actions that
open, launch, submit or import (OpenAction, AA additional actions, annotation and outline actions other
than plain links), embedded files and file-attachment or media annotations, and XFA forms. Which
objects those are is read from the PDF's structure, never guessed from names or extensions.
"""

import shutil
from pathlib import Path

from .base import Processed, Sniffed, corrupt, encrypted, rendition

# Keys that hold active content wherever they appear: document and page open/close actions, the
# additional-actions dictionaries of pages, fields and annotations, JavaScript (as a name tree or as an
# action's script), embedded files (as a name tree, a file specification's streams or a PDF 2.0
# associated-files list), XFA forms, and the flag asking a reader to render the XFA form, not the page.
ACTIVE_KEYS = (
    "/OpenAction",
    "/AA",
    "/JavaScript",
    "/JS",
    "/EmbeddedFiles",
    "/EF",
    "/RF",
    "/AF",
    "/XFA",
    "/NeedsRendering",
)
# Actions a reader may still follow: moving inside the document, a web link, a viewer command, toggling
# a layer. Everything else (JavaScript, Launch, SubmitForm, ImportData, GoToR, GoToE, Rendition,
# RichMediaExecute, Movie, Sound, ...) is dropped together with what points at it.
SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread", "/SetOCGState", "/Hide", "/ResetForm"}
# Web and mail links only: a `javascript:` or `file:` URI is as active as a JavaScript action.
SAFE_URI_SCHEMES = (b"http:", b"https:", b"mailto:")
# Annotations that carry a file, a player or a 3D scene (which may hold its own scripts).
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}


def process_document(src: Path, out_dir: Path, *, sniffed: Sniffed) -> Processed:
    """Write `document.<ext>`: a PDF without active content, other types as uploaded (served sandboxed)."""
    out = out_dir / f"document.{sniffed.extension}"
    if sniffed.mime == "application/pdf":
        clean_pdf(src, out)
    else:
        shutil.copyfile(src, out)
    content_type = "text/plain; charset=utf-8" if sniffed.mime == "text/plain" else sniffed.mime
    return Processed(
        kind="document", width=None, height=None, duration=None, renditions=[rendition(out, content_type)]
    )


def clean_pdf(src: Path, out: Path) -> None:
    """Write the PDF at `src` to `out` without active content, unencrypted; refuse what qpdf cannot read."""
    import pikepdf

    try:
        with pikepdf.open(src) as pdf:
            _strip(pdf.trailer)
            # Object streams off: what remains of the document's structure is plain text in the file, so
            # any later scanner sees it too. Only objects reachable from the trailer are written, so the
            # detached scripts and files do not come along.
            pdf.save(
                out,
                encryption=False,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                fix_metadata_version=False,
            )
    except pikepdf.PasswordError as error:
        raise encrypted() from error
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError) as error:
        raise corrupt("document") from error


def _strip(root) -> None:
    """Remove active content from `root` and everything reachable from it (iteratively: outlines can be
    long chains)."""
    import pikepdf

    seen, pending = set(), [root]
    while pending:
        obj = pending.pop()
        if not isinstance(obj, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
            continue  # names, strings, numbers: nothing to run
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            pending.extend(obj)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            _strip_dictionary(obj)
            pending.extend(obj[key] for key in obj.keys())  # noqa: SIM118 (a PDF dictionary)


def _strip_dictionary(obj) -> None:
    import pikepdf

    for key in ACTIVE_KEYS:
        if key in obj:
            del obj[key]
    if _is_active_action(obj):
        # Neutralise the action itself too, should anything still point at it.
        for key in ("/F", "/Win", "/Mac", "/Unix", "/Fields", "/URI", "/Next"):
            if key in obj:
                del obj[key]
    for key in ("/A", "/PA"):
        if key in obj and _is_active_action(obj[key]):
            del obj[key]
    if "/Next" in obj:
        following = obj["/Next"]
        if isinstance(following, pikepdf.Array):
            obj["/Next"] = pikepdf.Array([a for a in following if not _is_active_action(a)])
        elif _is_active_action(following):
            del obj["/Next"]
    if "/Annots" in obj and isinstance(obj["/Annots"], pikepdf.Array):
        obj["/Annots"] = pikepdf.Array(
            [a for a in obj["/Annots"] if not (_is_dict(a) and str(a.get("/Subtype")) in ACTIVE_ANNOTATIONS)]
        )


def _is_dict(obj) -> bool:
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary)


def _is_active_action(obj) -> bool:
    """Whether `obj` is an action dictionary a reader could use to run, open or send something."""
    if not _is_dict(obj) or "/S" not in obj:
        return False
    kind = str(obj.get("/S"))
    if kind not in SAFE_ACTIONS:
        return True
    if kind == "/URI":
        uri = bytes(obj.get("/URI", b"")).strip().lower()
        return not uri.startswith(SAFE_URI_SCHEMES)
    return False
