"""Serving a thumbnail through the authorization check, beside a static file served by whitenoise.

Runs in a child process with its own throwaway data directory (SQLite database, media storage, collected
static files), so the benchmark never touches a real database. Requests go through the whole Django
stack in-process (the test client: every middleware, the session, the access check, the file stream).
"""

import json
import os
import tempfile
import time

from bench._child import ChildFailed, run_measure

REQUESTS = 2000
SECONDS_PER_FIGURE = 5.0
TARGET_GRANTED_SHARE = 0.5


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as data_dir:
        try:
            figures = run_measure(
                "media_serving",
                database_url=f"sqlite:///{data_dir}/bench.sqlite3",
                data_dir=data_dir,
                timeout=600,
                STATIC_PLAIN="0",
                MEDIA_SERVE_MODE="app",
            )
        except ChildFailed as failed:
            return ["media serving benchmark failed:", *failed.tail]
    lines = [
        f"in-process WSGI (Django test client), up to {REQUESTS} requests or {SECONDS_PER_FIGURE:.0f} s each,"
        f" SQLite; thumbnail {figures['thumbnail_bytes']} bytes, static file {figures['static_bytes']} bytes",
        f"load average before the run: {figures['load']:.1f} on {os.cpu_count()} cores",
    ]
    labels = {
        "granted": "thumbnail 400.webp, URL with the page's grant (200)",
        "thumbnail": "thumbnail 400.webp, authorized per request (200)",
        "revalidated": "same thumbnail, If-None-Match (304, still authorized)",
        "static": "static file served by whitenoise (200)",
    }
    for key, label in labels.items():
        figure = figures[key]
        lines.append(
            f"  {label:<56} {figure['per_second']:7.0f} req/s  {figure['ms']:5.2f} ms/req"
            f"  {figure['queries']} queries/req"
        )
    ratio = figures["static"]["per_second"] / figures["thumbnail"]["per_second"]
    lines.append(f"  the thumbnail checked per request costs {ratio:.1f}x a whitenoise static file")
    granted = figures["granted"]["per_second"] / figures["static"]["per_second"]
    verdict = "ok" if granted >= TARGET_GRANTED_SHARE else "UNDER TARGET"
    lines.append(
        f"  the granted thumbnail runs at {granted:.2f}x the static file's requests per second"
        f" (target >= {TARGET_GRANTED_SHARE}x): {verdict}"
    )
    return lines


def _time(client, path: str, headers: dict, expect: int) -> dict:
    from django.db import connection

    def fetch():
        response = client.get(path, headers=headers)
        assert response.status_code == expect, (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return len(body)

    fetch()  # warm caches
    queries = []
    # Counted with a wrapper: the connection is closed after each request, which clears its query log.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        size = fetch()
    count, started = 0, time.perf_counter()
    while count < REQUESTS and time.perf_counter() - started < SECONDS_PER_FIGURE:
        fetch()
        count += 1
    elapsed = time.perf_counter() - started
    return {
        "per_second": count / elapsed,
        "ms": elapsed / count * 1000,
        "queries": len(queries),
        "bytes": size,
    }


def measure() -> None:
    """The child process: set up a world with one processed photo and time the requests."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from core.testing import build_world, sign_in
    from media import actions
    from media.tests.helpers import jpeg_bytes, upload_of

    world = build_world()
    media = actions.check_upload(
        acting_user=world.teacher,
        school=world.school,
        upload=upload_of("klas.jpg", jpeg_bytes(3000, 2000)),
        carrier=world.group3,
    )
    actions.do_process_media(media_id=media.id)  # already done if the immediate backend ran it
    thumbnail = media.renditions.get(name="400.webp")
    client = sign_in(Client(), world.parent)
    path = f"/media/{media.public_id}/{media.version}/400.webp"
    from django.contrib.staticfiles.storage import staticfiles_storage

    static_path = staticfiles_storage.url("css/app.css")
    from django.conf import settings

    from media import grants
    from media.queries import rendition_url

    # The URL as the parent's feed carries it: with a grant for this browser session (media.grants).
    holder = grants.grant_holder.set(client.cookies[settings.SESSION_COOKIE_NAME].value)
    granted_path = rendition_url(media, "400.webp")
    grants.grant_holder.reset(holder)
    figures = {
        "load": os.getloadavg()[0],
        "granted": _time(client, granted_path, {}, 200),
        "thumbnail": _time(client, path, {}, 200),
        "revalidated": _time(client, path, {"If-None-Match": f'"{thumbnail.etag}"'}, 304),
        "static": _time(client, static_path, {}, 200),
    }
    figures["thumbnail_bytes"] = figures["thumbnail"]["bytes"]
    figures["static_bytes"] = figures["static"]["bytes"]
    print(json.dumps(figures))
