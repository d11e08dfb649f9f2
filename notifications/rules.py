"""Who hears what, how and when: defaults, preferences, quiet hours. Pure decisions, no writes."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop

from core.clock import SCHOOL_TZ
from notifications.models import Channel, Delivery, Preference, Settings

# Every kind of event there is, with its default channels: the kinds below, and those the apps register
# (`register_kind`). Sensible defaults: messages and posts by push, weekly digest on; a leave decision also
# by email. An event of a kind not in here is refused (`notifications.actions.receive_event`).
DEFAULTS: dict[str, dict[str, bool]] = {
    "post.published": {"push": True, "email": False, "digest": True},
    "message.created": {"push": True, "email": False, "digest": False},
    "event.reminder": {"push": True, "email": False, "digest": True},
    "absence.decided": {"push": True, "email": True, "digest": False},
    "absence.changed": {"push": True, "email": False, "digest": False},
    "form.sent": {"push": True, "email": False, "digest": True},
    "form.reminder": {"push": True, "email": True, "digest": False},
}
FALLBACK = {"push": True, "email": False, "digest": False}

# Push titles show on a locked phone, so they carry no message or post text, no email address and no
# person, except what this table allows per event kind (notifications/tests/test_push_privacy.py proves it
# for every registered kind). Everything else names places: a class, the school.
PUSH_TITLE_PERSONS: dict[str, str] = {
    "message.created": "the sender's name (the recipient is in the conversation)",
    "absence.changed": "the child's first name (only its own guardians and teachers are told)",
    "absence.decided": "the child's first name (only its own guardians are told)",
    # A post's title is written for all the group's parents ("Groep 3: Schoolreis"), but may name a child.
    "post.published": "the post's title (its author may name a child in it)",
    "event.reminder": "the invitation's title (its author may name a child in it)",
    "post.awaiting_approval": "the post's title (its author may name a child in it)",
    "post.rejected": "the post's title (the recipient wrote it)",
}
# The same news without the person or the post's title, for those who turned names in push notifications
# off; the event's own title parameters fill in the rest (a group's name).
NAMELESS_PUSH_TITLES: dict[str, str] = {
    "message.created": gettext_noop("New message"),
    "absence.changed": gettext_noop("An absence report was changed"),
    "absence.decided": gettext_noop("A leave request has been decided"),
    "post.published": gettext_noop("New post in %(group)s"),
    "event.reminder": gettext_noop("Please answer an invitation in %(group)s"),
    "post.awaiting_approval": gettext_noop("A post in %(group)s waits for approval"),
    "post.rejected": gettext_noop("Your post in %(group)s was not approved"),
}


def register_kind(kind: str, *, label=None, push: bool, email: bool, digest: bool) -> None:
    """An app's own event kind: its default channels, and with a label its line on the preferences page.

    Called from the app's `ready()` (as conferences does), so notifications imports no app it serves. A kind
    without a label is a notice nobody sets preferences for (a report was handled, an export is ready).
    """
    from notifications.models import KINDS

    DEFAULTS[kind] = {"push": push, "email": email, "digest": digest}
    if label is not None:
        KINDS[kind] = label


def registered_kinds() -> list[str]:
    """Every kind of event the apps may publish."""
    return list(DEFAULTS)


def is_registered(kind: str) -> bool:
    return kind in DEFAULTS


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Plan:
    """One ledger row to write: its state, why, and when it may go out."""

    channel: str
    state: str
    reason: str
    due_at: datetime.datetime


def wanted(kind: str, group_ids: list[str], preferences: list[Preference]) -> dict[str, bool]:
    """The channels one person wants for a kind: a group's own setting wins over their general one."""
    chosen = dict(DEFAULTS.get(kind, FALLBACK))
    general = [p for p in preferences if p.kind == kind and p.group_id is None]
    specific = [p for p in preferences if p.kind == kind and p.group_id and p.group.public_id in group_ids]
    for pref in general + specific[:1]:
        chosen = {"push": pref.push, "email": pref.email, "digest": pref.digest}
    return chosen


def quiet_end(settings: Settings, at: datetime.datetime) -> datetime.datetime | None:
    """When the person's quiet hours end, if `at` falls inside them; else None."""
    local = timezone.localtime(at, SCHOOL_TZ)
    start, end, now = settings.quiet_from, settings.quiet_until, local.time()
    if start == end:
        return None
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=SCHOOL_TZ)


def plan_for(
    *,
    kind: str,
    urgent: bool,
    deliver_after: datetime.datetime | None,
    group_ids: list[str],
    preferences: list[Preference],
    settings: Settings | None,
    is_staff: bool,
    has_device: bool,
    now: datetime.datetime,
) -> list[Plan]:
    """The push and email rows for one recipient of one event."""
    settings = settings or DEFAULT_SETTINGS
    want = {"push": True, "email": True, "digest": False} if urgent else wanted(kind, group_ids, preferences)
    due, waiting = now, ""
    if deliver_after and deliver_after > now and not urgent:
        due, waiting = deliver_after, Delivery.Reason.WORKING_HOURS
    plans = []
    # Push
    if not want["push"]:
        plans.append(Plan(Channel.PUSH, Delivery.State.SKIPPED, Delivery.Reason.PREFERENCE, now))
    elif not has_device:
        plans.append(Plan(Channel.PUSH, Delivery.State.SKIPPED, Delivery.Reason.NO_DEVICE, now))
    else:
        push_due, push_waiting = due, waiting
        quiet = None if (urgent or is_staff) else quiet_end(settings, due)
        if quiet is not None:
            push_due, push_waiting = quiet, Delivery.Reason.QUIET_HOURS
        plans.append(Plan(Channel.PUSH, Delivery.State.QUEUED, push_waiting, push_due))
    # Email
    if want["email"]:
        plans.append(Plan(Channel.EMAIL, Delivery.State.QUEUED, waiting, due))
    elif want["digest"] and settings.digest != Settings.Digest.OFF:
        plans.append(Plan(Channel.EMAIL, Delivery.State.SKIPPED, Delivery.Reason.DIGEST, now))
    else:
        plans.append(Plan(Channel.EMAIL, Delivery.State.SKIPPED, Delivery.Reason.PREFERENCE, now))
    return plans
