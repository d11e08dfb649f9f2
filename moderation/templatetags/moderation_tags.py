"""Template helpers for the report links, screening flags and mute buttons other apps' pages include."""

from django import template

from moderation import hooks
from moderation.models import Category

register = template.Library()


@register.simple_tag
def flags_for(items) -> dict:
    """Item id → flagged categories, in one query for the whole list."""
    return hooks.flagged_ids(items)


@register.filter
def flag_of(flags: dict, item) -> str:
    """The flagged categories of one item, translated and joined; empty when it is not flagged."""
    return category_labels(", ".join(flags.get(item.pk, [])))


@register.filter
def category_labels(codes: str) -> str:
    """ "swearing, threats" in the reader's language."""
    labels = dict(Category.choices)
    return ", ".join(str(labels.get(code.strip(), code)) for code in codes.split(",") if code.strip())


@register.simple_tag
def is_muted(user, item) -> bool:
    return hooks.is_muted(user, item)


@register.simple_tag
def screened_as(item) -> str:
    """The rules screening held this item for, translated; one query, asked only for a held item."""
    return category_labels(", ".join(hooks.flagged_ids([item]).get(item.pk, [])))
