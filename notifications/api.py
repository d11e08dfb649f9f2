"""The notifications' JSON face: my list, mark read, preferences, push subscriptions, delivery reports."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from core.api_schema import LocalTime
from notifications import actions, rules
from notifications.access import access_notification, access_push_subscription, access_subject_dispatches
from notifications.models import KINDS, Preference
from notifications.queries import delivery_report, notifications_of, unread_count, with_translated_titles
from notifications.vapid import vapid_keys
from schools.access import access_group
from translation.queries import always_language

router = Router(tags=["notifications"])

Kind = Literal[
    "post.published",
    "message.created",
    "event.reminder",
    "absence.decided",
    "absence.changed",
    "form.sent",
    "form.reminder",
]


class NotificationOut(Schema):
    public_id: str
    kind: str
    title: str
    note: str = Field("", description="Words for you in the app only (why a post was not approved)")
    url: str
    urgent: bool
    created_at: datetime
    read_at: datetime | None
    translated_title: str = Field(
        "", description='With "always translate": the title machine-translated, from the cache'
    )
    translated_language: str = Field("", description="The language of translated_title (empty: none)")


class NotificationsUnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    kind: str
    group_id: str | None
    push: bool
    email: bool
    digest: bool


class PreferenceIn(Schema):
    kind: Kind
    group_id: str | None = None
    push: bool
    email: bool
    digest: bool


class SettingsIO(Schema):
    quiet_from: LocalTime
    quiet_until: LocalTime
    digest: Literal["off", "daily", "weekly"]
    # Names in push titles (the sender of a message, a child's first name); left out: unchanged.
    push_names: bool | None = None


class PreferencesOut(Schema):
    settings: SettingsIO
    preferences: list[PreferenceOut]


class PushKeyOut(Schema):
    public_key: str


class PushSubscriptionIn(Schema):
    endpoint: str = Field(min_length=10, max_length=1000, pattern=r"^https?://")
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionOut(Schema):
    public_id: str
    endpoint: str


class DeliveryReportOut(Schema):
    recipients: int
    email_sent: int
    push_sent: int
    in_digest: int
    waiting: int
    failed: int
    failures: dict[str, int]


def notification_out(item) -> dict:
    d = item.dispatch
    return {
        "public_id": item.public_id,
        "kind": d.kind,
        "title": d.display_title,
        "note": item.note,
        "url": d.url,
        "urgent": d.urgent,
        "created_at": item.created_at,
        "read_at": item.read_at,
        "translated_title": getattr(item, "translated_title", ""),
        "translated_language": getattr(item, "reading_language", ""),
    }


@router.get("/", response=list[NotificationOut])
@paginate
def list_notifications(request):
    items = list(notifications_of(request.auth)[:500])
    with_translated_titles(items, always_language(request.auth))
    return [notification_out(n) for n in items]


@router.get("/unread", response=NotificationsUnreadOut)
def get_unread(request):
    return {"unread": unread_count(request.auth)}


@router.post("/{notification_id}/read", response=NotificationOut)
def mark_read(request, notification_id: str):
    notification = access_notification(request.auth, notification_id)
    actions.do_mark_read(acting_user=request.auth, notification=notification)
    notification.refresh_from_db()
    return notification_out(notification)


@router.post("/read-all", response=NotificationsUnreadOut)
def mark_all_read(request):
    actions.do_mark_read(acting_user=request.auth)
    return {"unread": 0}


def preferences_out(user) -> dict:
    settings = actions.settings_of(user)
    stored = list(Preference.objects.filter(user=user).select_related("group"))
    general = [p for p in stored if p.group_id is None]
    rows = [{"kind": kind, "group_id": None, **rules.wanted(kind, [], general)} for kind in KINDS]
    rows += [
        {"kind": p.kind, "group_id": p.group.public_id, "push": p.push, "email": p.email, "digest": p.digest}
        for p in stored
        if p.group_id is not None
    ]
    return {
        "settings": {
            "quiet_from": settings.quiet_from,
            "quiet_until": settings.quiet_until,
            "digest": settings.digest,
            "push_names": settings.push_names,
        },
        "preferences": rows,
    }


@router.get("/preferences", response=PreferencesOut)
def get_preferences(request):
    return preferences_out(request.auth)


@router.put("/preferences/settings", response=PreferencesOut)
def put_settings(request, payload: SettingsIO):
    actions.do_update_settings(acting_user=request.auth, **payload.dict())
    return preferences_out(request.auth)


@router.put("/preferences", response=PreferencesOut)
def put_preference(request, payload: PreferenceIn):
    group = access_group(request.auth, payload.group_id) if payload.group_id else None
    actions.do_set_preference(
        acting_user=request.auth,
        kind=payload.kind,
        group=group,
        push=payload.push,
        email=payload.email,
        digest=payload.digest,
    )
    return preferences_out(request.auth)


@router.get("/push-key", response=PushKeyOut)
def push_key(request):
    return {"public_key": vapid_keys()["public"]}


@router.post(
    "/push-subscriptions", response={201: PushSubscriptionOut}, url_name="notifications_push_subscribe"
)
def subscribe_push(request, payload: PushSubscriptionIn):
    subscription = actions.do_subscribe_push(acting_user=request.auth, **payload.dict())
    return Status(201, {"public_id": subscription.public_id, "endpoint": subscription.endpoint})


@router.delete("/push-subscriptions/{subscription_id}", response={204: None})
def unsubscribe_push(request, subscription_id: str):
    subscription = access_push_subscription(request.auth, subscription_id)
    actions.do_unsubscribe_push(acting_user=request.auth, subscription=subscription)
    return Status(204, None)


@router.get("/reports/{subject_type}/{subject_id}", response=DeliveryReportOut)
def get_report(request, subject_type: str, subject_id: str):
    report = delivery_report(access_subject_dispatches(request.auth, subject_type, subject_id))
    return report.__dict__
