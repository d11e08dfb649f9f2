"""The menu's timeline links: the approvals queue, with its count, for those who approve."""

from django import template

from core.viewer import is_two_factor_verified
from posts.queries import posts_to_approve

register = template.Library()


@register.simple_tag(takes_context=True)
def approvals_waiting(context) -> int:
    """How many posts wait for the viewer's approval (posts_to_approve); 0 without a query for anyone
    without staff powers in this session (parents, unverified staff). Counted once per request."""
    request = context.get("request")
    user = context.get("user")
    if user is None or not user.is_authenticated or not is_two_factor_verified(user):
        return 0
    if request is not None and hasattr(request, "_approvals_waiting"):
        return request._approvals_waiting
    count = posts_to_approve(user).count()
    if request is not None:
        request._approvals_waiting = count
    return count
