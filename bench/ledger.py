"""What the notification ledger costs on disk in PostgreSQL: bytes per delivery row and per in-app item,
tables and indexes together, after a school-wide post's worth of fan-outs (for docs/capacity.md).

Built in a child on a scratch PostgreSQL database through the models (bulk, as do_fan_out writes them):
FAMILIES families with two guardians, POSTS school-wide posts, each with an email and a push row per
guardian (the rush's shape: one sent, one skipped) and an in-app item.
"""

import json
import os
import tempfile

from bench._child import ChildFailed, run_measure, scratch_postgres

PG_DATABASE = "bench_ledger"
FAMILIES = 400
POSTS = 60


def measure() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from core.testing import make_school
    from notifications.models import Delivery, Dispatch, Notification
    from schools.models import Board

    school = make_school(Board.objects.create(name="Stichting Bench"), "De Bench").school
    User.objects.bulk_create(
        [User(email=f"ouder{i}@example.test", first_name="Ouder") for i in range(2 * FAMILIES)]
    )
    users = list(User.objects.values_list("pk", flat=True))
    now = timezone.now()

    def sizes() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('notifications_delivery'),"
                " pg_total_relation_size('notifications_notification'),"
                " pg_total_relation_size('notifications_dispatch')"
            )
            delivery, notification, dispatch = cursor.fetchone()
        return {"delivery": delivery, "notification": notification, "dispatch": dispatch}

    before = sizes()
    for n in range(POSTS):
        dispatch = Dispatch.objects.create(
            kind="post.published",
            school=school,
            subject_type="post",
            subject_id=f"BenchPost{n:06d}",
            url="/",
            title="New post in %(group)s",
            title_params={"group": "De Bench"},
            data={"text": "Vrijdag zijn alle leerlingen vrij. " * 4},
            fanned_out_at=now,
        )
        Notification.objects.bulk_create([Notification(user_id=u, dispatch=dispatch) for u in users])
        Delivery.objects.bulk_create(
            [
                Delivery(
                    dispatch=dispatch, user_id=u, channel=channel, state=state, sent_at=sent, reason=reason
                )
                for u in users
                for channel, state, sent, reason in (
                    ("email", "sent", now, ""),
                    ("push", "skipped", None, "no_device"),
                )
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE notifications_delivery")
        cursor.execute("VACUUM ANALYZE notifications_notification")
    after = sizes()
    rows = {"delivery": POSTS * len(users) * 2, "notification": POSTS * len(users), "dispatch": POSTS}
    print(json.dumps({kind: (after[kind] - before[kind]) / rows[kind] for kind in rows} | {"rows": rows}))


def run() -> list[str]:
    lines = [f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"]
    with (
        tempfile.TemporaryDirectory(prefix="bench-ledger-") as data_dir,
        scratch_postgres(PG_DATABASE) as url,
    ):
        if url is None:
            return [*lines, "  PostgreSQL: not available on 127.0.0.1:5432"]
        try:
            figures = run_measure("ledger", database_url=url, data_dir=data_dir, timeout=600)
        except ChildFailed as failed:
            return [*lines, "  failed: " + "\n".join(failed.tail[-8:])]
    rows = figures["rows"]
    lines.append(
        f"{POSTS} school-wide posts to {FAMILIES} families ({rows['delivery']:,} delivery rows,"
        f" {rows['notification']:,} in-app items), PostgreSQL, tables with their indexes:"
    )
    lines.append(
        f"  {figures['delivery']:.0f} bytes per delivery row, {figures['notification']:.0f} per in-app item"
    )
    return lines
