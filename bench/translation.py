"""Translation: a school-wide post read by 400 families in 6 languages, on SQLite and on PostgreSQL.

The engine is the local LibreTranslate peer of the tests (fixed dictionary), started in the child process.
Every family asks for the post in its language through the whole stack (the page's fragment URL, tasks run
at once); the peer counts the engine calls (target: one per language, 6). Publishing also plans the
notice, whose title and text are translated ahead for the families that always translate: one more call
per language, counted apart. Then the post page and the notification list are timed for a family that
always translates (the translations come from the cache) against a family that does not (target: within
5 ms).
"""

import json
import os
import re
import statistics
import time

from bench._child import measure_on_both

PG_DATABASE = "bench_translation"
FAMILIES = 400
LANGUAGES = ["ar", "tr", "pl", "uk", "en", "ti"]
SAMPLES = 200
TARGET_CALLS = len(LANGUAGES)
TARGET_EXTRA_MS = 5.0


def run() -> list[str]:
    results = measure_on_both("translation", pg_database=PG_DATABASE, timeout=400)
    lines = [
        f"a school-wide post, {FAMILIES} families reading it in {len(LANGUAGES)} languages; in-process WSGI,"
        f" {SAMPLES} samples per page (targets: {TARGET_CALLS} engine calls; warm translated page within"
        f" {TARGET_EXTRA_MS:.0f} ms of the untranslated one)",
        f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    for database, figures in results.items():
        if isinstance(figures, str):
            lines.append(f"  {database}: failed: {figures}")
            continue
        calls = figures["engine_calls"]
        lines.append(
            f"  {database}: engine calls for the post {calls} for {figures['requests']} requests"
            f"  [{'ok' if calls == TARGET_CALLS else 'OVER TARGET'}]; for its notice (title and text,"
            f" asked ahead) {figures['notice_calls']}; all calls {figures['all_calls']}"
        )
        for page in ("post page", "notification list"):
            plain, translated = figures[f"untranslated {page}"], figures[f"translated {page}"]
            extra = translated["median"] - plain["median"]
            for label, figure in ((f"untranslated {page}", plain), ("translated (warm cache)", translated)):
                lines.append(
                    f"    {label:<31} median {figure['median']:6.2f} ms  p95 {figure['p95']:6.2f} ms"
                    f"  {figure['queries']:2d} queries"
                )
            verdict = "ok" if extra <= TARGET_EXTRA_MS else "OVER TARGET"
            lines.append(f"    difference of the medians {extra:+.2f} ms  [{verdict}]")
            paired = figures[f"paired {page}"]
            lines.append(f"    median of the paired differences (sample by sample) {paired:+.2f} ms")
    return lines


def _queries(fetch) -> int:
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        fetch()
    return len(queries)


def _timed_pair(**fetches) -> dict:
    """Time the pages in turn, sample by sample, so a busy machine slows both alike; with the medians, the
    median of the differences within each pair of samples taken one after the other (a busy machine moves
    both medians by more than the difference sought, a pair's two samples far less)."""
    samples: dict[str, list[float]] = {name: [] for name in fetches}
    for fetch in fetches.values():
        fetch()
    for _ in range(SAMPLES):
        for name, fetch in fetches.items():
            begin = time.perf_counter()
            fetch()
            samples[name].append((time.perf_counter() - begin) * 1000)
    first, second = samples.values()
    figures = {"paired": statistics.median(b - a for a, b in zip(first, second, strict=True))}
    for name, taken in samples.items():
        taken = sorted(taken)
        figures[name] = {
            "median": statistics.median(taken),
            "p95": taken[min(len(taken) - 1, int(len(taken) * 0.95))],
            "queries": _queries(fetches[name]),
        }
    return figures


def measure() -> None:
    """The child process: the peer, the school, 400 families; count engine calls, time the page."""
    from translation.testing import LibreTranslatePeer

    with LibreTranslatePeer() as peer:
        os.environ["TRANSLATION_LIBRETRANSLATE_URL"] = peer.url
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        figures = _measure(peer)
    print(json.dumps(figures))


def _measure(peer) -> dict:
    from django.test import Client

    from accounts.models import User
    from core.testing import build_world, sign_in
    from core.viewer import verified
    from posts.actions import Draft, check_publish_post
    from schools.models import Enrolment, Guardianship, Pupil
    from translation.models import ReadingPreference, SchoolTranslation

    world = build_world()
    SchoolTranslation.objects.create(school=world.school, engine="libretranslate")
    parents = User.objects.bulk_create(
        User(email=f"gezin{number}@bench.test", first_name="Ouder", last_name=f"{number}")
        for number in range(FAMILIES)
    )
    children = Pupil.objects.bulk_create(
        Pupil(school=world.school, first_name="Kind", last_name=f"{number}") for number in range(FAMILIES)
    )
    Guardianship.objects.bulk_create(
        Guardianship(guardian=parent, pupil=child) for parent, child in zip(parents, children, strict=True)
    )
    groups = [world.group3, world.group4, world.group6]
    Enrolment.objects.bulk_create(
        Enrolment(pupil=child, group=groups[index % 3], school_year=world.year)
        for index, child in enumerate(children)
    )
    ReadingPreference.objects.bulk_create(
        ReadingPreference(user=parent, language=LANGUAGES[index % len(LANGUAGES)], always=True)
        for index, parent in enumerate(parents)
    )
    body = "<p>Beste ouders, morgen is er <strong>geen school</strong>.</p><ul><li>Groep 8</li></ul>" * 3
    post = check_publish_post(
        acting_user=verified(world.director), groups=[world.wide], draft=Draft(title="Studiedag", body=body)
    )
    from moderation.testing import accept_all_rules

    accept_all_rules()
    requests = 0
    for index, parent in enumerate(parents):
        client = sign_in(Client(), parent)
        answer = client.get(f"/translate/post/{post.public_id}/?to={LANGUAGES[index % len(LANGUAGES)]}")
        assert answer.status_code == 200, answer.status_code
        assert b'data-testid="translated"' in answer.content
        requests += 1

    reader = sign_in(Client(), parents[0])  # Arabic, always translate
    plain_reader = sign_in(Client(), world.co_parent)  # no reading language: the page as written
    path = f"/posts/{post.public_id}/"

    def translated():
        answer = reader.get(path)
        assert b'dir="rtl"' in answer.content

    def untranslated():
        answer = plain_reader.get(path)
        assert answer.status_code == 200 and b'data-testid="translated"' not in answer.content

    def translated_list():
        answer = reader.get("/notifications/")
        assert b'data-testid="notice-translated"' in answer.content

    def untranslated_list():
        answer = plain_reader.get("/notifications/")
        assert answer.status_code == 200 and b"notice-machine" not in answer.content

    post_page = _timed_pair(**{"untranslated post page": untranslated, "translated post page": translated})
    list_page = _timed_pair(
        **{
            "untranslated notification list": untranslated_list,
            "translated notification list": translated_list,
        }
    )
    # The post's own request starts with its title alone; its notice's starts with the notice's title, which
    # names the post's title too ("De Schakel: Studiedag"), so it is told apart by the whole first text.
    post_calls = sum(1 for request in peer.requests if re.sub(r"<[^>]+>", "", request["q"][0]) == "Studiedag")
    return {
        "engine_calls": post_calls,
        "notice_calls": peer.calls - post_calls,
        "all_calls": peer.calls,
        "requests": requests,
        "paired post page": post_page.pop("paired"),
        "paired notification list": list_page.pop("paired"),
        **post_page,
        **list_page,
    }
