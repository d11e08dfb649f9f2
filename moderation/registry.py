"""What can be reported: each model registers how to find, describe, hide and remove its items.

Like media.carriers: the app that owns a model registers it (a photo now; posts, comments and messages
from their apps), and moderation never imports their internals.

    register_reportable(MediaFile, kind="photo", visible_to=..., moderators_of=..., hide=..., unhide=...,
                        remove=..., describe=...)

visible_to(viewer) -> QuerySet      the items the viewer may see (and so report); others are 404
moderators_of(item) -> QuerySet     the users who handle reports about it (the group's teachers, the director)
hide(item) / unhide(item)           set or clear the item's hidden_at (hidden for everyone but staff)
remove(item, acting_user)           delete the item for good
describe(item) -> Description       the school and class it belongs to, a privacy-safe label and its url
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
class Reportable:
    kind: str
    model: type[models.Model]
    visible_to: Callable[..., QuerySet]
    moderators_of: Callable[..., QuerySet]
    hide: Callable[..., None]
    unhide: Callable[..., None]
    remove: Callable[..., None]
    describe: Callable[..., Description]


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


def moderators_of_place(description: Description) -> QuerySet:
    """The class's teachers and the school's director(s)."""
    from django.db.models import Q

    from accounts.models import User
    from schools.models import StaffRole

    staff = Q(staff_roles__school=description.school, staff_roles__role=StaffRole.Role.DIRECTOR)
    if description.group is not None:
        staff |= Q(teaching__group=description.group)
    return User.objects.filter(staff, is_active=True).distinct()


def register_default_reportables() -> None:
    """A photo (any media file) among a group's files."""
    from django.urls import reverse

    from media.actions import do_delete_media
    from media.models import MediaFile
    from media.queries import visible_media
    from schools.models import Group

    def describe_media(media: MediaFile) -> Description:
        carrier = media.carrier
        if isinstance(carrier, Group):
            group = None if carrier.is_school_wide else carrier
            url = reverse("media:group_files", args=[carrier.public_id])
            return Description(school=media.school, group=group, label=carrier.name, url=url)
        described = reportable_for(carrier)
        if described is not None:
            return described.describe(carrier)
        return Description(school=media.school, group=None, label=media.school.name)

    register_reportable(
        MediaFile,
        kind="photo",
        visible_to=visible_media,
        remove=lambda media, acting_user: do_delete_media(acting_user=acting_user, media=media),
        describe=describe_media,
    )
