"""Facts about the signed-in viewer that every access layer needs, memoised per request."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AnonymousUser


def is_signed_in(viewer) -> bool:
    return viewer is not None and not isinstance(viewer, AnonymousUser) and viewer.is_authenticated


def is_two_factor_verified(viewer) -> bool:
    """Staff powers count only in a session that passed TOTP (API tokens count as verified)."""
    check = getattr(viewer, "is_verified", None)
    return bool(check and check())


def verified(user):
    """The user acting with the proof of a two-factor-verified session: for work done outside a session
    (demo seeding, a token that was made in one, tests), where staff powers would otherwise not count."""
    if user is not None:
        user.is_verified = lambda: True
    return user


# --- A request's memo of the viewer's membership -----------------------------------------------------
#
# Who the viewer is connected to (their groups, their schools' current years) is asked by several owners
# in one request: the feed's groups, every post's and file's visibility. Stated as a subquery each time,
# it is built by the ORM over and over and nested in every query that asks it (on a feed page, most of
# the CPU went to constructing those queries). Within a request whose method does not change anything
# (GET, HEAD), the owners resolve it once to a short list of ids and filter on that list: the same rule,
# evaluated once. Outside such a request (writes, tasks, tests calling the owners directly) there is no
# memo and the owners stay lazy subqueries, so a change is always seen by the next read.

_memo: ContextVar[dict | None] = ContextVar("viewer_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    """A memo for the duration of one reading request (RequestContextMiddleware opens it)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


@contextmanager
def without_memo() -> Iterator[None]:
    """Owners state their rules as lazy queries here, even within a reading request: for SQL that is kept
    beyond the request (core.compiled), which must not hold one request's answers."""
    token = _memo.set(None)
    try:
        yield
    finally:
        _memo.reset(token)


def memoised[T](key: tuple, compute: Callable[[], T]) -> T | None:
    """The value of `compute()` for `key`, computed once per reading request; None outside one, where
    the caller states its rule as a lazy query instead. Keys name their viewer: (name, user id, ...)."""
    memo = _memo.get()
    if memo is None:
        return None
    if key not in memo:
        memo[key] = compute()
    return memo[key]
