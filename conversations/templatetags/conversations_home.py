from django import template

from conversations.queries import unread_count

register = template.Library()


@register.inclusion_tag("conversations/_home_needs.html", takes_context=True)
def conversations_needs(context):
    """A card when conversations have news for me: one COUNT."""
    return {"unread": unread_count(context["user"])}
