"""Forms: permission slips, quick polls and questionnaires, their questions and the families' answers.

Anonymous questionnaires keep two unrelated tables: `Participation` (this family answered; for reminders
and the threshold) and the `Response` rows without a family, pupil, account or time. Both have random
primary keys and no timestamps, so neither the ids nor the clock can put them side by side again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField

# The fewest families that must have answered an anonymous questionnaire before anyone sees results.
ANONYMOUS_THRESHOLD = 5


class Form(models.Model):
    class Kind(models.TextChoices):
        PERMISSION = "permission", _("Permission slip")
        POLL = "poll", _("Poll")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")

    class Per(models.TextChoices):
        CHILD = "child", _("Per child")
        FAMILY = "family", _("Per family")

    class Guardians(models.TextChoices):
        ONE = "one", _("One guardian's answer is enough")
        ALL = "all", _("Every guardian must answer")

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="forms")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Attached to a post (shown under it, seen by whoever sees the post) or standing alone.
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="forms"
    )
    # Who is asked: the guardians of these groups' pupils. For a form on a post, the post's groups
    # (a post's groups never change after publishing).
    groups = models.ManyToManyField("schools.Group", through="FormGroup", related_name="forms")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.POLL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("explanation"), max_length=2000, blank=True)
    per = models.CharField(_("answered"), max_length=10, choices=Per.choices, default=Per.CHILD)
    guardians = models.CharField(
        _("guardians"), max_length=5, choices=Guardians.choices, default=Guardians.ONE
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # Required forms are reminded and shown as "to do"; optional ones only shown.
    required = models.BooleanField(_("answer required"), default=True)
    is_evaluation = models.BooleanField(default=False)
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(default=timezone.now)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)  # the automatic one, once
    reminded_at = models.DateTimeField(null=True, blank=True)  # the last reminder on demand

    class Meta:
        ordering = ["closes_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="form_closes_after_open"),
            # An anonymous questionnaire is answered once per family: no per-child or per-guardian rows.
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(per="family", guardians="one"), name="form_anonymous_family"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_permission(self) -> bool:
        return self.kind == self.Kind.PERMISSION

    @property
    def every_guardian(self) -> bool:
        return self.per == self.Per.CHILD and self.guardians == self.Guardians.ALL

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class FormGroup(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="form_groups")
    group = models.ForeignKey("schools.Group", on_delete=models.CASCADE, related_name="form_groups")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "group"], name="form_group_unique")]


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no (a reason is asked for no)")
        CHOICE = "choice", _("One choice")
        CHOICES = "choices", _("Several choices")
        TEXT = "text", _("Short text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        SCALE = "scale", _("Scale 1–5")
        SIGNATURE = "signature", _("Signature (typed name and confirmation)")

    public_id = PublicIdField()
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(default=list, blank=True)  # the choices offered, in order
    # The evaluation: which System Usability Scale statement (1–10) this is; its tips field.
    sus_item = models.PositiveSmallIntegerField(null=True, blank=True)
    to_feedback = models.BooleanField(default=False)  # answers land with the parents' feedback instead

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sus_item__isnull=True) | Q(sus_item__gte=1, sus_item__lte=10, kind="scale"),
                name="question_sus_item",
            )
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One answer to a form: of a child (or family) by one guardian, or shared by the child's guardians.

    `pupil` is the child, or for a per-family form the family's first child in the form's audience;
    `guardian` is set only when every guardian answers for themselves. An anonymous response has neither,
    no account and no time. `version` is raised by each change: a change made on an older version is refused
    (two guardians editing at once).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses")
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="form_responses"
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form", "pupil"],
                condition=Q(pupil__isnull=False, guardian__isnull=True),
                name="response_one_per_child",
            ),
            models.UniqueConstraint(
                fields=["form", "pupil", "guardian"],
                condition=Q(guardian__isnull=False),
                name="response_one_per_guardian",
            ),
        ]


class Answer(models.Model):
    """The answer to one question, as the kind stores it (see forms.answers.clean_answer)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]


class Participation(models.Model):
    """The fact that a family answered an anonymous form, and nothing else: no link to its answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="participations")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "pupil"], name="participation_once_per_family")
        ]
