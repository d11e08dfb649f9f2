"""The ready-made evaluation of the platform: the System Usability Scale plus the policies' own questions.

SUS (Brooke, 1986): ten statements answered 1 (strongly disagree) to 5 (strongly agree); odd statements are
positive, even ones negative. The texts are the usual Dutch adaptation's meaning, naming the platform.
"""

from django.utils.translation import gettext_noop

SUS_STATEMENTS = [
    gettext_noop("I think that I would like to use Schoolplein frequently."),
    gettext_noop("I found Schoolplein unnecessarily complex."),
    gettext_noop("I thought Schoolplein was easy to use."),
    gettext_noop(
        "I think that I would need the support of a technical person to be able to use Schoolplein."
    ),
    gettext_noop("I found the various functions in Schoolplein were well integrated."),
    gettext_noop("I thought there was too much inconsistency in Schoolplein."),
    gettext_noop("I would imagine that most people would learn to use Schoolplein very quickly."),
    gettext_noop("I found Schoolplein very cumbersome to use."),
    gettext_noop("I felt very confident using Schoolplein."),
    gettext_noop("I needed to learn a lot of things before I could get going with Schoolplein."),
]

NEWS_CHANNELS = [
    gettext_noop("A notification on my phone"),
    gettext_noop("An email"),
    gettext_noop("A weekly summary"),
    gettext_noop("On paper"),
]

TITLE = gettext_noop("How do you find Schoolplein?")
DESCRIPTION = gettext_noop(
    "We promised to evaluate Schoolplein with you. This questionnaire is anonymous: the school sees only "
    "the totals, and only once at least five families have answered. 1 means strongly disagree, 5 strongly "
    "agree."
)


def questions() -> list[dict]:
    """The evaluation's questions as drafts (texts translated into the active language at sending)."""
    from django.utils.translation import gettext as _

    drafts = [
        {"kind": "scale", "text": _(text), "required": True, "sus_item": number}
        for number, text in enumerate(SUS_STATEMENTS, start=1)
    ]
    drafts += [
        {
            "kind": "scale",
            "text": _("Do you get the information you need from the school?"),
            "required": True,
        },
        {
            "kind": "scale",
            "text": _("Is the tone of the messages positive and constructive?"),
            "required": True,
        },
        {
            "kind": "choices",
            "text": _("How do you prefer to receive news from the school?"),
            "required": False,
            "options": [_(option) for option in NEWS_CHANNELS],
        },
        {
            "kind": "text",
            "text": _("Your tips for the school (they reach the director with the other feedback)"),
            "required": False,
            "to_feedback": True,
        },
    ]
    return drafts
