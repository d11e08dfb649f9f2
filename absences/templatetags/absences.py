from django import template

from absences.kinds import label_of
from absences.queries import active_absences, get_overview, is_absence_staff
from core.clock import school_today
from schools.queries import children_of

register = template.Library()


@register.inclusion_tag("absences/_home.html", takes_context=True)
def absences_home(context):
    """The home page's absence block: a report button for parents, today's absences for staff."""
    user = context["user"]
    return {
        "block": {
            "children": children_of(user).exists(),
            "overview": get_overview(user) if is_absence_staff(user) else None,
            "today": school_today(),
        }
    }


@register.inclusion_tag("absences/_home_needs.html", takes_context=True)
def absences_needs(context, children):
    """My children's absences reported for today, so a parent sees at a glance that the school knows."""
    if not children:
        return {"absences": []}
    today = school_today()
    return {"absences": list(active_absences(children_of(context["user"]), today, today))}


@register.filter
def kind_label(absence) -> str:
    """The absence's kind as its school names it, in the reader's language."""
    return label_of(absence)
