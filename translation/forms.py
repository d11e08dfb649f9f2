from django import forms
from django.utils.translation import gettext_lazy as _

from translation.models import Engine


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("I read best in"), required=False)
    always = forms.BooleanField(label=_("Always translate into my language"), required=False)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Do not translate")), *languages]


class EngineForm(forms.Form):
    engine = forms.ChoiceField(label=_("Translation engine"))

    def __init__(self, *args, configured, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engine"].choices = [
            (value, label) for value, label in Engine.choices if value in ("off", *configured)
        ]


class GlossaryForm(forms.Form):
    term = forms.CharField(label=_("Our word"), max_length=80)
    language = forms.ChoiceField(label=_("Language"))
    translation = forms.CharField(label=_("Fixed translation"), max_length=160)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages
