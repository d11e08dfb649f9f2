"""What can be translated: each app registers its kinds of text (as apps register media carriers).

A kind says how to find an object the viewer may see (by calling the app's own visibility rule, so "you
can only translate what you can see" has the same owner as seeing), how to load it again in the task,
which texts it has (plain or HTML, with the owner's HTML cleaner), its school and the names in it that
must never be translated. A kind may add details: short plain texts the page shows elsewhere (an event's
place, a help request's tasks), translated in the same engine request and cached in the same row.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

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
    # (object) -> [(role, text)]: plain details after the main texts ("place", "task"), with their labels.
    details: Callable | None = None
    labels: dict = field(default_factory=dict)  # role -> the label shown before a translated detail
    # Whether the page shows the first text as written itself (a post's title beside its text, a notice's
    # title in its list line), so the control shows it only translated; None: when there are several texts.
    heading: bool | None = None

    @property
    def has_heading(self) -> bool:
        return len(self.html) > 1 if self.heading is None else self.heading

    def all_texts(self, obj) -> list[str]:
        """The texts one translation covers: the main ones, then the details (one engine request)."""
        return self.with_roles(obj)[0]

    def with_roles(self, obj) -> tuple[list[str], list[str]]:
        """All texts, and the roles of the details among them (the last ones)."""
        details = [(role, text) for role, text in self.details(obj) if text] if self.details else []
        return [*self.texts(obj), *(text for _role, text in details)], [role for role, _text in details]

    def html_of(self, count: int) -> tuple[bool, ...]:
        """Per text of a translation: HTML or plain (details are plain)."""
        return self.html + (False,) * (count - len(self.html))


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _kinds[kind.name] = kind


def kind_named(name: str) -> Kind:
    """The registered kind; an unknown one answers like a missing object."""
    try:
        return _kinds[name]
    except KeyError:
        raise NotFound() from None


def is_translatable(name: str) -> bool:
    return name in _kinds


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def source_hash(texts: list[str]) -> str:
    """The version of a text: its hash (comments and messages have no edit counter; a hash also notices an
    edit that changed nothing)."""
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()
