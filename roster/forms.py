from django import forms
from django.utils.translation import gettext_lazy as _

from roster.models import RosterImport
from roster.sources.guardians_csv import FIELDS, REQUIRED


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Kind of export"),
        choices=[
            (RosterImport.Source.EDEXML, _("EDEXML (ParnasSys, ESIS): EDEX.XML")),
            (RosterImport.Source.ONEROSTER, _("OneRoster CSV (a zip file)")),
        ],
        initial=RosterImport.Source.EDEXML,
        widget=forms.RadioSelect,
    )
    roster_file = forms.FileField(label=_("Pupils, classes and teachers"))
    guardian_file = forms.FileField(
        label=_("Parents' contact details (CSV)"),
        required=False,
        help_text=_("EDEXML has no parents: add the CSV export of the parents' contact details."),
    )


class MappingForm(forms.Form):
    """One choice of column per field; only the pupil key and the email are required."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(column, column) for column in header]
        for field, label in FIELDS.items():
            self.fields[field] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=field in REQUIRED,
                initial=initial_mapping.get(field, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {field: column for field, column in self.cleaned_data.items() if column}


# --- The rollover wizard ------------------------------------------------------------------------------

GRADE_CHOICES = [("", _("(unknown)"))] + [(str(n), str(n)) for n in range(1, 9)]
LEAVES = "leaves"


class RolloverSettingsForm(forms.Form):
    first_day = forms.DateField(
        label=_("First day of the new school year"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("On this day the new classes become current for everyone, in one step."),
    )
    months = forms.IntegerField(
        label=_("Months parents still read last year's class"),
        min_value=0,
        max_value=12,
        help_text=_("Last year's timeline and album; after that it is closed to them."),
    )


class GroupNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the class"), max_length=100)


class MergeForm(forms.Form):
    into = forms.ChoiceField(label=_("Merge into"))

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.public_id: group for group in groups}
        self.fields["into"].choices = [(gid, group.name) for gid, group in self.groups.items()]

    def clean_into(self):
        return self.groups[self.cleaned_data["into"]]


class SplitForm(GroupNameForm):
    pupils = forms.MultipleChoiceField(
        label=_("Pupils who go to the new class"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the new class")
        self.fields["pupils"].choices = [(p.pupil.public_id, p.pupil.full_name) for p in placements]


class PlaceForm(forms.Form):
    group = forms.ChoiceField(label=_("Class next year"))
    grade = forms.ChoiceField(label=_("Grade next year"), choices=GRADE_CHOICES, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.public_id: group for group in groups}
        self.fields["group"].choices = [(gid, group.name) for gid, group in self.groups.items()] + [
            (LEAVES, _("Leaves the school"))
        ]

    def clean_group(self):
        return self.groups.get(self.cleaned_data["group"])  # None: leaves

    def clean_grade(self):
        return int(self.cleaned_data["grade"]) if self.cleaned_data["grade"] else None


class TeachersForm(forms.Form):
    teachers = forms.MultipleChoiceField(
        label=_("Teachers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].choices = [(t.public_id, t.full_name or t.email) for t in teachers]
