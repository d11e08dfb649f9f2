from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("For example: at the parent's request of 3 December, agreed by the director."),
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone"))


class StaffExportForm(forms.Form):
    guardian = forms.CharField(label=_("Parent"), max_length=16, required=False)
    pupil = forms.CharField(label=_("Pupil"), max_length=16, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("guardian")) == bool(data.get("pupil")):
            raise forms.ValidationError(_("Choose either a parent or a pupil."))
        return data
