from django import template

from forms.queries import open_forms_for

register = template.Library()


@register.inclusion_tag("forms/_home.html", takes_context=True)
def forms_home(context):
    """The home page's open forms, those still to answer first (a parent's to-do list)."""
    return {"open_forms": open_forms_for(context["user"])}


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
