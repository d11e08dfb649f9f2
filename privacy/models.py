"""Access exports, each school's retention periods and the log of what retention deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField


class DataExport(models.Model):
    """Everything the platform holds about one guardian or one pupil, as one zip built in the background.

    The zip is written under a temporary name and only named here when it is whole, so a worker killed
    half-way leaves nothing that can be downloaded; it is kept for `EXPORT_KEPT_FOR` and then deleted.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        BUILDING = "building", _("Being put together")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be made")
        EXPIRED = "expired", _("Deleted after 7 days")

    ACTIVE = (Status.QUEUED, Status.BUILDING)

    public_id = PublicIdField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # Whose data: a guardian (their own request, or the director's on their behalf) or a pupil.
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Set for an export a director made; a guardian's own export has none.
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Bumped while building: a BUILDING export whose heartbeat stopped was left by a killed worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    storage_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One export at a time per requester and subject: a second request joins the first.
            models.UniqueConstraint(
                fields=["requested_by", "subject_user"],
                condition=Q(status__in=["queued", "building"], subject_user__isnull=False),
                name="privacy_one_active_export_per_user",
            ),
            models.UniqueConstraint(
                fields=["requested_by", "subject_pupil"],
                condition=Q(status__in=["queued", "building"], subject_pupil__isnull=False),
                name="privacy_one_active_export_per_pupil",
            ),
            models.CheckConstraint(
                condition=Q(subject_user__isnull=False) | Q(subject_pupil__isnull=False),
                name="privacy_export_has_subject",
            ),
        ]


class RetentionPeriod(models.Model):
    """A school's own period for one category; without a row the category's default applies."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="retention_periods")
    category = models.CharField(max_length=40)
    months = models.PositiveSmallIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "category"], name="privacy_one_period")]


class Deletion(models.Model):
    """What one retention run deleted in one category of one school: a count, never the content."""

    school = models.ForeignKey("schools.School", null=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    ran_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-ran_at", "category"]


class RetentionRun(models.Model):
    """One run of the retention job over every school; a run that never finished was interrupted."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
