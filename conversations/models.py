"""Conversations between parents and staff, the class inbox, staff availability and quiet delivery.

Who sees a conversation is derived, never copied: its member participants, and for a class
conversation every teacher assigned to its group (duo teachers share one inbox). A Participant row
also holds read state, so a teacher who only reads the class inbox gets one when they first read.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField
from core.routes import url_with_id

MESSAGE_MAX_LENGTH = 5000
SUBJECT_MAX_LENGTH = 120
WORKDAYS = "12345"  # ISO weekdays, Monday = 1


class SchoolMessaging(models.Model):
    """A school's promise to parents: a reply within so many working days; urgent matters by phone."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="messaging")
    reply_days = models.PositiveSmallIntegerField(_("reply within (working days)"), default=2)
    phone = models.CharField(_("phone number for urgent matters"), max_length=30, blank=True)

    def __str__(self) -> str:
        return f"{self.school}: {self.reply_days}"


class Availability(models.Model):
    """When a staff member works at one school; without a row: Monday to Friday, 8:00 to 16:30."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="availability")
    days = models.CharField(_("working days"), max_length=7, default=WORKDAYS)  # ISO weekdays "123"
    starts_at = models.TimeField(_("from"), default=datetime.time(8, 0))
    ends_at = models.TimeField(_("until"), default=datetime.time(16, 30))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="availability_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="availability_order"
            ),
        ]

    @property
    def weekdays(self) -> list[int]:
        return sorted({int(day) for day in self.days if day in "1234567"})


class Conversation(models.Model):
    """A thread about one pupil, in one school year (the archive is by school year)."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="conversations")
    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.CASCADE, related_name="conversations"
    )
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="conversations")
    # Set when a parent writes to a class: all teachers of the group read it. Null for staff-started threads.
    group = models.ForeignKey(
        "schools.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="conversations"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_message_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["group", "-last_message_at"], name="conversation_group_idx")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return url_with_id("conversations:thread", self.public_id)  # the inbox links 30: no reverse() each

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Participant(models.Model):
    """Someone in a conversation: a member (addressed or added), or a class teacher's read state."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    is_member = models.BooleanField(default=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique")]
        indexes = [models.Index(fields=["user", "is_member"], name="participant_user_idx")]


class Message(models.Model):
    public_id = PublicIdField()
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)
    # Set by moderation; hidden messages are left out for everyone but staff.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_conversation_idx")]


class StaffNotice(models.Model):
    """Quiet mode: when a staff recipient should hear of a new message (inside their working hours)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="staff_notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notify_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "recipient"], name="staff_notice_unique")]
