from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.models import KINDS, Settings


class SettingsForm(forms.Form):
    quiet_from = forms.TimeField(label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_until = forms.TimeField(label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}))
    # Radios, not a select: a select cuts "weekly (the school's newsletter)" off on a small phone.
    digest = forms.ChoiceField(
        label=_("Newsletter digest"), choices=Settings.Digest.choices, widget=forms.RadioSelect
    )
    push_names = forms.BooleanField(
        label=_("Show names and post titles in push notifications (who wrote, which child, what about)"),
        required=False,
    )


def preference_field_names(kind: str) -> dict[str, str]:
    slug = kind.replace(".", "_")
    return {channel: f"{slug}__{channel}" for channel in ("push", "email", "digest")}


class PreferencesForm(SettingsForm):
    """Quiet hours, digest and, per kind of event, the three channels (for all groups)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"push": _("Push"), "email": pgettext_lazy("channel", "Email"), "digest": _("Digest")}
        for kind in KINDS:
            for channel, name in preference_field_names(kind).items():
                self.fields[name] = forms.BooleanField(label=labels[channel], required=False)

    def rows(self):
        for kind, label in KINDS.items():
            yield label, [self[name] for name in preference_field_names(kind).values()]
