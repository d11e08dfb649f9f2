"""Absence reports (planned and sick), leave requests, the school's absence policy and its days off."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField
from schools.models import Pupil, School, SchoolYear


class AbsencePolicy(models.Model):
    """How a school takes absence reports; a school without a row uses the defaults."""

    class SickReports(models.TextChoices):
        PHONE = "phone", _("By phone only")
        APP = "app", _("In the app until the cutoff time")

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="absence_policy")
    # A planned absence must be reported this many school days ahead, before the cutoff hour.
    lead_school_days = models.PositiveSmallIntegerField(_("school days ahead"), default=1)
    cutoff_hour = models.PositiveSmallIntegerField(_("daily cutoff hour"), default=17)
    sick_reports = models.CharField(
        _("sick reports"), max_length=10, choices=SickReports.choices, default=SickReports.PHONE
    )
    sick_cutoff = models.TimeField(_("call or report sick before"), default=datetime.time(8, 30))
    holiday_leave_days_ahead = models.PositiveSmallIntegerField(_("holiday leave: days ahead"), default=56)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(cutoff_hour__lte=24), name="absence_policy_cutoff_hour"),
            models.CheckConstraint(condition=Q(lead_school_days__lte=20), name="absence_policy_lead_days"),
        ]


class SchoolClosure(models.Model):
    """A holiday or study day: no school, so no absence reports."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        STUDY_DAY = "study_day", _("Study day")

    public_id = PublicIdField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closures")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Absence(models.Model):
    """A reported absence: planned (one day, whole or a time span) or sick (open until recovered)."""

    class Kind(models.TextChoices):
        DOCTOR = "doctor", _("Doctor")
        DENTIST = "dentist", _("Dentist")
        HOSPITAL = "hospital", _("Hospital")
        OTHER = "other", _("Other")
        SICK = "sick", _("Sick")

    public_id = PublicIdField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="absences")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_on = models.DateField(_("date"))
    # A planned absence ends the day it starts; a sick report stays open (null) until "recovered".
    ends_on = models.DateField(null=True, blank=True)
    # Both empty: the whole day.
    from_time = models.TimeField(_("from"), null=True, blank=True)
    until_time = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "from_time"]
        indexes = [models.Index(fields=["school", "starts_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(kind="sick", ends_on__isnull=True, withdrawn_at__isnull=True),
                name="absence_one_open_sick_report",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="absence_order"
            ),
            models.CheckConstraint(
                condition=Q(from_time__isnull=True, until_time__isnull=True)
                | Q(from_time__isnull=False, until_time__isnull=False, until_time__gt=F("from_time")),
                name="absence_time_span",
            ),
        ]

    @property
    def is_sick(self) -> bool:
        return self.kind == self.Kind.SICK

    @property
    def is_open(self) -> bool:
        return self.is_sick and self.ends_on is None and self.withdrawn_at is None

    @property
    def is_whole_day(self) -> bool:
        return self.from_time is None


KIND_NAME_MAX = 60
# Parents can always report these; a school may switch off only the other planned kinds.
ALWAYS_OFFERED = [Absence.Kind.SICK, Absence.Kind.OTHER]


class AbsenceKindWording(models.Model):
    """A school's own name for a kind of absence, and whether parents may choose it; the codes stay fixed.

    Without a row a kind has its built-in name and is offered. Sick and other are always offered.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="absence_kind_wordings")
    kind = models.CharField(_("kind"), max_length=10, choices=Absence.Kind.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=KIND_NAME_MAX, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=KIND_NAME_MAX, blank=True)
    offered = models.BooleanField(_("offered to parents"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="absence_kind_wording_unique"),
            models.CheckConstraint(
                condition=Q(offered=True) | ~Q(kind__in=ALWAYS_OFFERED), name="absence_kind_always_offered"
            ),
        ]


class LeaveRequest(models.Model):
    """Verlof under the compulsory education law: asked by a guardian, decided by the director."""

    class Kind(models.TextChoices):
        EXTRAORDINARY = "extraordinary", _("Extraordinary leave")
        HOLIDAY = "holiday", _("Holiday leave")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = PublicIdField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="leave_requests")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="leave_requests")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.TextField(_("reason"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, max_length=2000)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="leave_order"),
        ]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
