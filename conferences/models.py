"""Parent–teacher conferences (10-minutengesprekken): a round, the families' answers, the schedule, swaps.

A round's phase is derived from its dates and whether its schedule is published (`Round.phase_at`), never
stored. Who belongs to the round (pupils, households, teachers) is derived from `schools` when it is
planned; the schedule (Slot, Talk) is what the planner wrote, changed afterwards by swaps and by hand.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField
from schools.models import Group, Pupil, School


class Phase(models.TextChoices):
    DRAFT = "draft", _("Not open yet")
    PREFERENCES = "preferences", _("Preferences open")
    PLANNING = "planning", _("Being planned")
    SWAPS = "swaps", _("Published, swaps open")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """One conference round of a school: which groups, when, how long, and its phases' dates."""

    public_id = PublicIdField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="conference_rounds")
    name = models.CharField(_("name"), max_length=120)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    slot_minutes = models.PositiveSmallIntegerField(_("talk length (minutes)"), default=10)
    buffer_minutes = models.PositiveSmallIntegerField(_("walking time between siblings' talks"), default=5)
    break_after_minutes = models.PositiveSmallIntegerField(_("break after (minutes of talks)"), default=60)
    break_minutes = models.PositiveSmallIntegerField(_("break length (minutes)"), default=10)
    block_minutes = models.PositiveSmallIntegerField(_("preference blocks (minutes)"), default=30)
    duo_together = models.BooleanField(_("duo teachers hold talks together"), default=True)
    apart_separately = models.BooleanField(_("separated parents get one talk each"), default=False)
    default_room = models.CharField(_("room"), max_length=60, blank=True)
    preferences_open_at = models.DateTimeField(_("preferences open"))
    preferences_close_at = models.DateTimeField(_("preferences close"))
    swaps_close_at = models.DateTimeField(_("swaps close"))
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-preferences_open_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferences_close_at__gt=F("preferences_open_at"))
                & Q(swaps_close_at__gt=F("preferences_close_at")),
                name="conference_round_phase_order",
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="conference_round_slot_length"),
        ]

    def __str__(self) -> str:
        return self.name

    def phase_at(self, now: datetime.datetime) -> str:
        if self.published_at is not None:
            return Phase.SWAPS if now < self.swaps_close_at else Phase.CLOSED
        if now < self.preferences_open_at:
            return Phase.DRAFT
        if now < self.preferences_close_at:
            return Phase.PREFERENCES
        return Phase.PLANNING


class RoundGroup(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_groups")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    # Overrides the round's talk length for this group (e.g. 15 minutes for groep 8's advice talks).
    slot_minutes = models.PositiveSmallIntegerField(_("talk length (minutes)"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "group"], name="conference_group_once")]


class Evening(models.Model):
    """An evening or afternoon of the round, in the school's wall-clock time."""

    public_id = PublicIdField()
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evenings")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="conference_evening_order"),
        ]


class TeacherTime(models.Model):
    """When a teacher is available on an evening; a teacher without rows is there the whole evening."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teacher_times")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    evening = models.ForeignKey(Evening, on_delete=models.CASCADE, related_name="teacher_times")
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="conference_teacher_time_order"),
        ]


class PupilFlag(models.Model):
    """A teacher's note on one pupil for a round: a talk is needed, a longer one, or none."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="flags")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    priority = models.BooleanField(_("a talk is needed"), default=False)
    long_talk = models.BooleanField(_("a longer talk"), default=False)
    excluded = models.BooleanField(_("no talk this round"), default=False)
    parents_apart = models.BooleanField(_("parents live apart"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "pupil"], name="conference_flag_once")]


class Answer(models.Model):
    """One guardian's preferences for a round, given once for all their children."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    interpreter = models.CharField(_("interpreter for language"), max_length=60, blank=True)
    video_call = models.BooleanField(_("a video call instead"), default=False)
    # Shown to the family; never given to the planner, so answering early gives no advantage.
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "guardian"], name="conference_answer_once")]


class Choice(models.Model):
    """One preference block as the guardian marked it: they can come, or they cannot."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="choices")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    can = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "starts_at"], name="conference_choice_once")]


class PlanRun(models.Model):
    """A run of the planner: its seed (so it can be reproduced), the quality report and the lottery order."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="plan_runs")
    seed = models.BigIntegerField()
    report = models.JSONField(default=dict)
    order = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Talk(models.Model):
    """One planned talk: a household, about one pupil or siblings in one group, at one time and room."""

    public_id = PublicIdField()  # also the iCalendar UID, kept when the talk moves
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="talks")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    pupils = models.ManyToManyField(Pupil, related_name="+")
    guardians = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="conference_talks")
    starts_at = models.DateTimeField(null=True, blank=True)  # null: not placed (yet)
    ends_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField()
    room = models.CharField(max_length=60, blank=True)
    priority = models.BooleanField(default=False)
    # Raised on every move, so a calendar replaces the old event (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    moved_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["round", "starts_at"])]


class Slot(models.Model):
    """One unit of one teacher's time in the schedule; `talk` is who has it (null: free).

    Taking a slot is a conditional UPDATE (`talk IS NULL`): of two families pressing at once, one wins.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="slots")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=60, blank=True)
    talk = models.ForeignKey(Talk, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "teacher", "starts_at"], name="conference_slot_once")
        ]


class SwapRequest(models.Model):
    """A family asks another to trade times; it holds only while both talks are where they were."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = PublicIdField()
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="swap_requests")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="swaps_asked")
    other = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="swaps_offered")
    # The times both talks had when asked: if either moved since, the swap is refused.
    talk_starts_at = models.DateTimeField()
    other_starts_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
