"""Every state change of notifications: receive events, fan out, send from the ledger, read, preferences."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from core.events import Event
from notifications import rules, sending
from notifications.models import Channel, Delivery, Dispatch, Notification, Preference, PushSubscription
from notifications.models import Settings as NotificationSettings
from schools.models import Group, StaffRole

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 30
# A worker's claim on a row lasts this long; a worker that died frees its rows after it.
CLAIM_SECONDS = settings.NOTIFICATION_CLAIM_SECONDS


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, … capped at an hour."""
    return datetime.timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600))


# --- Receiving and fan-out ---------------------------------------------------------------------------


def receive_event(event: Event) -> Dispatch | None:
    """Store a published event and schedule its fan-out; the request that published it does no more."""
    if not rules.is_registered(event.kind):
        # Only registered kinds are walked by the push privacy test; an unknown one is a bug, not news.
        raise LookupError(f"event kind {event.kind!r} is not registered (notifications.rules.register_kind)")
    if not event.recipient_ids:
        return None
    deliver_after = parse_datetime(event.deliver_after) if event.deliver_after else None
    with transaction.atomic():
        dispatch = Dispatch.objects.create(
            kind=event.kind,
            school_id=event.school_id,
            actor_id=event.actor_id,
            recipient_ids=sorted(set(event.recipient_ids) - {event.actor_id}),
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            url=event.url,
            title=event.title,
            title_params=event.title_params,
            urgent=event.urgent,
            deliver_after=deliver_after,
            data=event.data,
            created_at=timezone.now(),
        )
        # robust: the dispatch row is the ledger (the tick's sweep fans out what has no fanned_out_at), so
        # an unreachable queue after the commit must not turn the saved post or message into an error.
        transaction.on_commit(lambda: enqueue_fan_out(dispatch.pk), robust=True)
    return dispatch


def enqueue_fan_out(dispatch_id: int) -> None:
    from notifications.tasks import fan_out

    fan_out.enqueue(dispatch_id)


def enqueue_send(ids: list[int], *, at: datetime.datetime | None = None) -> None:
    from notifications.tasks import send_deliveries

    task = send_deliveries
    if at is not None and at > timezone.now() and task.get_backend().supports_defer:
        task = task.using(run_after=at)
    for start in range(0, len(ids), BATCH_SIZE):
        task.enqueue(ids[start : start + BATCH_SIZE])


