"""Conversations: opening a teacher's inbox and sending a message, on SQLite and on PostgreSQL.

A teacher with two classes, 60 families and three school years of history (about 540 threads and
2,200 messages). Each database is set up in a child process (a throwaway SQLite file; the PostgreSQL
database bench_conversations on the local service, created and dropped here). Requests go through the
whole Django stack in-process (the test client: every middleware, the session, the access check).
"""

import json
import os
import statistics
import time

from bench._child import measure_on_both

PG_DATABASE = "bench_conversations"
SAMPLES = 200
SECONDS_PER_FIGURE = 20.0
TARGET_P95_MS = 50.0


def run() -> list[str]:
    load_before = os.getloadavg()[0]  # read before the children add their own load
    results = measure_on_both("conversations", pg_database=PG_DATABASE, timeout=170)
    lines = [
        f"teacher with 2 classes, 60 families, 3 school years; in-process WSGI, {SAMPLES} samples each"
        f" (target: p95 under {TARGET_P95_MS:.0f} ms)",
        f"load average before the run: {load_before:.1f}, after: {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} cores",
    ]
    for database, figures in results.items():
        if isinstance(figures, str):
            lines.append(f"  {database}: failed: {figures}")
            continue
        lines.append(f"  {database}: {figures['threads']} threads, {figures['messages']} messages")
        for key, label in (("inbox", "open the inbox (GET /messages/)"), ("send", "send a message (POST)")):
            figure = figures[key]
            verdict = "ok" if figure["p95"] < TARGET_P95_MS else "OVER TARGET"
            lines.append(
                f"    {label:<34} median {figure['median']:6.2f} ms  p95 {figure['p95']:6.2f} ms"
                f"  {figure['queries']:2d} queries  CPU median {figure['cpu_median']:5.2f} ms  [{verdict}]"
            )
    return lines


def _timed(fetch) -> dict:
    from django.db import connection

    fetch()  # warm caches
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        fetch()
    samples, cpu, started = [], [], time.perf_counter()
    while len(samples) < SAMPLES and time.perf_counter() - started < SECONDS_PER_FIGURE:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        fetch()
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    samples.sort()
    return {
        "cpu_median": statistics.median(cpu),
        "median": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "queries": len(queries),
        "samples": len(samples),
    }


def build_history():
    """Three school years of a teacher's two classes, 30 families each, threads with a few messages."""
    import datetime

    from django.utils import timezone

    from conversations.models import Conversation, Message, Participant
    from core.testing import build_world
    from schools.models import Group, Guardianship, Pupil, SchoolYear, TeachingAssignment

    world = build_world()
    school = world.school
    oldest = SchoolYear.objects.create(
        school=school,
        name="oldest",
        starts_on=world.last_year.starts_on.replace(year=world.last_year.starts_on.year - 1),
        ends_on=world.last_year.ends_on.replace(year=world.last_year.ends_on.year - 1),
    )
    # The persona world's teacher (two-factor and first sign-in done), now with two classes a year.
    teacher = world.teacher
    TeachingAssignment.objects.filter(teacher=teacher).delete()
    from accounts.models import User
    from schools.models import Enrolment

    parents = User.objects.bulk_create(
        User(email=f"gezin{number}@bench.test", first_name="Ouder", last_name=f"{number}")
        for number in range(60)
    )
    children = Pupil.objects.bulk_create(
        Pupil(school=school, first_name="Kind", last_name=f"{number}") for number in range(60)
    )
    Guardianship.objects.bulk_create(
        Guardianship(guardian=parent, pupil=child) for parent, child in zip(parents, children, strict=True)
    )
    now = timezone.now()
    for age, year in enumerate([world.year, world.last_year, oldest]):
        groups = [Group.objects.create(school=school, school_year=year, name=f"Groep {k}") for k in (5, 6)]
        for group in groups:
            TeachingAssignment.objects.create(teacher=teacher, group=group)
        Enrolment.objects.bulk_create(
            Enrolment(pupil=child, group=groups[index % 2], school_year=year)
            for index, child in enumerate(children)
        )
        threads = []
        for index, (parent, child) in enumerate(zip(parents, children, strict=True)):
            for thread in range(3):
                moment = now - datetime.timedelta(days=365 * age + thread * 20 + index % 7)
                threads.append(
                    Conversation(
                        school=school,
                        school_year=year,
                        pupil=child,
                        group=groups[index % 2],
                        subject=f"Vraag {thread}",
                        started_by=parent,
                        created_at=moment,
                        last_message_at=moment,
                        last_message_by=parent,
                    )
                )
        threads = Conversation.objects.bulk_create(threads)
        Participant.objects.bulk_create(
            Participant(conversation=c, user_id=c.started_by_id, last_read_at=c.last_message_at)
            for c in threads
        )
        Message.objects.bulk_create(
            Message(
                conversation=c,
                author_id=c.started_by_id if n % 2 == 0 else teacher.id,
                body="Goedemorgen, een korte vraag over morgen. " * 2,
                created_at=c.last_message_at,
            )
            for c in threads
            for n in range(4)
        )
    return world, teacher


def measure() -> None:
    """The child process: build the history and time the inbox and sending."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from conversations.models import Conversation, Message
    from core.testing import sign_in

    world, teacher = build_history()
    client = sign_in(Client(), teacher)
    threads = Conversation.objects.count()
    thread = (
        Conversation.objects.filter(group__teaching__teacher=teacher).order_by("-last_message_at").first()
    )

    def inbox():
        response = client.get("/messages/")
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'data-testid="conversation"') == 30

    def send():
        response = client.post(f"/messages/{thread.public_id}/send/", {"body": "Dank u, ik kijk ernaar."})
        assert response.status_code == 302, response.status_code

    figures = {"inbox": _timed(inbox), "send": _timed(send)}
    figures.update(threads=threads, messages=Message.objects.count())
    print(json.dumps(figures))
