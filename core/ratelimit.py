"""Fixed-window rate limits in the shared cache, counted per client IP and per account (email).

    if is_rate_limited("login", ip=request.META.get("REMOTE_ADDR"), account=email): answer 429

Every attempt counts, successful or not, for known and unknown accounts alike, so the answer never
reveals whether an address exists. Limits are settings.RATE_LIMITS[scope] = (attempts, window seconds).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first hit of a new window
        cache.set(key, 1, timeout=window)
        return 1


def is_rate_limited(scope: str, *, ip: str | None, account: str | None = None) -> bool:
    """Count one attempt for this IP and this account; True once either is over the scope's limit."""
    if not settings.RATE_LIMITS_ENABLED:
        return False
    attempts, window = settings.RATE_LIMITS[scope]
    over = False
    for kind, value in (("ip", ip), ("account", account)):
        if value:
            over |= _count(_key(scope, kind, value), window) > attempts
    return over
