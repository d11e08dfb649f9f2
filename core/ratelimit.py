"""Fixed-window rate limits in the shared cache, counted per account and per client address separately.

    if is_rate_limited("login", ip=client_ip(request), account=email): answer 429

An account over its limit is refused until the window ends; other accounts are not touched. An address
over its limit is never refused (behind a school's or a provider's NAT many people share one): its
answers are slowed down instead, by settings.RATE_LIMIT_DELAY seconds per attempt over the limit and at
most RATE_LIMIT_MAX_DELAY, which is enough to make guessing from one address slow.

Every attempt counts, successful or not, for known and unknown accounts alike, so the answer never
reveals whether an address exists. Limits are settings.RATE_LIMITS[scope] = (attempts, window seconds).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def counter_key(scope: str, kind: str, value: str) -> str:
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


def address_delay(attempts_over: int) -> float:
    """How much later an address over its limit is answered: growing per attempt, bounded."""
    return min(max(attempts_over, 0) * settings.RATE_LIMIT_DELAY, settings.RATE_LIMIT_MAX_DELAY)


def is_rate_limited(scope: str, *, ip: str | None, account: str | None = None) -> bool:
    """Count one attempt for this address and this account; True once the account is over the limit.

    An address over the limit is slowed down here (a bounded sleep), never refused.
    """
    if not settings.RATE_LIMITS_ENABLED:
        return False
    attempts, window = settings.RATE_LIMITS[scope]
    if ip:
        delay = address_delay(_count(counter_key(scope, "ip", ip), window) - attempts)
        if delay:
            time.sleep(delay)
    return bool(account) and _count(counter_key(scope, "account", account), window) > attempts
