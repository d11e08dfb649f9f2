"""Roster imports kept as history, and each school's column mapping of its guardian export."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField


class RosterImport(models.Model):
    """One file (or pair of files) from the pupil administration: its preview, and whether it was applied.

    The uploaded bytes are kept until the import is applied or abandoned, so applying reads exactly the file
    that was previewed; the plan is stored as JSON so the office can look back at what changed.
    """

    class Source(models.TextChoices):
        EDEXML = "edexml", "EDEXML"
        ONEROSTER = "oneroster", "OneRoster"

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to map")
        QUEUED = "queued", _("Waiting")
        PREVIEWING = "previewing", _("Reading the file")
        PREVIEWED = "previewed", _("Ready to apply")
        REFUSED = "refused", _("Refused")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Not applied")

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="roster_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=200, blank=True)
    checksum = models.CharField(max_length=64)  # SHA-256 of the roster file and the guardian file
    content = models.BinaryField(editable=False)
    guardian_content = models.BinaryField(editable=False, null=True)
    guardian_file_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Progress of the background step (preview or apply), for the progress bar: done of total.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    plan = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class GuardianMapping(models.Model):
    """Which column of a school's guardian export holds what; remembered so the office maps it once."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="guardian_mapping")
    columns = models.JSONField(default=dict)  # field → column name
    updated_at = models.DateTimeField(auto_now=True)


class Rollover(models.Model):
    """The opening of a school's next year (jaarovergang): its classes, pupils' places and teachers are
    prepared here before its first day, the day it becomes current (schools.queries derive "current")."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="rollovers")
    from_year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    to_year = models.OneToOneField("schools.SchoolYear", on_delete=models.CASCADE, related_name="rollover")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    # A roster import of the new year that was applied: the file's places replace the proposal.
    replaced_by = models.ForeignKey(
        RosterImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]


class Placement(models.Model):
    """Where the rollover places one pupil next year: a class and grade, or nowhere (they leave)."""

    rollover = models.ForeignKey(Rollover, on_delete=models.CASCADE, related_name="placements")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="+")
    from_group = models.ForeignKey("schools.Group", on_delete=models.CASCADE, related_name="+")
    from_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    group = models.ForeignKey(
        "schools.Group", null=True, blank=True, on_delete=models.RESTRICT, related_name="placements"
    )
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    # The office chose this place itself (kept back, another class); otherwise it is the proposal.
    chosen = models.BooleanField(default=False)
    # The proposal could not tell the next class (no grade known): the office should look at it.
    needs_check = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rollover", "pupil"], name="placement_one_per_pupil")]
