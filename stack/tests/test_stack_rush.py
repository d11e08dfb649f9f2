"""A reduced morning rush through the production stack, and the same rush with a fault in the middle:
Redis restarted empty, the object store down for 10 s during the uploads, one app process restarted.
(The module runs after test_stack.py, whose worker-kill drill finds the workers by their registration in
Redis, which the Redis drill here wipes.)

Each rush: parents arriving over a few seconds (home, feed with thumbnails, a post, messages; some report
a child sick), two teachers uploading photos and writing to parents, and a school-wide post fanned out to
every family halfway (bench.rush, the benchmark's own code, with smaller sizes). After each: every
delivery of the fan-out sent exactly once, every upload processed, nothing answered 500.
"""

import threading
import time
from dataclasses import replace

import psycopg
import pytest
import redis

from bench.rush import Result, Sizes, report, rush
from stack.services import Stack
from stack.tests.conftest import mail_copies

pytestmark = pytest.mark.stack

REDUCED = Sizes(parents=30, seconds=10, teachers=2, photos=3, absences=6, families=150, grace=90)
FAULTED = Sizes(parents=16, seconds=8, teachers=2, photos=3, absences=3, families=150, grace=90)
# The faults that are not about the queue: the same rush without the school-wide post (its fan-out is
# the slowest part of a rush here, and the reduced rush and the Redis drill have it).
QUIET = replace(FAULTED, fan_out=False)


def rows(stack: Stack, sql: str, *params):
    with psycopg.connect(stack.database_url) as connection:
        return connection.execute(sql, params).fetchall()


def once_at(seconds: float, action):
    """A `during` callback for rush(): run `action` once, `seconds` into the rush (in its own thread, so
    the load sampling goes on while the fault lasts).

    A test calls `during.join()` after the rush, before it checks anything: a quiet machine answers the
    reduced rush sooner than the object store's 10 s outage ends, and a check made then saw the fault half
    done. join() also fails the test when the action itself failed (a thread's exception is only printed)."""
    state = {}

    def run():
        try:
            action()
        except BaseException as error:  # handed to the test by join()
            state["error"] = error

    def during(elapsed: float):
        if elapsed >= seconds and "thread" not in state:
            state["thread"] = threading.Thread(target=run, daemon=True)
            state["thread"].start()

    def join(timeout: float = 120):
        assert "thread" in state, f"the rush ended before its fault was due ({seconds} s in)"
        state["thread"].join(timeout)
        assert not state["thread"].is_alive(), f"the fault still runs {timeout:.0f} s after the rush"
        if "error" in state:
            raise state["error"]

    during.join = join
    return during


def uploads_processed(stack: Stack, result: Result, *, seconds: float = 90) -> dict[str, int]:
    """Wait until every file uploaded during the rush is out of the queue; their states."""
    sql = "SELECT status, count(*) FROM media_mediafile WHERE created_at >= to_timestamp(%s) GROUP BY status"
    deadline = time.monotonic() + seconds
    while True:
        states = dict(rows(stack, sql, result.started))
        if not {"uploaded", "processing"} & set(states) or time.monotonic() > deadline:
            return states
        time.sleep(1)


def assert_answers_and_saves(stack: Stack, result: Result, *, outage_allowed: bool = False):
    """No 500 ever; a 503 (only where an outage is expected) says when to come back; what was answered
    201 is saved, and nothing more (no half-saved post, upload or absence)."""
    assert not [r for r in result.records if r["status"] >= 500 and r["status"] != 503], result.errors()[:5]
    unavailable = result.statuses(503)
    assert all(r["retry_after"] for r in unavailable), unavailable[:3]
    if not outage_allowed:
        assert result.errors() == [], result.errors()[:5]
    director = 1 if result.sizes.fan_out else 0
    assert result.done == {
        "parents": result.sizes.parents,
        "teachers": result.sizes.teachers,
        "director": director,
    }
    answered = {kind: sum(1 for r in items if r["status"] == 201) for kind, items in result.kinds().items()}
    since = result.started
    saved = {
        "upload": "SELECT count(*) FROM media_mediafile WHERE created_at >= to_timestamp(%s)",
        "report absence": "SELECT count(*) FROM absences_absence WHERE created_at >= to_timestamp(%s)",
        "create post": (
            "SELECT count(*) FROM posts_post p JOIN schools_staffrole r ON r.user_id = p.author_id"
            " AND r.role = 'teacher' WHERE p.created_at >= to_timestamp(%s)"
        ),
    }
    for kind, sql in saved.items():
        [(count,)] = rows(stack, sql, since)
        assert count == answered.get(kind, 0), f"{kind}: {count} saved, {answered.get(kind, 0)} answered 201"


