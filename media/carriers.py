"""What carries media decides who sees it: a group's files now, posts and messages later.

Each carrier model registers two viewer-scoped querysets: the carriers the viewer may see, and the
carriers the viewer may manage (remove files from). Media visibility is built from these in one query.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Carrier:
    model: type[models.Model]
    visible_to: Callable[..., QuerySet]
    managed_by: Callable[..., QuerySet]
    # settled(carrier_id): one of its files became ready or failed (committed); a post waiting for its files
    # publishes at once instead of at its next look.
    settled: Callable[[int], None] | None = None


_carriers: dict[type[models.Model], Carrier] = {}


def register_carrier(
    model: type[models.Model],
    visible_to: Callable[..., QuerySet],
    managed_by: Callable[..., QuerySet] | None = None,
    settled: Callable[[int], None] | None = None,
) -> None:
    """Make `model` a carrier; without `managed_by` only the uploader may remove its files."""
    nobody = lambda viewer: model.objects.none()  # noqa: E731 - a default as small as its name
    _carriers[model] = Carrier(model, visible_to, managed_by or nobody, settled)


def registered_carriers() -> list[Carrier]:
    return list(_carriers.values())


def carrier_for_type(content_type_id: int) -> Carrier | None:
    """The registered carrier for a file's carrier_type (the content type cache makes this query-free)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return _carriers.get(model)


def carrier_for_model(model: type[models.Model]) -> Carrier | None:
    return _carriers.get(model)


def is_carrier(obj) -> bool:
    return type(obj) in _carriers


def carried_by(viewer, *, manage: bool = False) -> Q:
    """A filter on MediaFile: carried by something the viewer may see (or, with manage, manage)."""
    condition = Q(pk__in=[])
    for carrier in _carriers.values():
        carriers = carrier.managed_by(viewer) if manage else carrier.visible_to(viewer)
        # get_for_model is cached after the first call, so this adds no query per request.
        content_type = ContentType.objects.get_for_model(carrier.model)
        condition |= Q(carrier_type=content_type, carrier_id__in=carriers.values("id"))
    return condition


def register_default_carriers() -> None:
    """The group itself carries files ("Bestanden"): its members see them, its staff manage them."""
    from schools.models import Group
    from schools.queries import groups_staffed_by, groups_visible_to

    register_carrier(Group, visible_to=groups_visible_to, managed_by=groups_staffed_by)
