from functools import cache

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from absences.kinds import PLANNED_KINDS, KindWording, planned_choices
from absences.models import KIND_NAME_MAX, Absence, AbsencePolicy, LeaveRequest, SchoolClosure


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


class KindField(forms.ChoiceField):
    """A planned kind, named as the school words it; whether the school offers it is the action's to say.

    The choices are read when the form is shown, not when a post is checked: no query for that.
    """

    def valid_value(self, value) -> bool:
        return value in PLANNED_KINDS


class PlannedFields(forms.Form):
    kind = KindField(label=_("Kind"))
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

    def __init__(self, *args, school_ids: set[int], keep: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = cache(lambda: planned_choices(school_ids, keep=keep))


class AbsenceForm(ChildForm, PlannedFields):
    """Report a planned absence: the kinds the children's schools offer."""

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, children=children, school_ids={c.school_id for c in children}, **kwargs)


class ChangeAbsenceForm(PlannedFields):
    """Change a planned absence (the child stays the same, and so may the kind the school switched off)."""

    def __init__(self, *args, absence: Absence, **kwargs):
        super().__init__(*args, school_ids={absence.school_id}, keep=absence.kind, **kwargs)


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


class KindsForm(forms.Form):
    """The school's names for the kinds of absence, Dutch and English; planned kinds can be switched off."""

    def __init__(self, *args, wording: list[KindWording], **kwargs):
        super().__init__(*args, **kwargs)
        self.wording = wording
        for w in wording:
            with translation.override("nl"):
                dutch = str(Absence.Kind(w.kind).label)
            with translation.override("en"):
                english = str(Absence.Kind(w.kind).label)
            self.fields[f"{w.kind}_nl"] = forms.CharField(
                label=_("In Dutch"),
                required=False,
                max_length=KIND_NAME_MAX,
                initial=w.name_nl,
                widget=forms.TextInput(attrs={"placeholder": dutch}),
            )
            self.fields[f"{w.kind}_en"] = forms.CharField(
                label=_("In English"),
                required=False,
                max_length=KIND_NAME_MAX,
                initial=w.name_en,
                widget=forms.TextInput(attrs={"placeholder": w.name_nl or english}),
            )
            if not w.always_offered:
                self.fields[f"{w.kind}_offered"] = forms.BooleanField(
                    label=_("Parents can choose it"), required=False, initial=w.offered
                )

    def rows(self):
        """Per kind: its wording and its fields, for the page to lay out as one group each."""
        for w in self.wording:
            offered = self[f"{w.kind}_offered"] if f"{w.kind}_offered" in self.fields else None
            yield w, self[f"{w.kind}_nl"], self[f"{w.kind}_en"], offered

    def kinds(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "kind": w.kind,
                "name_nl": data[f"{w.kind}_nl"],
                "name_en": data[f"{w.kind}_en"],
                "offered": data.get(f"{w.kind}_offered", True),
            }
            for w in self.wording
        ]


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
