from django import forms
from django.utils.translation import gettext_lazy as _

from media.failures import files_per_post, too_many_files_message


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the media pipeline, not by the form."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(_("Choose one or more files."), code="required")
        if len(files) > files_per_post():
            raise forms.ValidationError(too_many_files_message(), code="too_many")
        return list(files)


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Photos, videos or documents"))
