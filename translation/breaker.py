"""A circuit breaker per engine, kept in the shared cache so every web and worker process sees it.

After `TRANSLATION_BREAKER_FAILURES` failed requests in a row the engine is left alone for
`TRANSLATION_BREAKER_SECONDS`: pages stop asking for translations (they show the text untranslated at once)
and tasks fail without calling. A success closes it again.
"""

import time

from django.conf import settings
from django.core.cache import cache


def _keys(engine: str) -> tuple[str, str]:
    return f"translation:failures:{engine}", f"translation:open-until:{engine}"


def is_open(engine: str) -> bool:
    return (cache.get(_keys(engine)[1]) or 0) > time.time()


def record_failure(engine: str) -> None:
    failures_key, open_key = _keys(engine)
    cache.add(failures_key, 0, timeout=settings.TRANSLATION_BREAKER_SECONDS * 10)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        failures = 1
        cache.set(failures_key, failures)
    if failures >= settings.TRANSLATION_BREAKER_FAILURES:
        seconds = settings.TRANSLATION_BREAKER_SECONDS
        cache.set(open_key, time.time() + seconds, timeout=seconds)
        cache.delete(failures_key)


def record_success(engine: str) -> None:
    cache.delete_many(_keys(engine))
