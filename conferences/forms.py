import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from conferences.actions import EveningIn
from core.dates import format_when

ANSWERS = [("can", _("I can")), ("cannot", _("I cannot"))]
EVENINGS = 3


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def moment_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PreferencesForm(forms.Form):
    """The round's time blocks, each "I can" / "I cannot" / unmarked, in one form: quick on a phone."""

    interpreter = forms.CharField(
        label=_("We would like an interpreter for"),
        required=False,
        max_length=60,
        help_text=_("The language, e.g. Arabic. Leave empty if not needed."),
    )
    video_call = forms.BooleanField(label=_("We would rather have a video call"), required=False)

    def __init__(self, *args, blocks, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        self.block_fields = []
        for index, (start, end) in enumerate(blocks):
            name = f"b{index}"
            label = f"{format_when(start, 'short_weekday')} {start:%H:%M}–{end:%H:%M}"
            self.fields[name] = forms.ChoiceField(
                label=label, choices=ANSWERS, required=False, widget=forms.RadioSelect
            )
            self.block_fields.append(name)
        # Keep the extra fields after the blocks, where a thumb ends up.
        self.order_fields([*self.block_fields, "interpreter", "video_call"])

    def block_rows(self):
        return [self[name] for name in self.block_fields]

    def choices(self) -> dict[datetime.datetime, bool]:
        return {
            self.blocks[index][0]: self.cleaned_data[name] == "can"
            for index, name in enumerate(self.block_fields)
            if self.cleaned_data.get(name)
        }


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    groups = forms.MultipleChoiceField(label=_("Groups"), widget=forms.CheckboxSelectMultiple)
    preferences_open_at = forms.DateTimeField(label=_("Preferences open"), widget=moment_input())
    preferences_close_at = forms.DateTimeField(label=_("Preferences close"), widget=moment_input())
    swaps_close_at = forms.DateTimeField(label=_("Swaps close"), widget=moment_input())
    slot_minutes = forms.IntegerField(label=_("Talk length (minutes)"), initial=10, min_value=5, max_value=60)
    buffer_minutes = forms.IntegerField(
        label=_("Walking time between siblings' talks (minutes)"), initial=5, min_value=0, max_value=30
    )
    break_after_minutes = forms.IntegerField(
        label=_("A teacher's break after (minutes of talks)"), initial=60, min_value=0, max_value=240
    )
    break_minutes = forms.IntegerField(
        label=_("Break length (minutes)"), initial=10, min_value=0, max_value=60
    )
    duo_together = forms.BooleanField(
        label=_("Duo teachers hold talks together"), required=False, initial=True
    )
    apart_separately = forms.BooleanField(label=_("Separated parents get one talk each"), required=False)
    default_room = forms.CharField(
        label=_("Room (empty: each group's classroom)"), max_length=60, required=False
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_objects = {g.public_id: g for g in groups}
        self.fields["groups"].choices = [(g.public_id, g.name) for g in groups]
        for i in range(1, EVENINGS + 1):
            self.fields[f"evening{i}_date"] = forms.DateField(
                label=_("Evening %(n)s: date") % {"n": i}, required=i == 1, widget=date_input()
            )
            self.fields[f"evening{i}_starts"] = forms.TimeField(
                label=_("from"), required=i == 1, widget=time_input()
            )
            self.fields[f"evening{i}_ends"] = forms.TimeField(
                label=_("until"), required=i == 1, widget=time_input()
            )

    def evening_rows(self):
        return [
            (self[f"evening{i}_date"], self[f"evening{i}_starts"], self[f"evening{i}_ends"])
            for i in range(1, EVENINGS + 1)
        ]

    def clean(self):
        data = super().clean()
        for i in range(1, EVENINGS + 1):
            parts = [data.get(f"evening{i}_{part}") for part in ("date", "starts", "ends")]
            if any(parts) and not all(parts):
                raise forms.ValidationError(_("Give each evening a date, a start and an end time."))
        return data

    def action_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        evenings = []
        for i in range(1, EVENINGS + 1):
            parts = [data.pop(f"evening{i}_{part}") for part in ("date", "starts", "ends")]
            if all(parts):
                evenings.append(EveningIn(*parts))
        if "groups" in data:
            data["groups"] = [self.group_objects[pid] for pid in data["groups"]]
        data["evenings"] = evenings
        return data


class FlagForm(forms.Form):
    pupil = forms.CharField(max_length=16)
    priority = forms.BooleanField(label=_("Needs a talk"), required=False)
    long_talk = forms.BooleanField(label=_("Longer talk"), required=False)
    excluded = forms.BooleanField(label=_("No talk"), required=False)
    parents_apart = forms.BooleanField(label=_("Parents live apart"), required=False)


class MoveForm(forms.Form):
    starts_at = forms.DateTimeField()


class SwapForm(forms.Form):
    other = forms.CharField(max_length=16)


class SwapAnswerForm(forms.Form):
    accept = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes")


class TeacherTimesForm(forms.Form):
    """Per evening: from–until (the whole evening by default), or "not there"."""

    def __init__(self, *args, evenings, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.evenings = evenings
        for i, evening in enumerate(evenings):
            mine = current.get(evening.pk)
            absent = bool(current) and mine is None
            self.fields[f"e{i}_starts"] = forms.TimeField(
                label=_("from"), required=False, widget=time_input(), initial=(mine or evening).starts
            )
            self.fields[f"e{i}_ends"] = forms.TimeField(
                label=_("until"), required=False, widget=time_input(), initial=(mine or evening).ends
            )
            self.fields[f"e{i}_absent"] = forms.BooleanField(
                label=_("Not there this evening"), required=False, initial=absent
            )

    def rows(self):
        return [
            (evening, self[f"e{i}_starts"], self[f"e{i}_ends"], self[f"e{i}_absent"])
            for i, evening in enumerate(self.evenings)
        ]

    def times(self):
        from conferences.actions import TimeIn

        data = self.cleaned_data
        return [
            TimeIn(evening, data[f"e{i}_starts"], data[f"e{i}_ends"], data[f"e{i}_absent"])
            for i, evening in enumerate(self.evenings)
        ]


class GroupSettingsForm(forms.Form):
    slot_minutes = forms.IntegerField(
        label=_("Talk length for this group (minutes)"), required=False, min_value=5, max_value=60
    )
    room = forms.CharField(label=_("Room"), max_length=60, required=False)
