"""Notifications: the event (Dispatch), what each person sees (Notification), how it reached them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField

# Event kinds a person can set preferences for, with their label on the preferences page.
KINDS = {
    "post.published": _("New post on the timeline"),
    "message.created": _("New personal message"),
    "event.reminder": _("Event reminder"),
    "absence.decided": _("Leave decision"),
    "absence.changed": _("Absence report changed"),
    "form.sent": _("New form"),
    "form.reminder": _("Form reminder"),
}


class Channel(models.TextChoices):
    PUSH = "push", _("push")
    EMAIL = "email", _("email")


class Dispatch(models.Model):
    """One domain event as received: the ledger and the in-app list hang off it."""

    public_id = PublicIdField()
    kind = models.CharField(max_length=40)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recipient_ids = models.JSONField(default=list)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    url = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=200, blank=True)
    title_params = models.JSONField(default=dict)
    urgent = models.BooleanField(default=False)
    deliver_after = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id}"

    @property
    def display_title(self) -> str:
        """The notice's words in the active language: the same in the in-app list, the email's subject
        and the push title (title_in)."""
        return self.title_in(names=True)

    def is_nameless(self, *, names: bool) -> bool:
        """Whether a push to someone with names on or off gets the kind's nameless title instead of the
        notice's own words (an urgent post's title names only the school, so it stays)."""
        from notifications.rules import NAMELESS_PUSH_TITLES

        return not names and self.kind in NAMELESS_PUSH_TITLES and not self.urgent

    def title_in(self, *, names: bool, translated: str = "") -> str:
        """THE words of this notice, composed here only, from the event's English msgid and parameters
        ("Groep 3: Schoolreis"). Without names (a push to someone who turned names off) the kind's
        nameless title (rules.NAMELESS_PUSH_TITLES) with the same parameters ("Nieuw bericht in Groep 3").

        `translated` is the cached machine translation of the notice's own words (the title only, never
        the item's text) for a reader who always translates: it stands in for those words, and never for
        the nameless title, which must not carry what the reader turned off."""
        from django.utils.translation import gettext

        from notifications.rules import NAMELESS_PUSH_TITLES

        msgid = self.title
        if self.is_nameless(names=names):
            msgid = NAMELESS_PUSH_TITLES[self.kind]
        elif translated:
            return translated
        try:
            return gettext(msgid) % self.title_params if self.title_params else gettext(msgid)
        except (KeyError, TypeError, ValueError):
            # Parameters the words do not fit (an event from before they changed): never a name turned off.
            return gettext(msgid) if names else gettext("You have a new notification")


class Notification(models.Model):
    """One item in a person's in-app list."""

    public_id = PublicIdField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "dispatch"], name="one_item_per_event")]
        indexes = [models.Index(fields=["user", "read_at"])]

    @property
    def title(self) -> str:
        return self.dispatch.display_title

    @property
    def note(self) -> str:
        """Words for this person in the app only (why a post was not approved): never mailed or pushed."""
        return str(self.dispatch.data.get("note", ""))


class Delivery(models.Model):
    """The ledger: one row per recipient per channel per event."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    class Reason(models.TextChoices):
        PREFERENCE = "preference", _("preference")
        QUIET_HOURS = "quiet_hours", _("quiet hours")
        DIGEST = "digest", _("in digest")
        NO_DEVICE = "no_device", _("no device")
        WORKING_HOURS = "working_hours", _("outside working hours")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Why it was skipped or why it waits; for a failure, the last error.
    reason = models.CharField(max_length=40, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)
    # A worker's claim: another worker may take the row over only after this moment.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Which claim took the row: a worker claims its whole batch in one UPDATE, then reads back its rows.
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "user", "channel"], name="one_delivery_per_channel")
        ]
        indexes = [models.Index(fields=["state", "due_at"])]


class Settings(models.Model):
    """A person's quiet hours and digest choice; absent means the defaults."""

    class Digest(models.TextChoices):
        OFF = "off", _("no digest")
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly (the school's newsletter)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_from = models.TimeField(default=datetime.time(21, 0))
    quiet_until = models.TimeField(default=datetime.time(7, 0))
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    # Push titles show on a locked phone; off, the kinds that name a person (rules.PUSH_TITLE_PERSONS) say
    # only what happened.
    push_names = models.BooleanField(_("show names in push notifications"), default=True)
    digest_sent_until = models.DateTimeField(null=True, blank=True)


class Preference(models.Model):
    """Which channels one person wants for one kind of event, in one group or (group empty) everywhere."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    group = models.ForeignKey("schools.Group", null=True, blank=True, on_delete=models.CASCADE)
    push = models.BooleanField(default=True)
    email = models.BooleanField(default=False)
    digest = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "group"], name="one_preference_per_group"),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=models.Q(group=None), name="one_default_preference"
            ),
        ]


class PushSubscription(models.Model):
    """A browser's web push subscription (endpoint and keys from PushManager.subscribe)."""

    public_id = PublicIdField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)


class DigestSchedule(models.Model):
    """When a school's weekly newsletter digest goes out (default Friday 16:00 Amsterdam time)."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="digest_schedule")
    weekday = models.PositiveSmallIntegerField(default=4)  # Monday is 0
    send_at = models.TimeField(default=datetime.time(16, 0))
    last_daily_on = models.DateField(null=True, blank=True)
    last_weekly_on = models.DateField(null=True, blank=True)
