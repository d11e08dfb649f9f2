"""Short-lived grants on rendition URLs: a page's own thumbnails are sent without asking the database who may
see them again.

Who may see a file is decided by `media.queries` (the one owner): a page only puts a rendition URL in front
of a viewer after that owner allowed it. While a page is rendered for a browser session, each rendition URL
it builds carries a grant: an HMAC over the file's public id, version, rendition name, an expiry and the
session cookie of the request it was built for. When that same browser asks for the URL, the grant stands
for the decision already made, and the bytes go out with one query (the rendition's storage name) instead
of four (session, user, rendition, the visibility check).

Why this does not weaken revocation: a grant lives at most MEDIA_CACHE_SECONDS, the time the browser keeps
the bytes in its private cache anyway; a withdrawn consent, a hidden photo or a removed member disappears
from the next page at once (the owner decides every page), and any URL without a valid grant goes through
the whole check. A grant is bound to the session cookie, so a copied URL is worthless to anyone else, and
it ends with the session (logging out deletes the cookie). Requests with a bearer token (the phone apps'
API) get no grants: their viewer is not the session's.
"""

import base64
import functools
import hashlib
import hmac
import time
from contextvars import ContextVar

from django.conf import settings

# The session cookie of the browser request being answered; None outside one (tasks, emails, API tokens).
grant_holder: ContextVar[str | None] = ContextVar("grant_holder", default=None)

GRANT_PARAMETER = "g"
_SALT = "media.grants"


def lifetime() -> int:
    """A grant never outlives the browser's private cache of the same bytes."""
    return max(2, min(settings.MEDIA_GRANT_SECONDS, settings.MEDIA_CACHE_SECONDS))


def _expiry(now: float) -> int:
    # The expiry moves in steps of half the lifetime, so a page shown twice within a step has the same URLs
    # (the browser's cache keeps working), and every grant is valid between half and the whole lifetime.
    step = lifetime() // 2
    return (int(now) // step + 2) * step


def _signature(holder: str, public_id: str, version: int, name: str, expires: int) -> str:
    # salted_hmac(_SALT, message, algorithm="sha256"), its keyed state made once: a feed page signs hundreds.
    signer = _signer(settings.SECRET_KEY).copy()
    signer.update(f"{public_id}/{version}/{name}/{expires}/{holder}".encode())
    return base64.urlsafe_b64encode(signer.digest()[:18]).decode()


@functools.lru_cache(maxsize=4)
def _signer(secret: str) -> hmac.HMAC:
    """An HMAC with salted_hmac's key for this salt and secret key, to copy for each message."""
    return hmac.new(hashlib.sha256((_SALT + secret).encode()).digest(), digestmod=hashlib.sha256)


def grant_for(public_id: str, version: int, name: str, *, now: float | None = None) -> str:
    """The grant for this rendition in the current browser request; empty where there is none."""
    holder = grant_holder.get()
    if not holder:
        return ""
    expires = _expiry(time.time() if now is None else now)
    return f"{expires}.{_signature(holder, public_id, version, name, expires)}"


def is_granted(
    grant: str, *, holder: str, public_id: str, version: int, name: str, now: float | None = None
) -> bool:
    """Whether `grant` was made for this rendition and this session cookie and has not expired."""
    expires_text, _dot, signature = grant.partition(".")
    if not holder or not expires_text.isdigit() or not signature:
        return False
    expires = int(expires_text)
    current = time.time() if now is None else now
    if expires <= current or expires - current > lifetime():
        return False
    expected = _signature(holder, public_id, version, name, expires)
    return hmac.compare_digest(expected, signature)
