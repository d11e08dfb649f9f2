from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from media.forms import MultipleFileField
from posts.actions import MAX_PEOPLE, RSVP_NOTE_MAX, Draft
from posts.models import Post, Rsvp, SchoolTimelineSettings


class OptionalFiles(MultipleFileField):
    def clean(self, data, initial=None):
        if not data:
            return []
        return super().clean(data, initial)


def parse_tasks(text: str) -> list[tuple[str, int]]:
    """One task per line: "Drivers for the excursion: 4" (the number of places after the last colon)."""
    tasks = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _colon, places = line.rpartition(":")
        try:
            count = int(places.strip())
        except ValueError:
            raise forms.ValidationError(
                _("Write each task as “task: number of places”, one per line."), code="tasks"
            ) from None
        tasks.append((name.strip(), count))
    return tasks


PHOTOS = "photos"
# Which kinds (as chosen in the form) each field belongs to; a field not named here belongs to all.
FIELD_KINDS = {
    "files": ("announcement", PHOTOS),
    "starts_at": ("event",),
    "ends_at": ("event",),
    "location": ("event",),
    "respond_by": ("event", "help"),
    "tasks": ("help",),
}

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PostForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Groups"), widget=forms.CheckboxSelectMultiple, required=False
    )
    # "Photos" is an announcement whose form leads with the files; the kinds' own fields show per choice.
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Post.Kind.ANNOUNCEMENT, _("Announcement")),
            (PHOTOS, _("Photos")),
            (Post.Kind.EVENT, _("Event")),
            (Post.Kind.HELP, _("Help request")),
        ],
        initial=Post.Kind.ANNOUNCEMENT,
        widget=forms.RadioSelect(attrs={"class": "kind-choice"}),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Simple formatting is kept: <b>bold</b>, <i>italic</i>, lists and links."),
    )
    files = OptionalFiles(label=_("Photos, videos or documents"), required=False)
    publish_at = forms.DateTimeField(label=_("Publish later at"), required=False, widget=DATETIME)
    starts_at = forms.DateTimeField(label=_("Starts at"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=DATETIME)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    respond_by = forms.DateTimeField(label=_("Answer before"), required=False, widget=DATETIME)
    tasks = forms.CharField(
        label=_("Tasks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line with the number of places, e.g. “Drivers for the excursion: 4”."),
    )
    urgent = forms.BooleanField(label=_("Urgent (for example: the school is closed today)"), required=False)

    def __init__(self, *args, groups=None, can_urgent: bool = False, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("groups", "kind", "urgent", "publish_at"):
                del self.fields[name]
        else:
            self.fields["groups"].queryset = groups
            if not can_urgent:
                del self.fields["urgent"]

    @property
    def field_kinds(self) -> list[tuple[str, str]]:
        """Per field of some kinds only: classes naming them (the stylesheet hides it for the others)."""
        return [(name, " ".join(f"for-{kind}" for kind in kinds)) for name, kinds in FIELD_KINDS.items()]

    def clean_tasks(self):
        return parse_tasks(self.cleaned_data["tasks"])

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when is not None and when < timezone.now():
            return None
        return when

    def draft(self, *, kind: str | None = None) -> Draft:
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            body=data["body"],
            kind=kind or (Post.Kind.ANNOUNCEMENT if data["kind"] == PHOTOS else data["kind"]),
            publish_at=data.get("publish_at"),
            urgent=data.get("urgent", False),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            respond_by=data["respond_by"],
            tasks=data["tasks"],
        )

    @staticmethod
    def initial_of(post: Post) -> dict:
        tasks = "\n".join(f"{task.name}: {task.places}" for task in post.tasks.all())
        fields = ("title", "body", "starts_at", "ends_at", "location", "respond_by")
        initial = {name: getattr(post, name) for name in fields}
        for name in ("starts_at", "ends_at", "respond_by"):
            if initial[name]:
                initial[name] = timezone.localtime(initial[name])
        return initial | {"tasks": tasks}


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Are you coming?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )
    people = forms.IntegerField(label=_("Number of people"), min_value=0, max_value=MAX_PEOPLE, initial=1)
    # No max_length here: check_rsvp gives the one clear message (web and API); the browser stops at it.
    note = forms.CharField(
        label=_("Note for the teacher (optional)"),
        help_text=_("For example: we come 10 minutes later. Other parents do not see it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": RSVP_NOTE_MAX}),
    )


class TimelineSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolTimelineSettings
        fields = ["class_parent_posts_need_approval", "photo_download_allowed"]
