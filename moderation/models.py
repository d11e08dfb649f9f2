"""Conduct rules and their acceptance, extra screening terms, reports about content, and feedback."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField
from core.languages import in_language

REASON_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000
FEEDBACK_MAX_LENGTH = 4000
RULES_MAX_LENGTH = 20_000


class ConductRules(models.Model):
    """A school's own conduct rules; without a row the default text (version 1) applies."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="conduct_rules")
    text_nl = models.TextField(_("rules in Dutch"), max_length=RULES_MAX_LENGTH)
    text_en = models.TextField(_("rules in English"), max_length=RULES_MAX_LENGTH, blank=True)
    # Raised when the director asks everyone to accept the rules again.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def text(self) -> str:
        return in_language(self.text_nl, self.text_en)


class ConductAcceptance(models.Model):
    """The latest version of a school's rules a user accepted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="conduct_acceptance_unique")]


class Category(models.TextChoices):
    SWEARING = "swearing", _("Swearing")
    DISCRIMINATION = "discrimination", _("Discrimination")
    THREATS = "threats", _("Threats")
    SEXUAL = "sexual", _("Sexual language")


class ExtraTerm(models.Model):
    """A word or phrase a school adds to the screening lists."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    term = models.CharField(_("word or phrase"), max_length=80)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["school", "term"], name="extra_term_unique")]


class Report(models.Model):
    """A user's report about one item; a second report by the same user about it updates this one."""

    class Reason(models.TextChoices):
        INAPPROPRIATE = "inappropriate", _("Not appropriate for the school")
        PRIVACY = "privacy", _("Privacy: a child or person should not be shown")
        OFFENSIVE = "offensive", _("Offensive, threatening or discriminating")
        PERSONAL = "personal", _("About a person instead of about things")
        OTHER = "other", _("Something else")
        SCREENING = "screening", _("Held by the word check")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("Not decided yet")
        REMOVED = "removed", _("Removed")
        RESTORED = "restored", _("Shown again")
        DISMISSED = "dismissed", _("Nothing wrong found")

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    # The class whose teachers moderate the item; None for school-wide items (the director only).
    group = models.ForeignKey(
        "schools.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None: held by the word check (screening) for staff review, not reported by a person.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The item; the pair stays after the item is removed (the label says what it was).
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    kind = models.CharField(max_length=20)  # the registry's name for the item: photo, post, comment, message
    label = models.CharField(max_length=200)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("explanation"), max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="report_item_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "item_type", "item_id"], name="report_one_per_reporter"
            ),
            models.CheckConstraint(
                condition=Q(status="open", outcome="") | Q(status="closed", resolved_at__isnull=False),
                name="report_closed_has_outcome",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Feedback(models.Model):
    """A parent's finding or tip for the director."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("your finding or tip"), max_length=FEEDBACK_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Suspension(models.Model):
    """A parent account the director suspended; lifting it restores access."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_LENGTH, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspended_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-suspended_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"], condition=Q(lifted_at__isnull=True), name="suspension_one_active"
            )
        ]


class Flag(models.Model):
    """Text that screening flagged: a message to staff is delivered, with this flag beside it for staff."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    categories = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["item_type", "item_id"], name="flag_item_idx")]


class Mute(models.Model):
    """A user who does not want to hear of new activity in one thread (a conversation)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "item_type", "item_id"], name="mute_unique")]
