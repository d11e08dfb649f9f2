"""A dependency that cannot be reached (database, Redis, the object store, a mail server) is an outage,
not a bug: the answer is 503 with a Retry-After, never 500.

Django turns every exception a view or a middleware did not handle into the 500 handler
(`core.views.server_error`), inside the `except` that caught it; that handler asks `is_outage` and answers
503 instead. The API re-raises what it does not know, so it arrives there too and answers in JSON.
"""

import botocore.exceptions
import redis.exceptions
from django.db.utils import InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 30

OUTAGES = (
    OperationalError,  # PostgreSQL unreachable or restarting, a lock or serialisation timeout; SQLite locked
    InterfaceError,  # a connection the database closed under us
    redis.exceptions.ConnectionError,  # also Redis still loading its data after a restart
    redis.exceptions.TimeoutError,
    botocore.exceptions.ConnectionError,  # the object store refuses, resets or does not answer in time
    botocore.exceptions.HTTPClientError,
    ConnectionError,  # any other peer: refused, reset, aborted (an SMTP server, a push service)
)


def is_outage(exception: BaseException | None) -> bool:
    """Whether this exception, or one it was raised from, says a dependency is unreachable."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OUTAGES):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False
