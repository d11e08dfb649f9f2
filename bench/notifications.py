"""Notifications: a school-wide post to 400 families, and the weekly digest for a board of 10,000 guardians.

Each deployment runs in child processes with its own throwaway SQLite database (the embedded stack), with
the database task queue or Redis + RQ (127.0.0.1:6379), two workers each (one per core of a small server).
The mail server (aiosmtpd) and the web push service (checks VAPID, decrypts every payload) run in this
process on loopback.

Fan-out: the director posts through the timeline API (in-process test client, the whole Django stack);
we time that request, then the time until every email and every push has been handed to the peers.
Digest: 10,000 guardians with five posts each waiting for the newsletter; the weekly digest run is timed
in the child process, with the child's peak resident memory.
"""

import json
import os
import time

FAMILIES = 400
DIGEST_GUARDIANS = 10_000
FANOUT_SECONDS_TARGET = 10
REQUEST_MS_TARGET = 150
DIGEST_SECONDS_TARGET = 120

POST = """
import json, os, time
from django.test import Client
from accounts.models import User
from core.testing import make_school, make_staff, sign_in
from notifications.models import Preference, PushSubscription
from schools.models import Board, Enrolment, Group, Guardianship, Pupil
families = int(os.environ["FAMILIES"])
devices = json.load(open(os.environ["DEVICES"]))
board = Board.objects.create(name="Stichting Bench")
s = make_school(board, "De Bench")
director = make_staff(s.school, "directie@bench.test", "Ilse", "van der Plas", "director")
klas = Group.objects.create(school=s.school, school_year=s.year, name="Groep 5")
User.objects.bulk_create(
    [User(email=f"ouder{i}@example.test", first_name="Ouder", last_name=str(i)) for i in range(2 * families)]
)
users = list(User.objects.filter(email__startswith="ouder").order_by("pk"))
Pupil.objects.bulk_create(
    [Pupil(school=s.school, first_name="Kind", last_name=str(i)) for i in range(families)]
)
pupils = list(Pupil.objects.filter(school=s.school).order_by("pk"))
Enrolment.objects.bulk_create([Enrolment(pupil=p, group=klas, school_year=s.year) for p in pupils])
Guardianship.objects.bulk_create([Guardianship(guardian=users[2 * i + j], pupil=p, relation="parent")
                                  for i, p in enumerate(pupils) for j in (0, 1)])
Preference.objects.bulk_create(
    [Preference(user=u, kind="post.published", push=True, email=True, digest=False) for u in users]
)
PushSubscription.objects.bulk_create([PushSubscription(user=u, **d) for u, d in zip(users, devices)])
client = sign_in(Client(), director)
client.get("/api/v1/me")
posted_at = time.time()
started = time.perf_counter()
response = client.post("/api/v1/posts", {"groups": [s.wide.public_id], "title": "Studiedag vrijdag",
                       "body": "Vrijdag zijn alle leerlingen vrij."}, content_type="application/json")
ms = (time.perf_counter() - started) * 1000
print(json.dumps({"status": response.status_code, "ms": ms, "posted_at": posted_at, "guardians": len(users)}))
"""

