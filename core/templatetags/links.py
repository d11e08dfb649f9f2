from django import template

from core.links import link_html, link_text, phone_link

register = template.Library()


@register.filter(is_safe=True)
def linked(value, kind: str = "text"):
    """Addresses in user text as safe links (`core.links`); "html" for sanitized HTML."""
    return link_html(value) if kind == "html" else link_text(value)


@register.filter(name="phone_link", is_safe=True)
def phone_link_filter(value):
    """A phone number field as a tel: link with the number normalised (`core.links.tel_address`)."""
    return phone_link(value)
