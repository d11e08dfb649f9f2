"""The host of a configured address, for pages that name where data goes (never its user or password)."""

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The host (and port, when given) of a URL, without user or password."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or ""
