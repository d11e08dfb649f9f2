"""VAPID keys for web push: from settings, or generated once into DATA_DIR (embedded mode)."""

import base64
import json
import os
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_keys() -> dict[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"private": _b64(private), "public": _b64(public)}


@cache
def vapid_keys() -> dict[str, str]:
    """The server's key pair, base64url: `private` (raw 32 bytes) and `public` (uncompressed point)."""
    private, public = settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    if private and public:
        return {"private": private, "public": public}
    path = settings.DATA_DIR / "vapid.json"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                json.dump(generate_keys(), handle)
    return json.loads(path.read_text())


def vapid_subject() -> str:
    return settings.VAPID_SUBJECT or f"mailto:{settings.SERVER_EMAIL.split('<')[-1].rstrip('>')}"