def do_fan_out(*, dispatch_id: int) -> int:
    """Write the in-app items and the ledger rows of one event once, then schedule the sending."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Dispatch.objects.filter(pk=dispatch_id, fanned_out_at=None).update(fanned_out_at=now)
        if not claimed:
            return 0  # already fanned out by an earlier run of this task
        dispatch = Dispatch.objects.get(pk=dispatch_id)
        # One read for what plan_for needs of each recipient but their preferences (a list: their own read).
        users = list(
            User.objects.filter(pk__in=dispatch.recipient_ids, is_active=True)
            .select_related("notification_settings")
            .annotate(
                is_any_staff=Exists(StaffRole.objects.filter(user=OuterRef("pk"))),
                has_device=Exists(PushSubscription.objects.filter(user=OuterRef("pk"))),
            )
            .only("pk", "notification_settings")
        )
        user_ids = [u.pk for u in users]
        Notification.objects.bulk_create(
            [Notification(user_id=uid, dispatch=dispatch, created_at=now) for uid in user_ids],
            ignore_conflicts=True,
        )
        preferences: dict[int, list] = {}
        for pref in Preference.objects.filter(user_id__in=user_ids, kind=dispatch.kind).select_related(
            "group"
        ):
            preferences.setdefault(pref.user_id, []).append(pref)
        user_settings = {u.pk: getattr(u, "notification_settings", None) for u in users}
        staff = {u.pk for u in users if u.is_any_staff}
        devices = {u.pk for u in users if u.has_device}
        group_ids = list(dispatch.data.get("group_ids", []))
        rows = []
        for uid in user_ids:
            for plan in rules.plan_for(
                kind=dispatch.kind,
                urgent=dispatch.urgent,
                deliver_after=dispatch.deliver_after,
                group_ids=group_ids,
                preferences=preferences.get(uid, []),
                settings=user_settings.get(uid),
                is_staff=uid in staff,
                has_device=uid in devices,
                now=now,
            ):
                rows.append(
                    Delivery(
                        dispatch=dispatch,
                        user_id=uid,
                        channel=plan.channel,
                        state=plan.state,
                        reason=plan.reason,
                        due_at=plan.due_at,
                    )
                )
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        transaction.on_commit(lambda: _translate_then_send(dispatch, user_ids))
    return len(rows)


def _translate_then_send(dispatch: Dispatch, user_ids: list[int]) -> None:
    """The engine is asked ahead first, and the sending scheduled after the translation tasks (each
    enqueued on commit), so a worker takes those first and the emails can carry the translation."""
    translate_ahead(dispatch, user_ids)
    transaction.on_commit(lambda: schedule_queued(dispatch_id=dispatch.pk))


def translate_ahead(dispatch: Dispatch, user_ids: list[int]) -> int:
    """Pre-translation: the notice (and its subject, a post) into the language of each recipient who chose
    "always translate", in the background; their list, email and digest read it from the cache."""
    from translation.actions import do_translate_for_readers
    from translation.sources import is_translatable

    asked = do_translate_for_readers(kind="notice", public_id=dispatch.public_id, reader_ids=user_ids)
    if dispatch.subject_id and is_translatable(dispatch.subject_type):
        asked += do_translate_for_readers(
            kind=dispatch.subject_type, public_id=dispatch.subject_id, reader_ids=user_ids
        )
    return asked


def schedule_queued(*, dispatch_id: int | None = None) -> int:
    """Enqueue send tasks for queued rows, grouped by when they are due."""
    queued = Delivery.objects.filter(state=Delivery.State.QUEUED)
    if dispatch_id is not None:
        queued = queued.filter(dispatch_id=dispatch_id)
    by_due: dict[datetime.datetime, list[int]] = {}
    for pk, due in queued.order_by("due_at", "pk").values_list("pk", "due_at"):
        by_due.setdefault(due, []).append(pk)
    now = timezone.now()
    due_now = [pk for due, ids in by_due.items() if due <= now for pk in ids]
    enqueue_send(due_now)
    for due, ids in by_due.items():
        if due > now:
            enqueue_send(ids, at=due)
    return sum(len(ids) for ids in by_due.values())


# --- Sending from the ledger ----------------------------------------------------------------------


def claimable(now: datetime.datetime):
    """Rows a worker may take: queued and due, or claimed by a worker whose claim ran out."""
    return Q(state=Delivery.State.QUEUED, due_at__lte=now) | Q(
        state=Delivery.State.SENDING, claimed_until__lt=now
    )


def claim(delivery_ids: list[int], now: datetime.datetime) -> list[Delivery]:
    """Take the rows of a batch that are free, atomically: one conditional UPDATE marks them with a token
    only this call knows, so two workers never both win a row; then one query reads back what was won."""
    token = uuid.uuid4().hex
    Delivery.objects.filter(claimable(now), pk__in=delivery_ids).update(
        state=Delivery.State.SENDING,
        claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
        claim_token=token,
    )
    return list(
        Delivery.objects.filter(claim_token=token, state=Delivery.State.SENDING)
        .select_related("dispatch", "user__notification_settings", "user__reading_preference")
        .order_by("pk")
    )


def renew(deliveries: list[Delivery], now: datetime.datetime) -> set[int]:
    """Extend a batch's claim on the rows not sent yet, so a slow batch keeps them; the rows still ours.

    Only a claim that has not run out is extended: a row another worker has taken over stays with it.
    """
    token, until = deliveries[0].claim_token, now + datetime.timedelta(seconds=CLAIM_SECONDS)
    ids = [delivery.pk for delivery in deliveries]
    Delivery.objects.filter(pk__in=ids, claim_token=token, claimed_until__gt=now).update(claimed_until=until)
    for delivery in deliveries:
        delivery.claimed_until = until
    return set(
        Delivery.objects.filter(pk__in=ids, claim_token=token, claimed_until=until).values_list(
            "pk", flat=True
        )
    )


def devices_of(deliveries: list[Delivery]) -> dict[int, list[PushSubscription]]:
    """The push devices of everyone in a batch who is to get a push, in one query."""
    users = {d.user_id for d in deliveries if d.channel == Channel.PUSH}
    devices: dict[int, list[PushSubscription]] = {}
    for device in PushSubscription.objects.filter(user_id__in=users).order_by("pk"):
        devices.setdefault(device.user_id, []).append(device)
    return devices


def do_send_deliveries(*, delivery_ids: list[int]) -> dict[str, int]:
    """Send every row of the batch this worker can claim; each outcome is saved before the next is sent.

    A slow batch (a slow mail server) renews its claim at half time, so its rows stay its own; a row another
    worker took over while this one stalled is left to that worker.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0}
    claimed = claim(delivery_ids, timezone.now())
    if not claimed:
        return counts  # sent already, not due yet, or another worker has them
    connection, renderer, pusher = None, sending.Renderer(), sending.Pusher()
    devices = devices_of(claimed)
    ours = {delivery.pk for delivery in claimed}
    for index, delivery in enumerate(claimed):
        now = timezone.now()
        if delivery.claimed_until - now < datetime.timedelta(seconds=CLAIM_SECONDS / 2):
            ours = renew(claimed[index:], now)
        if delivery.pk not in ours:
            continue  # this worker stalled past its claim and another has taken the row over
        try:
            if delivery.channel == Channel.EMAIL:
                # One connection for the batch: each `mailers.default` is a new, unopened backend.
                connection = connection or mail.mailers.default
                sending.send_email(delivery, connection, renderer)
            else:
                sending.send_push(delivery, pusher, devices.get(delivery.user_id, []), renderer)
        except sending.Retry as exc:
            counts["retry"] += 1
            _retry_or_fail(delivery, str(exc))
            continue
        except sending.Permanent as exc:
            counts["failed"] += 1
            _save(delivery, state=Delivery.State.FAILED, error=str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the row claimed: retry, and log it
            log.exception("notification delivery %s failed unexpectedly", delivery.pk)
            counts["retry"] += 1
            _retry_or_fail(delivery, f"{type(exc).__name__}: {exc}"[:300])
            continue
        counts["sent"] += 1
        _save(delivery, state=Delivery.State.SENT, error="", sent_at=timezone.now())
    if connection is not None:
        connection.close()
    pusher.close()
    return counts


def _save(delivery: Delivery, **fields) -> None:
    """Save an outcome only while the row is still ours, so a worker that lost its claim changes nothing."""
    fields.update(claimed_until=None, claim_token="", attempts=delivery.attempts + 1)
    Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(**fields)


def _retry_or_fail(delivery: Delivery, error: str) -> None:
    attempts = delivery.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _save(delivery, state=Delivery.State.FAILED, error=error)
        return
    due = timezone.now() + backoff(attempts)
    _save(delivery, state=Delivery.State.QUEUED, error=error, due_at=due)
    log.warning("notification delivery %s will be retried at %s: %s", delivery.pk, due, error)
    transaction.on_commit(lambda: enqueue_send([delivery.pk], at=due), robust=True)  # the sweep's ledger


def do_sweep(*, now: datetime.datetime | None = None) -> int:
    """Enqueue every row that is due or whose worker died; the safety net behind the scheduled tasks."""
    now = now or timezone.now()
    ids = list(Delivery.objects.filter(claimable(now)).order_by("pk").values_list("pk", flat=True))
    enqueue_send(ids)
    stale = list(Dispatch.objects.filter(fanned_out_at=None).values_list("pk", flat=True))
    for pk in stale:
        enqueue_fan_out(pk)
    return len(ids)


# --- Reading, preferences, devices ---------------------------------------------------------------


def do_mark_read(*, acting_user, notification: Notification | None = None) -> int:
    """Mark one item, or (without one) all of the person's items, as read."""
    items = Notification.objects.filter(user=acting_user, read_at=None)
    if notification is not None:
        items = items.filter(pk=notification.pk)
    return items.update(read_at=timezone.now())


def do_set_preference(
    *, acting_user, kind: str, group: Group | None, push: bool, email: bool, digest: bool
) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        user=acting_user, kind=kind, group=group, defaults={"push": push, "email": email, "digest": digest}
    )
    return preference


