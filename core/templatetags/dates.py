from django import template

from core.dates import format_clock, format_when

register = template.Library()


@register.filter
def when(value, style: str = "day") -> str:
    """A date or datetime in a named style of `core.dates` ("day", "weekday", ...) for the page's language."""
    return format_when(value, style)


@register.filter
def clock(seconds) -> str:
    """A length in seconds as a clock shows it ("0:42", "1:02:09"), see `core.dates.format_clock`."""
    return format_clock(seconds)