DIGEST = """
import datetime, json, os, resource, time
from django.utils import timezone
from accounts.models import User
from core.testing import make_school
from notifications import digest
from notifications.models import Delivery, Dispatch
from schools.models import Board
n = int(os.environ["GUARDIANS"])
board = Board.objects.create(name="Stichting Bench")
school = make_school(board, "De Bench").school
User.objects.bulk_create([User(email=f"ouder{i}@example.test", first_name="Ouder") for i in range(n)],
                         batch_size=2000)
users = list(User.objects.values_list("pk", flat=True))
now = timezone.now()
for day in range(5):
    d = Dispatch.objects.create(kind="post.published", school=school, subject_type="post",
        subject_id=f"DigestPost{day:06d}", url="/", title="New post in %(group)s",
        title_params={"group": "Groep 3"}, data={"text": "Nieuws uit de klas. " * 20},
        created_at=now - datetime.timedelta(days=day, hours=1), fanned_out_at=now)
    Delivery.objects.bulk_create([Delivery(dispatch=d, user_id=u, channel="email", state="skipped",
        reason="digest") for u in users], batch_size=2000)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
sent = digest.do_send_digests(frequency="weekly", now=now)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"sent": sent, "seconds": seconds, "peak_kb": peak, "before_kb": before}))
"""


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def fan_out(backend: str, workers: int) -> list[str]:
    import tempfile

    from notifications.tests.peers import Mailbox, PushService
    from notifications.tests.stack import Stack

    mailbox = Mailbox(parse=False)
    mailbox.start()
    stack = Stack(smtp_port=mailbox.port, backend=backend)
    push = PushService(stack.vapid_public)
    label = f"{'database queue' if backend == 'db' else 'Redis + RQ'}, {workers} worker{'s' * (workers > 1)}"
    try:
        stack.migrate()
        devices = [push.device(f"d{i}") for i in range(2 * FAMILIES)]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(
                [{"endpoint": d.endpoint, "p256dh": d.p256dh, "auth": d.auth_b64} for d in devices], handle
            )
        for _ in range(workers):
            stack.start_worker()
        posted = stack.shell(POST, FAMILIES=FAMILIES, DEVICES=handle.name)
        os.unlink(handle.name)
        if posted["status"] != 201:
            return [f"  {label}: the post request answered {posted['status']}"]
        expected = posted["guardians"]
        done = wait_for(lambda: mailbox.count >= expected and len(push.received) >= expected, timeout=120)
        elapsed = time.time() - posted["posted_at"]
        lines = [
            f"  {label}: posting request {posted['ms']:.0f} ms (target < {REQUEST_MS_TARGET} ms)",
            f"  {label}: {mailbox.count} emails + {len(push.received)} pushes handed over in {elapsed:.1f} s"
            f" (target < {FANOUT_SECONDS_TARGET} s){'' if done else ' -- INCOMPLETE after 120 s'}",
        ]
        if push.errors:
            lines.append(f"  push service complaints: {sorted(set(push.errors))}")
        return lines
    finally:
        stack.close()
        push.stop()
        mailbox.stop()


def weekly_digest() -> list[str]:
    from notifications.tests.peers import Mailbox
    from notifications.tests.stack import Stack

    mailbox = Mailbox(parse=False)
    mailbox.start()
    stack = Stack(smtp_port=mailbox.port)
    try:
        stack.migrate()
        result = stack.shell(DIGEST, GUARDIANS=DIGEST_GUARDIANS)
        return [
            f"  weekly digest for {DIGEST_GUARDIANS:,} guardians (5 items each, SQLite):"
            f" {result['sent']:,} emails,"
            f" {result['seconds']:.1f} s (target < {DIGEST_SECONDS_TARGET} s),"
            f" peak memory of the process {result['peak_kb'] / 1024:.0f} MB"
            f" ({(result['peak_kb'] - result['before_kb']) / 1024:.0f} MB more than before the run);"
            f" mail server received {mailbox.count:,}",
        ]
    finally:
        stack.close()
        mailbox.stop()


def run() -> list[str]:
    lines = [
        f"school-wide post to {FAMILIES} families"
        f" ({2 * FAMILIES} guardians, each with email and a push device)",
        f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    lines += fan_out("db", 2)
    try:
        from redis import Redis

        Redis.from_url("redis://127.0.0.1:6379/13").ping()
        lines += fan_out("rq", 2)
    except Exception as exc:  # noqa: BLE001
        lines.append(f"  Redis + RQ: skipped, Redis not reachable on 127.0.0.1:6379 ({type(exc).__name__})")
    lines += weekly_digest()
    return lines
