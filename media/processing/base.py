"""The value types shared by the media processors: limits, sniff results, renditions, refusals."""

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

Kind = Literal["photo", "video", "document"]

MB = 1024 * 1024


class Rejected(Exception):
    """A file the platform will not take; `code` is stable, `message` is shown to the uploader."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True)
class Limits:
    photo_bytes: int = 30 * MB
    photo_pixels: int = 100_000_000
    video_bytes: int = 500 * MB
    video_seconds: int = 600
    document_bytes: int = 25 * MB

    @classmethod
    def from_settings(cls) -> "Limits":
        """Read settings.MEDIA_LIMITS (a dict of the field names above); missing keys keep their default."""
        from django.conf import settings

        configured = getattr(settings, "MEDIA_LIMITS", None) or {}
        known = {f.name for f in fields(cls)}
        return cls(**{key: int(value) for key, value in configured.items() if key in known})

    def max_bytes(self, kind: Kind) -> int:
        return {"photo": self.photo_bytes, "video": self.video_bytes, "document": self.document_bytes}[kind]


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    mime: str
    extension: str


@dataclass(frozen=True)
class RenditionFile:
    name: str
    path: Path
    content_type: str
    width: int | None
    height: int | None
    size: int


@dataclass(frozen=True)
class Processed:
    kind: Kind
    width: int | None
    height: int | None
    duration: float | None
    renditions: list[RenditionFile]


def rendition(path: Path, content_type: str, width: int | None = None, height: int | None = None):
    """Describe a file just written into the output directory."""
    return RenditionFile(
        name=path.name,
        path=path,
        content_type=content_type,
        width=width,
        height=height,
        size=path.stat().st_size,
    )


def _format_percent(message, **values) -> str:
    return str(message) % values


# A translated message with %-placeholders, filled in only when it is shown (in the viewer's language).
format_lazy_percent = lazy(_format_percent, str)


def empty() -> Rejected:
    return Rejected("empty", _("The file is empty."))


def unsupported(message=None) -> Rejected:
    return Rejected(
        "unsupported_type",
        message
        or _(
            "This type of file cannot be shared. Photos (JPEG, PNG, WebP, HEIC, GIF), videos (MP4, MOV, "
            "WebM) and documents (PDF, Word, Excel, PowerPoint, OpenDocument, text) are accepted."
        ),
    )


def corrupt(kind: Kind) -> Rejected:
    messages = {
        "photo": _("The photo is damaged or incomplete and cannot be shown."),
        "video": _("The video is damaged or incomplete and cannot be played."),
        "document": _("The document is damaged or incomplete."),
    }
    return Rejected("corrupt", messages[kind])


def encrypted() -> Rejected:
    return Rejected(
        "encrypted", _("The document is protected with a password; please upload it without one.")
    )


def too_large(kind: Kind, limits: Limits) -> Rejected:
    megabytes = limits.max_bytes(kind) // MB
    messages = {
        "photo": _("The photo is larger than %(mb)d MB."),
        "video": _("The video is larger than %(mb)d MB."),
        "document": _("The document is larger than %(mb)d MB."),
    }
    return Rejected("too_large", format_lazy_percent(messages[kind], mb=megabytes))


def pixel_bomb(limits: Limits) -> Rejected:
    message = _("The photo has more than %(megapixels)d megapixels; please upload a smaller version.")
    return Rejected("pixel_bomb", format_lazy_percent(message, megapixels=limits.photo_pixels // 1_000_000))


def too_long(limits: Limits) -> Rejected:
    if limits.video_seconds % 60 == 0:
        message = _("The video is longer than %(count)d minutes.")
        return Rejected("too_long", format_lazy_percent(message, count=limits.video_seconds // 60))
    message = _("The video is longer than %(count)d seconds.")
    return Rejected("too_long", format_lazy_percent(message, count=limits.video_seconds))


def timeout() -> Rejected:
    return Rejected("timeout", _("Processing the video took too long."))


def rejection(code: str, kind: Kind, limits: Limits) -> Rejected | None:
    """Rebuild the refusal for a stored code (its message in the current language); unknown codes: None."""
    builders = {
        "empty": empty,
        "unsupported_type": unsupported,
        "corrupt": lambda: corrupt(kind),
        "encrypted": encrypted,
        "too_large": lambda: too_large(kind, limits),
        "pixel_bomb": lambda: pixel_bomb(limits),
        "too_long": lambda: too_long(limits),
        "timeout": timeout,
    }
    builder = builders.get(code)
    return builder() if builder else None
