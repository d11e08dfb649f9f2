from django import forms
from django.utils.translation import gettext_lazy as _

from absences.actions import PLANNED_KINDS
from absences.models import Absence, AbsencePolicy, LeaveRequest, SchoolClosure


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ChildForm(forms.Form):
    """A form about one of the viewer's children, chosen by public id."""

    child = forms.ChoiceField(label=_("Child"))
    # The child comes first, whatever other fields a form adds: a parent starts with whom it is about.
    field_order = ["child"]

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.public_id: child for child in children}
        self.fields["child"].choices = [(c.public_id, c.first_name) for c in children]
        if len(children) == 1:
            self.fields["child"].initial = children[0].public_id

    def clean_child(self):
        return self.children[self.cleaned_data["child"]]


class PlannedFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k, v) for k, v in Absence.Kind.choices if k in PLANNED_KINDS]
    )
    day = forms.DateField(label=_("Date"), widget=date_input())
    from_time = forms.TimeField(label=_("From"), required=False, widget=time_input())
    until_time = forms.TimeField(
        label=_("Until"),
        required=False,
        widget=time_input(),
        help_text=_("Leave both times empty for the whole day."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class AbsenceForm(ChildForm, PlannedFields):
    """Report a planned absence."""


class ChangeAbsenceForm(PlannedFields):
    """Change a planned absence (the child stays the same)."""


class SickForm(ChildForm):
    day = forms.DateField(label=_("Date"), required=False, widget=date_input(), help_text=_("Empty: today."))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class LeaveForm(ChildForm):
    # Two long choices: a list box cut the chosen one off on a phone and hid the other behind a tap.
    kind = forms.ChoiceField(
        label=_("Kind of leave"), choices=LeaveRequest.Kind.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(label=_("First day"), widget=date_input())
    ends_on = forms.DateField(label=_("Last day"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AbsencePolicy
        fields = [
            "lead_school_days",
            "cutoff_hour",
            "sick_reports",
            "sick_cutoff",
            "holiday_leave_days_ahead",
        ]
        widgets = {"sick_cutoff": time_input()}
        help_texts = {
            "lead_school_days": _("A planned absence must be reported this many school days ahead."),
            "cutoff_hour": _("…before this hour (0–24) on that day."),
            "holiday_leave_days_ahead": _("Holiday leave must be asked at least this many days ahead."),
        }


class ClosureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SchoolClosure.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_('For example "Kerstvakantie".'))
    starts_on = forms.DateField(label=_("First day"), widget=date_input())
    ends_on = forms.DateField(label=_("Last day"), widget=date_input())


class ExportForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=date_input())
    last = forms.DateField(label=_("Until"), widget=date_input())

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and (last < first or (last - first).days > 366):
            raise forms.ValidationError(_("Choose a period of at most a year, the first day first."))
        return cleaned


class SickCallForm(forms.Form):
    pupil = forms.ChoiceField(label=_("Pupil"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [
            (p.public_id, f"{p.full_name} · {p.group_name}" if p.group_name else p.full_name) for p in pupils
        ]
