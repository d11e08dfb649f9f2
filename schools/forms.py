from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import Guardianship, StaffRole


class PersonForm(forms.Form):
    """Email and names of a person to add; an existing account is found by its email."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=120)


class GuardianForm(PersonForm):
    relation = forms.ChoiceField(label=_("Relation"), choices=Guardianship.Relation.choices)
    send_invitation = forms.BooleanField(
        label=_("Send the invitation now"),
        required=False,
        initial=True,
        help_text=_("Not needed for someone who already uses Schoolplein."),
    )


class StaffForm(PersonForm):
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)

    def __init__(self, *args, may_add_director: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_add_director:
            self.fields["role"].choices = [
                (value, label) for value, label in StaffRole.Role.choices if value != StaffRole.Role.DIRECTOR
            ]


def class_choices(classes) -> list[tuple[str, str]]:
    return [(group.public_id, group.name) for group in classes]


class PupilForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=120)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    group = forms.ChoiceField(label=_("Class"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.classes = {group.public_id: group for group in classes}
        self.fields["group"].choices = class_choices(classes)

    def clean_group(self):
        return self.classes[self.cleaned_data["group"]]


class ClassForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the class"), max_length=100, help_text=_('For example "Groep 5/6".')
    )


class PersonChoiceForm(forms.Form):
    """Pick one person from a given set by public id (a teacher, or a parent of the class)."""

    person = forms.ModelChoiceField(queryset=None, to_field_name="public_id", label=_("Person"))

    def __init__(self, *args, people, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label = label
