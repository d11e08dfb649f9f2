"""What can be reported: each model registers how to find, describe, hide and remove its items.

Like media.carriers: the app that owns a model registers it from its AppConfig.ready (media a photo in
`media/reportables.py`, posts its posts and comments in `posts/reportables.py`, conversations its messages in
`conversations/reportables.py`), and this module imports none of them.

    register_reportable(MediaFile, kind="photo", visible_to=..., moderators_of=..., hide=..., unhide=...,
                        remove=..., describe=...)

visible_to(viewer) -> QuerySet      the items the viewer may see (and so report); others are 404
moderators_of(item) -> QuerySet     the users who handle reports about it (the group's teachers, the director)
hide(item) / unhide(item)           set or clear the item's hidden_at (hidden for everyone but staff)
remove(item, acting_user)           delete the item for good
describe(item) -> Description       the school and class it belongs to, a privacy-safe label and its url
preview(item) -> Preview            what the moderators see of it on the report: its author, text, picture
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet


@dataclass(frozen=True)
class Description:
    school: models.Model
    group: models.Model | None  # a class; None for school-wide items (the director handles them)
    label: str  # where it is, privacy-safe: never the text itself ("Groep 3")
    url: str = ""


@dataclass(frozen=True)
class Preview:
    """The reported item as its moderators see it on the report (never in a notification or email)."""

    author: str
    text: str = ""
    image_url: str = ""


@dataclass(frozen=True)
class Reportable:
    kind: str
    model: type[models.Model]
    visible_to: Callable[..., QuerySet]
    moderators_of: Callable[..., QuerySet]
    hide: Callable[..., None]
    unhide: Callable[..., None]
    remove: Callable[..., None]
    describe: Callable[..., Description]
    preview: Callable[..., Preview] | None = None


_by_kind: dict[str, Reportable] = {}


def register_reportable(
    model: type[models.Model],
    *,
    kind: str,
    visible_to: Callable[..., QuerySet],
    moderators_of: Callable[..., QuerySet] | None = None,
    hide: Callable[..., None] | None = None,
    unhide: Callable[..., None] | None = None,
    remove: Callable[..., None],
    describe: Callable[..., Description],
    preview: Callable[..., Preview] | None = None,
) -> None:
    """Make `model` reportable under the name `kind`; hide/unhide default to its hidden_at field."""
    _by_kind[kind] = Reportable(
        kind=kind,
        model=model,
        visible_to=visible_to,
        moderators_of=moderators_of or (lambda item: moderators_of_place(describe(item))),
        hide=hide or set_hidden_at,
        unhide=unhide or clear_hidden_at,
        remove=remove,
        describe=describe,
        preview=preview,
    )


def reportable(kind: str) -> Reportable | None:
    return _by_kind.get(kind)


def reportable_for(item) -> Reportable | None:
    return next((entry for entry in _by_kind.values() if isinstance(item, entry.model)), None)


def registered_kinds() -> list[str]:
    return sorted(_by_kind)


def set_hidden_at(item) -> None:
    from django.utils import timezone

    type(item).objects.filter(pk=item.pk).update(hidden_at=timezone.now())


def clear_hidden_at(item) -> None:
    type(item).objects.filter(pk=item.pk).update(hidden_at=None)


def moderators_of_place(description: Description, *, groups=()) -> QuerySet:
    """The class's teachers (and those of any further classes) and the school's director(s)."""
    from django.db.models import Q

    from accounts.models import User
    from schools.models import StaffRole

    staff = Q(staff_roles__school=description.school, staff_roles__role=StaffRole.Role.DIRECTOR)
    classes = [group for group in [description.group, *groups] if group is not None]
    if classes:
        staff |= Q(teaching__group__in=classes)
    return User.objects.filter(staff, is_active=True).distinct()


def author_name(user) -> str:
    from django.utils.translation import gettext

    return user.full_name or user.email if user is not None else gettext("former parent")
