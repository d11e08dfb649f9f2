"""Privacy law at scale: a family's access export with 2,000 photos, and a retention run over the big board.

The board of `bench.posts` (20 schools, 4 school years, about 150,000 posts and 1.5 million photo rows at
full scale; BENCH_POSTS_SCALE scales it) gets one more family: three children at the first school and 2,000
photos in which they are tagged, each with a real JPEG rendition in storage. Built in one child process; a
fresh one then times the export (the whole zip, photos included) and its peak memory, and after it a
retention run with the default periods (the two school years that ended more than a year ago go: their posts
and photo rows).
"""

import json
import os
import resource
import tempfile
import time
import zipfile
from pathlib import Path

from bench._child import ChildFailed, run_measure, scratch_postgres

# Its own scratch database by default; BENCH_PRIVACY_PG_DB names another (two runs at once on one server).
PG_DB = os.environ.get("BENCH_PRIVACY_PG_DB", "bench_privacy")
PHOTOS = 2000
TARGET_EXPORT_S = 60
TARGET_RETENTION_S = 120
TARGET_MEMORY_MB = 300
TIMEOUT = 1800


def run() -> list[str]:
    from bench.posts import FULL_POSTS, scale

    lines = [
        f"a family with 3 children and {PHOTOS:,} tagged photos; retention over the board of bench.posts "
        f"(scale {scale():g}: {int(FULL_POSTS * scale()):,} posts)",
        f"targets: export < {TARGET_EXPORT_S} s, retention run < {TARGET_RETENTION_S} s, "
        f"memory < {TARGET_MEMORY_MB} MB",
        f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-privacy-") as data_dir:
        lines += _child("SQLite", f"sqlite:///{data_dir}/bench.sqlite3", data_dir)
    with scratch_postgres(PG_DB) as postgres_url:
        if postgres_url is None:
            lines.append("PostgreSQL: not reachable on 127.0.0.1:5432, skipped")
        else:
            with tempfile.TemporaryDirectory(prefix="bench-privacy-") as data_dir:
                lines += _child("PostgreSQL", postgres_url, data_dir)
    return lines


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def _child(label: str, database_url: str, data_dir: str) -> list[str]:
    try:
        f = run_measure("privacy", database_url=database_url, data_dir=data_dir, timeout=TIMEOUT)
        f |= run_measure(
            "privacy",
            database_url=database_url,
            data_dir=data_dir,
            timeout=TIMEOUT,
            BENCH_PRIVACY_PHASE="time",
        )
    except ChildFailed as failed:
        return [f"{label}: benchmark failed:", *failed.tail]
    export_ok = _verdict(f["export_s"] < TARGET_EXPORT_S)
    retention_ok = _verdict(f["retention_s"] < TARGET_RETENTION_S)
    return [
        f"{label}: built {f['posts']:,} posts / {f['photos']:,} photo rows in {f['build_s']:.0f} s",
        f"  export: {f['export_photos']:,} photos, {f['export_mb']:.0f} MB zip in {f['export_s']:.1f} s "
        f"[{export_ok}]; peak memory of the process {f['export_rss_mb']:.0f} MB "
        f"[{_verdict(f['export_rss_mb'] < TARGET_MEMORY_MB)}]; load average {f['export_load']:.1f}",
        f"  retention run: {f['retention_deleted']:,} rows deleted ({f['retention_posts']:,} posts "
        f"with their photo rows) in {f['retention_s']:.1f} s [{retention_ok}]; peak memory "
        f"{f['retention_rss_mb']:.0f} MB [{_verdict(f['retention_rss_mb'] < TARGET_MEMORY_MB)}]; "
        f"load average {f['retention_load']:.1f}",
    ]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure() -> None:
    """A child process: build the board and the family ("build"), or time export and retention ("time")."""
    import django

    django.setup()
    ids_file = Path(os.environ["DATA_DIR"]) / "privacy.json"
    if os.environ.get("BENCH_PRIVACY_PHASE", "build") == "time":
        print(json.dumps(time_both(json.loads(ids_file.read_text()))))
        return
    from django.core.management import call_command

    from bench.posts import FULL_POSTS, build_board, scale

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    _parent, _post, _readers, counts = build_board(int(FULL_POSTS * scale()))
    parent_id = build_family()
    ids_file.write_text(json.dumps({"parent": parent_id}))
    print(json.dumps({"build_s": time.perf_counter() - started, **counts}))


def build_family() -> int:
    """Three children in this year's classes of the first school; 2,000 photos of them on class posts."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from consent.models import PhotoTag
    from media.models import MediaFile, Rendition
    from media.storage import media_storage, new_storage_name
    from media.tests.helpers import jpeg_bytes
    from posts.models import Post, PostGroup
    from schools.models import Enrolment, Group, Guardianship, Pupil, School
    from schools.queries import current_school_years

    school = School.objects.order_by("id").first()
    classes = list(
        Group.objects.filter(school=school, school_year__in=current_school_years()).order_by("id")[:3]
    )
    author = User.objects.get(email="juf@bench.example")
    parent = User.objects.create_user("gezin@privacy.example", "x", first_name="Groot", last_name="Gezin")
    content_type = ContentType.objects.get_for_model(Post)
    image = jpeg_bytes(1600, 1200)
    storage = media_storage()
    now = timezone.now()
    with transaction.atomic():
        children = []
        for n, group in enumerate(classes):
            child = Pupil.objects.create(school=school, first_name=f"Kind{n}", last_name="Gezin")
            Enrolment.objects.create(pupil=child, group=group, school_year=group.school_year)
            Guardianship.objects.create(guardian=parent, pupil=child)
            children.append(child)
        for n in range(PHOTOS):
            child, group = children[n % 3], classes[n % 3]
            if n % 10 == 0:
                post = Post.objects.create(
                    school=school, author=author, title=f"Foto's {n}", published_at=now
                )
                PostGroup.objects.create(post=post, group=group)
            media = MediaFile.objects.create(
                school=school,
                uploaded_by=author,
                kind=MediaFile.Kind.PHOTO,
                status=MediaFile.Status.READY,
                ready_at=now,
                original_name=f"foto{n}.jpg",
                carrier_type=content_type,
                carrier_id=post.id,
                position=n % 10,
            )
            name = storage.save(new_storage_name("1600.jpg"), ContentFile(image))
            Rendition.objects.create(
                media=media,
                name="1600.jpg",
                storage_name=name,
                content_type="image/jpeg",
                byte_size=len(image),
                etag="x",
            )
            PhotoTag.objects.create(media=media, pupil=child)
    return parent.id


def time_both(ids: dict) -> dict:
    from accounts.models import User
    from media.storage import media_storage
    from posts.models import Post
    from privacy.actions import do_run_retention
    from privacy.exports import do_build_export
    from privacy.models import DataExport

    parent = User.objects.get(id=ids["parent"])
    # Built here, in this process, as the task worker would (the queue itself is not what is measured).
    export = DataExport.objects.create(requested_by=parent, subject_user=parent)
    started = time.perf_counter()
    do_build_export(export=export)
    export_s = time.perf_counter() - started
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY, export.status
    with media_storage().open(export.storage_name, "rb") as stored:
        photos = sum(name.startswith("photos/") for name in zipfile.ZipFile(stored).namelist())
    figures = {
        "export_s": export_s,
        "export_mb": export.size_bytes / 1e6,
        "export_photos": photos,
        "export_rss_mb": _peak_mb(),
        "export_load": os.getloadavg()[0],
    }
    posts_before = Post.objects.count()
    started = time.perf_counter()
    deleted = do_run_retention(force=True)
    figures |= {
        "retention_s": time.perf_counter() - started,
        "retention_deleted": deleted,
        "retention_posts": posts_before - Post.objects.count(),
        "retention_rss_mb": _peak_mb(),
        "retention_load": os.getloadavg()[0],
    }
    return figures