def do_update_preferences(
    *,
    acting_user,
    quiet_from,
    quiet_until,
    digest: str,
    channels: dict[str, dict[str, bool]],
    push_names: bool | None = None,
) -> None:
    """Save quiet hours, the digest choice and the general channels per kind, all or nothing."""
    with transaction.atomic():
        do_update_settings(
            acting_user=acting_user,
            quiet_from=quiet_from,
            quiet_until=quiet_until,
            digest=digest,
            push_names=push_names,
        )
        for kind, chosen in channels.items():
            do_set_preference(acting_user=acting_user, kind=kind, group=None, **chosen)


def settings_of(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def do_update_settings(
    *, acting_user, quiet_from, quiet_until, digest: str, push_names: bool | None = None
) -> NotificationSettings:
    """Save the person's settings; `push_names` None keeps what they chose before."""
    values = {"quiet_from": quiet_from, "quiet_until": quiet_until, "digest": digest}
    if push_names is not None:
        values["push_names"] = push_names
    settings, _created = NotificationSettings.objects.update_or_create(user=acting_user, defaults=values)
    return settings


def do_subscribe_push(*, acting_user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Register a browser; an endpoint that moves to another account is taken from the old one."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": acting_user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def do_unsubscribe_push(*, acting_user, subscription: PushSubscription) -> None:
    subscription.delete()


def _unsubscribe_payload(token: str) -> tuple[User, str]:
    try:
        payload = signing.loads(token, salt=sending.UNSUBSCRIBE_SALT)
        return User.objects.get(public_id=payload["u"]), str(payload.get("k", ""))
    except (signing.BadSignature, KeyError, TypeError, User.DoesNotExist) as exc:
        raise LookupError from exc


def is_valid_unsubscribe_token(token: str) -> bool:
    try:
        _unsubscribe_payload(token)
    except LookupError:
        return False
    return True


def check_one_click_unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn off email for one kind (or the digest) from a signed link; no login needed (RFC 8058)."""
    user, kind = _unsubscribe_payload(token)
    if kind == "digest":
        NotificationSettings.objects.update_or_create(
            user=user, defaults={"digest": NotificationSettings.Digest.OFF}
        )
    else:
        current = rules.wanted(kind, [], list(Preference.objects.filter(user=user, kind=kind, group=None)))
        do_set_preference(
            acting_user=user,
            kind=kind,
            group=None,
            push=current["push"],
            email=False,
            digest=current["digest"],
        )
    return user, kind
