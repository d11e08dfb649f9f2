"""Why a file failed: a stable code stored on the file, a message rendered in the reader's language.

Processing refusals (media.processing.Rejected) carry a code; their messages are rebuilt here from the
same translated strings, so a parent reading in English sees English even if the failure happened at
night in a Dutch worker.
"""

from django.utils.translation import gettext_lazy as _

from core.refusals import Invalid

PROCESSING_ERROR = "processing_error"
GENERIC = _("This file could not be processed. Please try again or choose another file.")
OTHER_REASONS = {
    "pixel_bomb": _("The photo has too many pixels; please upload a smaller version."),
    "too_long": _("The video is too long; please upload a shorter one."),
    "timeout": _("Processing this file took too long; please upload a smaller version."),
}


class MediaRefused(Invalid):
    """A request the pipeline refuses (422); `message` is translated and safe to show, `code` is stable."""


def failure_message(code: str, kind: str) -> str:
    """The uploader-facing reason for a failure code (and the file's kind, where messages differ)."""
    from media.processing import Limits
    from media.processing import base as reasons

    builders = {
        "empty": lambda: reasons.empty(),
        "unsupported_type": lambda: reasons.unsupported(),
        "corrupt": lambda: reasons.corrupt(kind),
        "encrypted": lambda: reasons.encrypted(),
        "too_large": lambda: reasons.too_large(kind, Limits.from_settings()),
    }
    builder = builders.get(code)
    return str(builder().message if builder else OTHER_REASONS.get(code, GENERIC))


def files_per_post() -> int:
    """How many files one post, message or upload batch may carry (MEDIA_LIMITS["files_per_post"])."""
    from django.conf import settings

    return int(getattr(settings, "MEDIA_LIMITS", {}).get("files_per_post", 50))


def too_many_files_message() -> str:
    return _("You can add at most %(count)d files at once.") % {"count": files_per_post()}
