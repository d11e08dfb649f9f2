from django import template

from consent.queries import pending_pupil_ids

register = template.Library()


@register.inclusion_tag("consent/_home_needs.html", takes_context=True)
def consent_needs(context, children):
    """A card per child whose privacy questions wait for my answer (the children come from the home page)."""
    if not children:
        return {"waiting": []}
    pending = pending_pupil_ids(context["user"])
    return {"waiting": [child for child in children if child.id in pending]}
