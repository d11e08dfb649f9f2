"""Page forms: sending a form (its settings and a row per question) and reading a family's answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forms.actions import QuestionDraft
from forms.models import Form, Question

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FormSettingsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Form.Kind.choices, initial=Form.Kind.PERMISSION)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For a permission slip: the activity, e.g. “Excursion to the zoo on 14 May”."),
    )
    description = forms.CharField(
        label=_("Explanation"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Groups"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        to_field_name="public_id",
    )
    per = forms.ChoiceField(label=_("Answered"), choices=Form.Per.choices, initial=Form.Per.CHILD)
    guardians = forms.ChoiceField(
        label=_("Children with two guardians"), choices=Form.Guardians.choices, initial=Form.Guardians.ONE
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous (the school sees only totals, from five families)"), required=False
    )
    required = forms.BooleanField(
        label=_("Answer required (families that have not answered are reminded)"),
        required=False,
        initial=True,
    )
    opens_at = forms.DateTimeField(label=_("Opens at (empty: now)"), required=False, widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)

    def __init__(self, *args, groups, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        if post is not None:  # the post's groups are asked
            del self.fields["groups"]


class QuestionForm(forms.Form):
    """One question; a row without text is left out (so spare rows can stay empty)."""

    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of answer"), choices=Question.Kind.choices, initial=Question.Kind.YES_NO
    )
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for one or several choices."),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def draft(self) -> QuestionDraft | None:
        data = self.cleaned_data
        if not data.get("text", "").strip():
            return None
        return QuestionDraft(
            kind=data["kind"],
            text=data["text"],
            required=data.get("required", False),
            options=(data.get("options") or "").splitlines(),
        )


QuestionFormSet = forms.formset_factory(QuestionForm, extra=0, max_num=30, absolute_max=30)
MAX_ROWS = 30


def raw_answers(questions, data) -> dict:
    """The answers in a submitted page, as the action reads them ({question public id: raw value})."""
    raw = {}
    for question in questions:
        name = f"q-{question.public_id}"
        if question.kind == Question.Kind.YES_NO:
            raw[question.public_id] = {"yes": data.get(name, ""), "reason": data.get(f"{name}-reason", "")}
        elif question.kind == Question.Kind.CHOICES:
            raw[question.public_id] = data.getlist(name)
        elif question.kind == Question.Kind.SIGNATURE:
            raw[question.public_id] = {
                "name": data.get(name, ""),
                "confirmed": data.get(f"{name}-confirmed", ""),
            }
        else:
            raw[question.public_id] = data.get(name, "")
    return raw


def shown_values(questions, stored: dict) -> dict:
    """Stored answers ({question id: value}) as the page's inputs hold them ({public id: raw value})."""
    values = {}
    for question in questions:
        value = stored.get(question.id)
        if value is None:
            continue
        if question.kind == Question.Kind.YES_NO:
            values[question.public_id] = {
                "yes": "true" if value["yes"] else "false",
                "reason": value.get("reason", ""),
            }
        elif question.kind == Question.Kind.CHOICES:
            values[question.public_id] = value["choices"]
        elif question.kind == Question.Kind.SIGNATURE:
            values[question.public_id] = {"name": value["name"], "confirmed": "on"}
        else:
            values[question.public_id] = str(next(iter(value.values())))
    return values
