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

CASES = [
    page("notifications:list", lambda w: "/notifications/"),
    page(
        "notifications:open",
        lambda w: f"/notifications/{notification_for(w, w.parent)}/open/",
        method="post",
        allowed_status=302,
        outsiders=OWNERLESS,
    ),
    page("notifications:read_all", lambda w: "/notifications/read-all/", method="post", allowed_status=302),
    page("notifications:preferences", lambda w: "/notifications/preferences/"),
    page("notifications:digest_preview", lambda w: "/notifications/digest/"),
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
    api("api:notifications/", lambda w: "/api/v1/notifications/"),
    api("api:notifications/unread", lambda w: "/api/v1/notifications/unread"),
    api(
        "api:notifications/<notification_id>/read",
        lambda w: f"/api/v1/notifications/{notification_for(w, w.parent)}/read",
        method="post",
        outsiders=OWNERLESS,
    ),
    api("api:notifications/read-all", lambda w: "/api/v1/notifications/read-all", method="post"),
    api("api:notifications/preferences", lambda w: "/api/v1/notifications/preferences"),
    api(
        "api:notifications/preferences",
        lambda w: "/api/v1/notifications/preferences",
        method="put",
        data={"kind": "post.published", "push": True, "email": True, "digest": False},
    ),
    # A group that is not yours is a 404, like a missing one.
    api(
        "api:notifications/preferences",
        lambda w: "/api/v1/notifications/preferences",
        method="put",
        data={
            "kind": "post.published",
            "group_id": "Groep4Groep4Gr04",
            "push": True,
            "email": True,
            "digest": False,
        },
        allowed=None,
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
