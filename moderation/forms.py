"""Forms only parse input; lengths and choices are checked by the actions, so both faces say the same."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Category, Report

RESOLVE_CHOICES = [
    (Report.Outcome.REMOVED.value, _("Remove the item")),
    (Report.Outcome.RESTORED.value, _("Show it again: nothing wrong")),
    (Report.Outcome.DISMISSED.value, _("Dismiss the report")),
]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=[choice for choice in Report.Reason.choices if choice[0] != Report.Reason.SCREENING],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Explain briefly (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=RESOLVE_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the person who reported it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RulesForm(forms.Form):
    text_nl = forms.CharField(label=_("Rules in Dutch"), widget=forms.Textarea(attrs={"rows": 16}))
    text_en = forms.CharField(
        label=_("Rules in English"), required=False, widget=forms.Textarea(attrs={"rows": 16})
    )
    ask_again = forms.BooleanField(
        label=_("Ask everyone to accept the rules again"),
        required=False,
        initial=True,
        help_text=_("Leave this off for a small correction."),
    )


class TermForm(forms.Form):
    term = forms.CharField(label=_("Word or phrase"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)


class SuspendForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the parent"))
    reason = forms.CharField(
        label=_("Reason (for the audit log)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("Your finding or tip"), widget=forms.Textarea(attrs={"rows": 6}))


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("Who"), required=False)
    what = forms.ChoiceField(label=_("What"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", _("Everything"))] + [(action, action) for action in actions]
