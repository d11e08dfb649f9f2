"""Daily and weekly digests: everything new that a person chose to read in the school's newsletter."""

import datetime
from dataclasses import dataclass

from django.core import mail
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.clock import SCHOOL_TZ
from notifications import sending
from notifications.models import Channel, Delivery, DigestSchedule, Dispatch
from notifications.models import Settings as NotificationSettings
from schools.models import School
from translation.queries import always_language

LOOKBACK = {"daily": datetime.timedelta(days=1), "weekly": datetime.timedelta(days=7)}
USERS_PER_CHUNK = 500


@dataclass
class DigestItem:
    title: str
    url: str
    kind: str
    created_at: datetime.datetime
    text: str
    translation: dict | None = None  # for a reader who chose "always translate": the cached translation


def schedule_of(school: School) -> DigestSchedule:
    return DigestSchedule.objects.filter(school=school).first() or DigestSchedule(school=school)


def digest_rows(*, user_ids, since_default: datetime.datetime, school: School | None = None):
    """Ledger rows parked for the digest, newer than each person's last digest."""
    rows = Delivery.objects.filter(
        user_id__in=user_ids,
        channel=Channel.EMAIL,
        state=Delivery.State.SKIPPED,
        reason=Delivery.Reason.DIGEST,
        dispatch__created_at__gt=since_default,
    )
    if school is not None:
        rows = rows.filter(dispatch__school=school)
    return rows


def items_for(user, *, frequency: str = "weekly", now: datetime.datetime | None = None) -> list[DigestItem]:
    """What the person's next digest would hold (the preview page shows exactly this)."""
    now = now or timezone.now()
    settings = NotificationSettings.objects.filter(user=user).first()
    since = (settings.digest_sent_until if settings else None) or now - LOOKBACK[frequency]
    dispatches = list(
        Dispatch.objects.filter(
            pk__in=digest_rows(user_ids=[user.pk], since_default=since).values("dispatch_id")
        ).order_by("created_at")
    )
    reading = always_language(user)
    translated = sending.Renderer().translated(dispatches, reading)
    return [_item(d, translated.get(d.pk), reading) for d in dispatches]


def _item(dispatch: Dispatch, translated: list[str] | None = None, reading: str = "") -> DigestItem:
    translation = sending.translation_of(translated, reading)
    if translation is not None:
        translation["text"] = translation["text"][:300]
    return DigestItem(
        title=sending.title_of(dispatch),
        url=sending.absolute(dispatch.url or "/"),
        kind=dispatch.kind,
        created_at=dispatch.created_at,
        text=sending.email_text(dispatch)[:300],
        translation=translation,
    )


def due_schools(frequency: str, now: datetime.datetime) -> list[DigestSchedule]:
    """Schools whose daily or weekly digest moment has come and not yet been served today."""
    local = timezone.localtime(now, SCHOOL_TZ)
    today, due = local.date(), []
    for school in School.objects.all():
        schedule = schedule_of(school)
        if local.time() < schedule.send_at:
            continue
        if frequency == "weekly" and (
            local.weekday() != schedule.weekday or schedule.last_weekly_on == today
        ):
            continue
        if frequency == "daily" and schedule.last_daily_on == today:
            continue
        due.append(schedule)
    return due


def do_run_due_digests(*, now: datetime.datetime | None = None) -> int:
    """Send the digests that are due now; a school is marked served first, so a crash never repeats it."""
    now = now or timezone.now()
    sent = 0
    for frequency in ("daily", "weekly"):
        for schedule in due_schools(frequency, now):
            field = "last_daily_on" if frequency == "daily" else "last_weekly_on"
            setattr(schedule, field, timezone.localtime(now, SCHOOL_TZ).date())
            schedule.save()
            sent += do_send_digests(frequency=frequency, school=schedule.school, now=now)
    return sent


def do_send_digests(*, frequency: str, school: School | None = None, now=None) -> int:
    """Email a digest to each person on this frequency who has something new; returns how many went."""
    now = now or timezone.now()
    on_frequency = Q(notification_settings__digest=frequency)
    if frequency == NotificationSettings.Digest.WEEKLY:
        on_frequency |= Q(notification_settings=None)
    oldest = now - LOOKBACK[frequency]
    candidates = (
        User.objects.filter(on_frequency, is_active=True)
        .filter(
            pk__in=digest_rows(
                user_ids=User.objects.values("pk"), since_default=oldest, school=school
            ).values("user_id")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    user_ids = list(candidates)
    sent = 0
    connection, renderer = mail.mailers.default, sending.Renderer()
    connection.open()
    try:
        for start in range(0, len(user_ids), USERS_PER_CHUNK):
            sent += _send_chunk(
                user_ids[start : start + USERS_PER_CHUNK], oldest, school, now, connection, renderer
            )
    finally:
        connection.close()
    return sent


def _send_chunk(user_ids, oldest, school, now, connection, renderer) -> int:
    chosen = ("notification_settings", "reading_preference")
    people = User.objects.filter(pk__in=user_ids).select_related(*chosen)
    users = {u.pk: u for u in people}
    rows = (
        digest_rows(user_ids=user_ids, since_default=oldest, school=school)
        .select_related("dispatch")
        .order_by("dispatch__created_at")
    )
    per_user: dict[int, list[Dispatch]] = {}
    for row in rows:
        user = users[row.user_id]
        since = getattr(getattr(user, "notification_settings", None), "digest_sent_until", None)
        if since is None or row.dispatch.created_at > since:
            per_user.setdefault(row.user_id, []).append(row.dispatch)
    messages = []
    stamp = int(now.timestamp())
    for uid, dispatches in per_user.items():
        user = users[uid]
        reading = sending.reading_language(user)
        translated = renderer.translated(dispatches, reading)
        messages.append(
            renderer.email(
                template="digest",
                key=(
                    school.pk if school else None,
                    reading if translated else "",
                    tuple(d.pk for d in dispatches),
                    tuple(sorted(translated)),  # the items the cache had a translation of
                ),
                context=lambda dispatches=dispatches, translated=translated, reading=reading: {
                    "items": [_item(d, translated.get(d.pk), reading) for d in dispatches],
                    "school": school,
                },
                user=user,
                unsubscribe=sending.unsubscribe_url(user, "digest"),
                message_id=sending.message_id(f"digest-{uid}-{stamp}"),
            )
        )
    connection.send_messages(messages)
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user_id=uid) for uid in per_user], ignore_conflicts=True
    )
    NotificationSettings.objects.filter(user_id__in=list(per_user)).update(digest_sent_until=now)
    return len(messages)
