from django import template

from conferences.queries import rounds_to_answer

register = template.Library()


@register.inclusion_tag("conferences/_home_needs.html", takes_context=True)
def conferences_needs(context, children):
    """Talks whose times wait for my preferences; staff plan rounds, they do not answer them."""
    return {"rounds": rounds_to_answer(context["user"]) if children else []}
