from django import template

from core.links import link_html, link_text

register = template.Library()


@register.filter(is_safe=True)
def linked(value, kind: str = "text"):
    """Addresses in user text as safe links (`core.links`); "html" for sanitized HTML."""
    return link_html(value) if kind == "html" else link_text(value)