def assert_fan_out_sent_once(stack: Stack, result: Result):
    assert result.fan_out.get("complete"), result.fan_out
    assert set(result.fan_out["states"]) <= {"sent", "skipped"}, result.fan_out
    emails = rows(
        stack,
        "SELECT d.id FROM notifications_delivery d JOIN notifications_dispatch p ON p.id = d.dispatch_id"
        " WHERE p.subject_type = 'post' AND p.subject_id = %s AND d.channel = 'email' AND d.state = 'sent'",
        result.published["id"],
    )
    assert len(emails) >= result.world["guardians"] - 10  # every family's guardians (staff aside)
    copies = mail_copies(stack)
    ids = {f"<delivery-{pk}@schoolplein.example>" for (pk,) in emails}
    assert ids <= set(copies), f"{len(ids - set(copies))} deliveries never reached the SMTP sink"
    twice = [mid for mid in ids if len(copies[mid]) > 1]
    assert len(twice) <= 1, f"only the one in flight may go twice (same Message-ID), not {len(twice)}"


def test_a_reduced_morning_rush_has_no_errors_and_completes_its_fan_out(stack):
    result = rush(stack, REDUCED)
    print("\n".join(report(result)))
    assert result.world["families"] >= REDUCED.families
    assert_answers_and_saves(stack, result)
    assert_fan_out_sent_once(stack, result)
    kinds = result.kinds()
    assert len(kinds["thumbnail"]) >= REDUCED.parents  # the feed showed photos and each was asked for
    assert all(r["status"] == 302 for r in kinds["thumbnail"])  # a redirect to the object store
    assert uploads_processed(stack, result) == {"ready": REDUCED.teachers * REDUCED.photos}


def test_redis_restarted_empty_mid_fan_out_loses_no_delivery_and_no_upload(stack):
    """Redis keeps nothing on disk here: its restart loses every queued job. The ledgers (delivery rows,
    the uploads' next_try_at) are in PostgreSQL, and the tick queues again what was lost."""
    lost = {}

    def restart():
        connection = redis.Redis.from_url(stack.stack_redis_url)
        queued = connection.lrange("rq:queue:default", 0, -1)
        queued += connection.zrange("rq:scheduled:default", 0, -1)
        lost["jobs"] = len(queued)
        stack.restart_service("redis")
        # What was queued is gone (the workers re-register and the rush queues new jobs at once, so the
        # new server is not empty for long: ask for the old jobs themselves).
        after = redis.Redis.from_url(stack.stack_redis_url)
        lost["after"] = sum(after.exists(b"rq:job:" + job_id) for job_id in queued)

    # Just after the director's post (halfway): its fan-out and sending jobs are in the queue then.
    during = once_at(FAULTED.seconds / 2 + 1, restart)
    result = rush(stack, FAULTED, during=during)
    during.join()
    print("\n".join(report(result)), lost)
    assert lost["jobs"] > 0 and lost["after"] == 0, f"the restart lost no queued job: {lost}"
    assert_answers_and_saves(stack, result, outage_allowed=True)
    assert_fan_out_sent_once(stack, result)
    assert uploads_processed(stack, result) == {"ready": FAULTED.teachers * FAULTED.photos}
    assert not stack.dead(), "nginx, the object store, the mail sink and Redis all run"


def test_the_object_store_down_for_10_seconds_during_uploads_loses_no_upload(stack):
    """The uploads are kept in quarantine until the store is back; their processing waits (not counted
    as the file's fault) and then succeeds. Pages answer, or say 503 with Retry-After: never 500."""
    back = {}

    def outage():
        stack.restart_service("s3", down_seconds=10)
        back["at"] = time.time()

    during = once_at(1, outage)
    result = rush(stack, QUIET, during=during)
    during.join()
    print("\n".join(report(result)))
    assert back, "the object store was stopped and started again"
    assert_answers_and_saves(stack, result, outage_allowed=True)
    assert uploads_processed(stack, result) == {"ready": QUIET.teachers * QUIET.photos}
    # The outage met the processing: a worker found the store unreachable (and tried again later).
    logs = "".join(stack.log_tail(name, 400) for name in stack.processes if name.startswith("worker-"))
    assert "processing media" in logs and "Could not connect to the endpoint" in logs
    # moto keeps its objects in memory (they went with the restart): what was made after it is there.
    renditions = rows(
        stack,
        "SELECT r.storage_name FROM media_rendition r JOIN media_mediafile m ON m.id = r.media_id"
        " WHERE m.ready_at >= to_timestamp(%s)",
        back["at"],
    )
    assert len({name for (name,) in renditions}) >= QUIET.teachers * QUIET.photos
    assert {name for (name,) in renditions} <= set(stack.s3_objects())


def test_an_app_process_restarted_mid_rush_costs_no_request(stack):
    """`systemctl restart` of one gunicorn: it finishes what it holds; nginx sends the rest to the other."""
    web = next(name for name in stack.processes if name.startswith("web-"))
    before = stack.processes[web].pid
    during = once_at(QUIET.seconds / 2, lambda: stack.restart(web))
    result = rush(stack, QUIET, during=during)
    during.join()
    print("\n".join(report(result)))
    assert stack.processes[web].pid != before, "the app process was restarted"
    assert_answers_and_saves(stack, result)
    assert uploads_processed(stack, result) == {"ready": QUIET.teachers * QUIET.photos}
