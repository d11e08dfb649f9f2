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
