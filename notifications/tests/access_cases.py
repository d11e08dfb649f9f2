from core.access_matrix import AccessCase, also_posted
from notifications.tests.helpers import (
    SAMPLE_AUTH,
    SAMPLE_P256DH,
    deliver_now,
    notification_for,
    post_event,
    push_subscription_for,
)

BOGUS_TOKEN = "not-a-real-token-0123456789abcdefghijklmno"


def report_path(world, prefix: str) -> str:
    deliver_now(
        post_event(world, recipients=[world.parent], actor=world.teacher, subject_id="ReportPost000001")
    )
    return f"{prefix}post/ReportPost000001"


def page(key, path, **extra) -> AccessCase:
    return AccessCase(key=key, path=path, allowed="parent", **extra)


def api(key, path, **extra) -> AccessCase:
    extra.setdefault("allowed", "parent")
    return AccessCase(key=key, path=path, kind="api", **extra)


def public(key, path) -> AccessCase:
    return AccessCase(key=key, path=lambda w: path, kind="public", anonymous_status=200)


OWNERLESS = ("outsider", "co_parent", "other_board_parent")
# Parents of other groups and schools: their own notifications and preferences must not show the parent's.
OTHERS = ("outsider", "other_school_parent", "other_board_parent")
GROUP3 = lambda w: "Groep 3"  # noqa: E731  the parent's child's group, in their notifications and preferences


def notified(path: str):
    """The path, after the parent has been notified of a post in Groep 3."""

    def build(w) -> str:
        notification_for(w, w.parent)
        return path

    return build


def with_group_preference(path: str):
    """The path, after the parent has chosen how to hear about Groep 3 (a per-group preference)."""

    def build(w) -> str:
        from notifications.actions import do_set_preference

        do_set_preference(
            acting_user=w.parent, kind="post.published", group=w.group3, push=False, email=True, digest=False
        )
        return path

    return build


def with_quiet_hours(path: str):
    """The path, after the parent has chosen quiet hours until an unusual minute (06:43)."""

    def build(w) -> str:
        import datetime

        from notifications.actions import do_update_settings

        do_update_settings(
            acting_user=w.parent,
            quiet_from=datetime.time(21, 0),
            quiet_until=datetime.time(6, 43),
            digest="daily",
        )
        return path

    return build


GROUP3_ID = lambda w: w.group3.public_id  # noqa: E731


def group4_known(w) -> str:
    """Case data is fixed, so Groep 4 (the outsider's child's group, not the parent's) gets a known id."""
    w.group4.public_id = "Groep4Groep4Gr04"
    w.group4.save(update_fields=["public_id"])
    return "/api/v1/notifications/preferences"


CASES = [
    page("notifications:list", notified("/notifications/"), outsiders=OWNERLESS, secret=GROUP3),
    page(
        "notifications:open",
        lambda w: f"/notifications/{notification_for(w, w.parent)}/open/",
        method="post",
        allowed_status=302,
        outsiders=OWNERLESS,
    ),
    page("notifications:read_all", lambda w: "/notifications/read-all/", method="post", allowed_status=302),
    page(
        "notifications:preferences",
        with_quiet_hours("/notifications/preferences/"),
        outsiders=OTHERS,
        secret=lambda w: "06:43",
    ),
    page(
        "notifications:digest_preview", notified("/notifications/digest/"), outsiders=OWNERLESS, secret=GROUP3
    ),
    AccessCase(
        key="notifications:report",
        path=lambda w: report_path(w, "/notifications/report/") + "/",
        allowed="teacher",
        outsiders=("parent", "duo_teacher", "other_school_parent", "other_board_parent"),
    ),
    AccessCase(
        key="notifications:unsubscribe",
        path=lambda w: f"/notifications/unsubscribe/{BOGUS_TOKEN}/",
        kind="token",
        anonymous_status=404,
    ),
    public("notifications:service_worker", "/notifications/sw.js"),
    public("notifications:manifest", "/notifications/manifest.webmanifest"),
    api("api:notifications/", notified("/api/v1/notifications/"), outsiders=OWNERLESS, secret=GROUP3),
    api("api:notifications/unread", lambda w: "/api/v1/notifications/unread"),
    api(
        "api:notifications/<notification_id>/read",
        lambda w: f"/api/v1/notifications/{notification_for(w, w.parent)}/read",
        method="post",
        outsiders=OWNERLESS,
    ),
    api("api:notifications/read-all", lambda w: "/api/v1/notifications/read-all", method="post"),
    api(
        "api:notifications/preferences",
        with_group_preference("/api/v1/notifications/preferences"),
        outsiders=OTHERS,
        secret=GROUP3_ID,
    ),
    api(
        "api:notifications/preferences",
        with_group_preference("/api/v1/notifications/preferences"),
        method="put",
        data={"kind": "post.published", "push": True, "email": True, "digest": False},
        outsiders=OTHERS,
        secret=GROUP3_ID,
    ),
    # A group that is not yours is a 404, like a missing one: Groep 4 is the outsider's, not the parent's.
    api(
        "api:notifications/preferences",
        group4_known,
        method="put",
        data={
            "kind": "post.published",
            "group_id": "Groep4Groep4Gr04",
            "push": True,
            "email": True,
            "digest": False,
        },
        allowed="outsider",
        outsiders=("parent",),
    ),
    api(
        "api:notifications/preferences/settings",
        lambda w: "/api/v1/notifications/preferences/settings",
        method="put",
        data={"quiet_from": "22:00", "quiet_until": "06:30", "digest": "daily"},
    ),
    api("api:notifications/push-key", lambda w: "/api/v1/notifications/push-key"),
    api(
        "api:notifications/push-subscriptions",
        lambda w: "/api/v1/notifications/push-subscriptions",
        method="post",
        data={
            "endpoint": "https://push.example.test/abc",
            "p256dh": SAMPLE_P256DH,
            "auth": SAMPLE_AUTH,
        },
        allowed_status=201,
    ),
    api(
        "api:notifications/push-subscriptions/<subscription_id>",
        lambda w: f"/api/v1/notifications/push-subscriptions/{push_subscription_for(w.parent)}",
        method="delete",
        allowed_status=204,
        outsiders=OWNERLESS,
    ),
    api(
        "api:notifications/reports/<subject_type>/<subject_id>",
        lambda w: report_path(w, "/api/v1/notifications/reports/"),
        allowed="director",
        outsiders=("parent", "duo_teacher", "other_board_parent"),
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "notifications:preferences",
    "notifications:unsubscribe",
)
