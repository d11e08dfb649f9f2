"""What can be translated: each app registers its kinds of text (as apps register media carriers).

A kind says how to find an object the viewer may see (by calling the app's own visibility rule, so "you
can only translate what you can see" has the same owner as seeing), how to load it again in the task,
which texts it has (plain or HTML, with the owner's HTML cleaner), its school and the names in it that
must never be translated.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from core.refusals import NotFound


@dataclass(frozen=True)
class Kind:
    name: str
    access: Callable  # (viewer, public_id) -> object, raising NotFound for not-yours
    load: Callable  # (public_id) -> object or None, for the task (access was checked when it was asked)
    texts: Callable  # (object) -> list[str]
    html: tuple[bool, ...]  # per text: HTML (cleaned by `clean`) or plain
    school_id: Callable  # (object) -> int
    names: Callable  # (object) -> list[str]: pupils, staff and school names to keep as they are
    clean: Callable | None = None  # (html) -> html, the owner's allowlist for its HTML texts
    # The model (with a `public_id`), so rows of deleted objects can be swept; None: never swept.
    model: type | None = None
    # The object's author's user id, for "translate my message for the teacher"; None when not needed.
    author_id: Callable | None = None


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _kinds[kind.name] = kind


def kind_named(name: str) -> Kind:
    """The registered kind; an unknown one answers like a missing object."""
    try:
        return _kinds[name]
    except KeyError:
        raise NotFound() from None


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def source_hash(texts: list[str]) -> str:
    """The version of a text: its hash (comments and messages have no edit counter; a hash also notices an
    edit that changed nothing)."""
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()
