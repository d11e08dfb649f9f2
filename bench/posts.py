"""The timeline on a large board: a parent's first feed page, and marking read + the read-receipt count.

A board of 20 schools with 4 school years of posts (at full scale about 150,000 posts and 1.5 million
photo rows) is bulk-inserted into a throwaway SQLite database and into PostgreSQL (database bench_posts,
created and dropped here). Each is built in one child process and timed in a fresh one, as a server
process that never held the bulk load. Requests go through the whole Django stack in-process (test
client: middleware, session, access checks, template). BENCH_POSTS_SCALE (default 1, the full board;
building it takes a few minutes per database) scales the number of posts and photos for a quicker run;
the scale used is printed.
"""

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench._child import ChildFailed, run_measure, scratch_postgres

PG_DB = "bench_posts"
SCHOOLS = 20
YEARS = 4
CLASSES = 8
FULL_POSTS = 150_000
PHOTOS_PER_POST = 10
FAMILIES = 400
FEED_REQUESTS = 100
READ_ROUNDS = 100
TIMEOUT = 900


def scale() -> float:
    return float(os.environ.get("BENCH_POSTS_SCALE", "1"))


def run() -> list[str]:
    posts = int(FULL_POSTS * scale())
    lines = [
        f"board: {SCHOOLS} schools x {YEARS} school years x {CLASSES} classes; scale {scale():g} -> "
        f"{posts:,} posts, {posts * PHOTOS_PER_POST:,} photo rows; {FAMILIES} families for the receipts",
        f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-posts-") as data_dir:
        lines += _child("SQLite", f"sqlite:///{data_dir}/bench.sqlite3", data_dir, target_ms=None)
    with scratch_postgres(PG_DB) as postgres_url:
        if postgres_url is None:
            lines.append("PostgreSQL: not reachable on 127.0.0.1:5432, skipped")
        else:
            with tempfile.TemporaryDirectory(prefix="bench-posts-") as data_dir:
                lines += _child("PostgreSQL", postgres_url, data_dir, target_ms=50)
    return lines


def _child(label: str, database_url: str, data_dir: str, *, target_ms: int | None) -> list[str]:
    # Built in one process, timed in a fresh one: a server process has never held the 1.5 million
    # rows the build passes through, and neither should the heap the timing runs on.
    try:
        f = run_measure("posts", database_url=database_url, data_dir=data_dir, timeout=TIMEOUT)
        f |= run_measure(
            "posts", database_url=database_url, data_dir=data_dir, timeout=TIMEOUT, BENCH_POSTS_PHASE="time"
        )
    except ChildFailed as failed:
        return [f"{label}: benchmark failed:", *failed.tail]
    feed_target = f" (target p95 < {target_ms} ms)" if target_ms else ""
    return [
        f"{label}: built {f['posts']:,} posts / {f['photos']:,} photo rows in {f['build_s']:.0f} s",
        f"  parent's home feed, first page ({f['feed_queries']} queries, {f['feed_posts']} posts): "
        f"median {f['feed_median']:.1f} ms, p95 {f['feed_p95']:.1f} ms{feed_target}; "
        f"CPU of the Django process alone: median {f['feed_cpu_median']:.1f} ms",
        f"  its floor, the same page rendered from data computed beforehand (no database): "
        f"median {f['floor_median']:.1f} ms, p95 {f['floor_p95']:.1f} ms; the feed takes "
        f"{f['feed_median'] / f['floor_median']:.1f}x (median) and "
        f"{f['feed_p95'] / f['floor_p95']:.1f}x (p95) of it (target within 2x); load average {f['load']:.1f}",
        f"  mark read + 'read by N of {f['audience']} parents' (school-wide post): "
        f"median {f['read_median']:.2f} ms, p95 {f['read_p95']:.2f} ms (target < 20 ms)",
    ]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure() -> None:
    """A child process: build the board (phase "build"), or time the feed and the receipts ("time")."""
    import django

    django.setup()
    board_file = Path(os.environ["DATA_DIR"]) / "board.json"
    if os.environ.get("BENCH_POSTS_PHASE", "build") == "time":
        board = json.loads(board_file.read_text())
        figures = time_feed(board["parent"])
        figures |= time_receipts(board["wide_post"], board["readers"])
        figures["load"] = os.getloadavg()[0]
        print(json.dumps(figures))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    parent, wide_post, readers, counts = build_board(int(FULL_POSTS * scale()))
    build_s = time.perf_counter() - started
    ids = {"parent": parent.id, "wide_post": wide_post.id, "readers": [reader.id for reader in readers]}
    board_file.write_text(json.dumps(ids))
    print(json.dumps({"build_s": build_s, **counts}))


def build_board(total_posts: int):
    """Bulk-insert the board; return the measured parent, a school-wide post and its 400 families."""
    import datetime
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from media.models import MediaFile, Rendition
    from posts.models import Post, PostGroup
    from schools.models import Board, Enrolment, Group, Guardianship, Pupil, School, SchoolYear, StaffRole

    rng = random.Random(7)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Post)
    board = Board.objects.create(name="Bench board")
    author = User.objects.create_user("juf@bench.example", "x", first_name="Juf", last_name="Bench")
    posts_per_school_year = max(1, total_posts // (SCHOOLS * YEARS))
    photos = 0
    first_school = None
    with transaction.atomic():
        for s in range(SCHOOLS):
            school = School.objects.create(board=board, name=f"School {s}")
            first_school = first_school or school
            StaffRole.objects.create(user=author, school=school, role=StaffRole.Role.TEACHER)
            wide = Group.objects.create(school=school, kind=Group.Kind.SCHOOL, name=f"School {s}")
            this_year = now.year if now.month >= 8 else now.year - 1
            for y in range(YEARS):
                start = datetime.date(this_year - y, 8, 1)
                year = SchoolYear.objects.create(
                    school=school,
                    name=f"{start.year}-{start.year + 1}",
                    starts_on=start,
                    ends_on=datetime.date(start.year + 1, 7, 31),
                )
                classes = Group.objects.bulk_create(
                    [Group(school=school, school_year=year, name=f"Groep {c + 1}") for c in range(CLASSES)]
                )
                targets = [wide, *classes]
                year_start = datetime.datetime.combine(start, datetime.time(8), datetime.UTC)
                span = min((now - year_start).total_seconds(), 365 * 86400)
                posts = Post.objects.bulk_create(
                    [
                        Post(
                            school=school,
                            author=author,
                            title=f"Bericht {n}",
                            body="<p>Vandaag in de klas: <b>rekenen</b> en een mooie wandeling.</p>",
                            published_at=year_start + datetime.timedelta(seconds=rng.uniform(0, span)),
                            publish_at=year_start,
                        )
                        for n in range(posts_per_school_year)
                    ],
                    batch_size=2000,
                )
                PostGroup.objects.bulk_create(
                    [
                        PostGroup(post=p, group=targets[0] if rng.random() < 0.2 else rng.choice(classes))
                        for p in posts
                    ],
                    batch_size=5000,
                )
                rows = [
                    {
                        "school_id": school.id,
                        "uploaded_by_id": author.id,
                        "kind": "photo",
                        "status": "ready",
                        "ready_at": post.published_at,
                        "created_at": post.published_at,
                        "original_name": "foto.jpg",
                        "byte_size": 250_000,
                        "width": 1600,
                        "height": 1200,
                        "carrier_type_id": content_type.id,
                        "carrier_id": post.id,
                        "position": i,
                    }
                    for post in posts
                    for i in range(PHOTOS_PER_POST)
                ]
                fast_insert(MediaFile, rows)
                photos += len(rows)
                if s == 0 and y == 0:
                    current_classes = classes
        # The measured parent: two children in this year's classes of the first school.
        parent = User.objects.create_user("ouder@bench.example", "x", first_name="Ouder")
        for c in (0, 5):
            pupil = Pupil.objects.create(school=first_school, first_name=f"Kind {c}", last_name="Bench")
            Enrolment.objects.create(
                pupil=pupil, group=current_classes[c], school_year=current_classes[c].school_year
            )
            Guardianship.objects.create(guardian=parent, pupil=pupil)
        # Renditions for the photos on the parent's first pages, so the page renders real thumbnails.
        visible = PostGroup.objects.filter(group__in=[*current_classes[:1], current_classes[5]]).values(
            "post_id"
        )
        first_files = MediaFile.objects.filter(carrier_type=content_type, carrier_id__in=visible[:200])
        Rendition.objects.bulk_create(
            [
                Rendition(
                    media=m,
                    name=name,
                    storage_name=f"{m.public_id}-{name}",
                    content_type="image/webp",
                    byte_size=20_000,
                    etag="x",
                )
                for m in first_files
                for name in ("400.webp", "400.jpg", "1600.webp")
            ],
            batch_size=5000,
        )
        # 400 families at the first school for the read receipts.
        readers = User.objects.bulk_create(
            [User(email=f"gezin{n}@bench.example", first_name=f"Gezin {n}") for n in range(FAMILIES)],
            batch_size=1000,
        )
        kids = Pupil.objects.bulk_create(
            [
                Pupil(school=first_school, first_name=f"Leerling {n}", last_name="Bench")
                for n in range(FAMILIES)
            ]
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    pupil=k, group=current_classes[n % CLASSES], school_year=current_classes[0].school_year
                )
                for n, k in enumerate(kids)
            ]
        )
        Guardianship.objects.bulk_create(
            [Guardianship(guardian=u, pupil=k) for u, k in zip(readers, kids, strict=True)]
        )
        wide_post = Post.objects.create(
            school=first_school, author=author, title="Studiedag", body="<p>Vrij</p>", published_at=now
        )
        PostGroup.objects.create(post=wide_post, group=Group.objects.get(school=first_school, kind="school"))
    if connection.vendor == "postgresql":
        # What autovacuum does on a live server soon after such a load: statistics for the planner and
        # a visibility map for index-only scans. Left to autovacuum, it would run during the timing; so
        # would the checkpoint that writes the load's pages out.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
    counts = {"posts": Post.objects.count(), "photos": photos}
    return parent, wide_post, readers, counts


