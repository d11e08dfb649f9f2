from django import template

from notifications.queries import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_badge(context) -> int:
    """The unread count for the nav badge: one COUNT query, only on pages that render the menu."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
