"""Where bytes live: the private quarantine for uploads, the media storage for renditions."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages

CHUNK = 256 * 1024


def media_storage() -> Storage:
    return storages["media"]


def quarantine_dir() -> Path:
    path = Path(settings.MEDIA_QUARANTINE_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def new_quarantine_name() -> str:
    return secrets.token_hex(16)


def quarantine_path(name: str) -> Path:
    return quarantine_dir() / name


def remove_quarantined(name: str) -> None:
    if name:
        quarantine_path(name).unlink(missing_ok=True)


def new_storage_name(rendition_name: str) -> str:
    """An unguessable path; the rendition's suffix only, nothing from the uploaded name."""
    token = secrets.token_urlsafe(24)
    return f"{token[:2]}/{token}{Path(rendition_name).suffix}"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:32]


def rendition_bytes(rendition) -> bytes:
    """The stored bytes of one rendition (the caller has authorized reading them)."""
    with media_storage().open(rendition.storage_name, "rb") as handle:
        return handle.read()
