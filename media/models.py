"""Uploaded media and their processed renditions. The uploaded original is never stored here."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField
from media.failures import failure_message


class MediaFile(models.Model):
    """One uploaded file: a photo, video or document, visible through whatever carries it."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="media_files")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="media_files"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    # A stable code; the message is rendered in the reader's language (media.failures).
    failure_code = models.CharField(max_length=40, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    byte_size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The processing ledger: while uploaded, when the tick may queue the file again (its job may be lost
    # with a Redis that restarted empty, or wait for a retry); while processing, until when the worker
    # that took it holds it (a worker killed mid-job leaves it to be taken again after that).
    next_try_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Random file name in the private quarantine directory; empty once processing is over.
    quarantine_name = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    carrier_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    carrier_id = models.PositiveBigIntegerField(null=True, blank=True)
    carrier = GenericForeignKey("carrier_type", "carrier_id")
    position = models.PositiveIntegerField(default=0)
    # Hidden by staff while a report about it is looked at: only those who manage it still see it.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Kept from parents (consent withdrawn, or awaiting its consent check); uploader and staff see it.
    withheld_at = models.DateTimeField(null=True, blank=True)
    # Part of every rendition URL; raised when the bytes change (a blur), so no cache serves the old ones
    # and the old URLs answer 404.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "created_at", "id"]
        indexes = [models.Index(fields=["carrier_type", "carrier_id"], name="media_carrier_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(carrier_type__isnull=True, carrier_id__isnull=True)
                | Q(carrier_type__isnull=False, carrier_id__isnull=False),
                name="media_carrier_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(ready_at__isnull=False), name="media_ready_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def kept_back(self) -> bool:
        """Withheld or hidden: shown only to those who manage its carrier (and its uploader)."""
        return self.withheld_at is not None or self.hidden_at is not None

    @property
    def failure_message(self) -> str:
        return failure_message(self.failure_code, self.kind) if self.is_failed else ""


class Rendition(models.Model):
    """A processed, metadata-free file derived from a MediaFile ("400.webp", "video.mp4", ...)."""

    media = models.ForeignKey(MediaFile, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(max_length=40)
    # Random, unguessable name in the media storage; never derived from the upload.
    storage_name = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=100)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    byte_size = models.PositiveBigIntegerField()
    etag = models.CharField(max_length=64)

    class Meta:
        ordering = ["media_id", "name"]
        constraints = [models.UniqueConstraint(fields=["media", "name"], name="rendition_unique_name")]

    def __str__(self) -> str:
        return self.name
