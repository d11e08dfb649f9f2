from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from conversations.models import MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH
from media.forms import MultipleFileField


class OptionalFilesField(MultipleFileField):
    def clean(self, data, initial=None):
        return super().clean(data, initial) if data else []


class MessageForm(forms.Form):
    """Text and files; the length and emptiness rules are the action's, so the API gets the same answers."""

    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    files = OptionalFilesField(label=_("Photos or documents"), required=False)


class StartForm(MessageForm):
    subject = forms.CharField(
        label=_("Subject"), required=False, widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH})
    )
    field_order = ["subject", "body", "files"]


class GuardiansField(forms.MultipleChoiceField):
    """Any ids pass the form; access_guardians answers 404 for one that is not the pupil's guardian."""

    def valid_value(self, value) -> bool:
        return True


class StaffStartForm(StartForm):
    guardians = GuardiansField(label=_("To"), widget=forms.CheckboxSelectMultiple, required=False)
    field_order = ["guardians", "subject", "body", "files"]

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardians"].choices = [(g.public_id, g.full_name or g.email) for g in guardians]
        self.fields["guardians"].initial = [g.public_id for g in guardians]


TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AvailabilityForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=[(day + 1, name) for day, name in WEEKDAYS.items()],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts_at = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class SchoolMessagingForm(forms.Form):
    reply_days = forms.IntegerField(label=_("Reply within (working days)"), min_value=1, max_value=20)
    phone = forms.CharField(label=_("Phone number for urgent matters"), max_length=30, required=False)
