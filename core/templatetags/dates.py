from django import template

from core.dates import format_when

register = template.Library()


@register.filter
def when(value, style: str = "day") -> str:
    """A date or datetime in a named style of `core.dates` ("day", "weekday", ...) for the page's language."""
    return format_when(value, style)