def _rules_accepted(client) -> None:
    """The parent has accepted the school's conduct rules, as every real parent has after signing in."""
    try:
        from moderation.middleware import mark_rules_checked
    except ImportError:
        return
    session = client.session
    mark_rules_checked(session)
    session.save()


def fast_insert(model, rows: list[dict], batch: int = 2000) -> None:
    """INSERT many rows without model instances, defaults filled in (public ids too): COPY on PostgreSQL,
    executemany on SQLite. At full scale this writes 1.5 million photo rows."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    prepared = (
        [
            f.get_db_prep_save(row[f.attname] if f.attname in row else f.get_default(), connection)
            for f in fields
        ]
        for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        # Table and column names come from the model, quoted; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        chunk: list[list] = []
        for values in prepared:
            chunk.append(values)
            if len(chunk) == batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def time_feed(parent_id: int) -> dict:
    """The feed through the whole stack, and its floor: the same page rendered from data computed
    beforehand. Taken in turns, so a busy machine weighs on both alike."""
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from core.testing import sign_in

    parent = User.objects.get(id=parent_id)

    client = sign_in(Client(), parent)
    _rules_accepted(client)
    response = client.get("/posts/")
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.get("/posts/")
    feed_posts = response.content.count(b'data-testid="post"')
    floor = feed_floor(client)
    samples, cpu, floor_samples = [], [], []
    for _ in range(FEED_REQUESTS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get("/posts/")
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        started = time.perf_counter()
        floor()
        floor_samples.append((time.perf_counter() - started) * 1000)
    median, p95 = _percentiles(samples)
    floor_median, floor_p95 = _percentiles(floor_samples)
    return {
        "feed_median": median,
        "feed_p95": p95,
        "feed_cpu_median": statistics.median(cpu),
        "feed_queries": len(queries),
        "feed_posts": feed_posts,
        "floor_median": floor_median,
        "floor_p95": floor_p95,
    }


def feed_floor(client):
    """A function that renders the parent's first feed page again from what one real request computed:
    the same template (page, nav, 20 cards), the same request and context processors, every card's data
    already there. It asserts that it reaches no database: what is left is the cost of the page itself.

    The view's context is taken from one request; lazy querysets in it are evaluated beforehand, and the
    nav's unread count (a template tag's query) is answered from the value that request read.
    """
    from django.db import connection
    from django.db.models import QuerySet

    import posts.views
    from notifications.queries import unread_count
    from notifications.templatetags import notifications as badge

    captured = {}
    render = posts.views.render_page_or_partial

    def capture(request, template, partial, context, **kwargs):
        captured.update(request=request, args=(template, partial, context))
        return render(request, template, partial, context, **kwargs)

    posts.views.render_page_or_partial = capture
    try:
        expected = client.get("/posts/").content.count(b'data-testid="post"')
    finally:
        posts.views.render_page_or_partial = render
    request, (template, partial, context) = captured["request"], captured["args"]
    context = {key: list(value) if isinstance(value, QuerySet) else value for key, value in context.items()}
    unread = unread_count(request.user)

    def refuse(*_args):
        raise AssertionError("the floor reached the database")

    def floor() -> None:
        counted, badge.unread_count = badge.unread_count, lambda _user: unread
        try:
            with connection.execute_wrapper(refuse):
                page = render(request, template, partial, context)
        finally:
            badge.unread_count = counted
        assert page.content.count(b'data-testid="post"') == expected

    floor()  # the first render may fill the request's own caches (translation facts)
    return floor


def time_receipts(post_id: int, reader_ids: list[int]) -> dict:
    from accounts.models import User
    from posts.actions import do_mark_read
    from posts.models import Post
    from posts.queries import read_count

    post = Post.objects.get(id=post_id)
    readers = list(User.objects.filter(id__in=reader_ids).order_by("id"))

    samples = []
    total = 0
    for reader in readers[:READ_ROUNDS]:
        started = time.perf_counter()
        do_mark_read(acting_user=reader, post=post)
        _read, total = read_count(post)
        samples.append((time.perf_counter() - started) * 1000)
    median, p95 = _percentiles(samples)
    return {"read_median": median, "read_p95": p95, "audience": total}
