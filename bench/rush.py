"""The morning rush: the production stack (`make stack`'s own code) under a school morning, with locust.

300 parents arrive over 60 s; each opens home, the feed with all its thumbnails, a post and the messages,
and 60 of them report a child sick. 12 teachers upload 5 photos each, post them to their class and write
to parents. Halfway through, the director posts to the whole school, which fans out to every family
(at least 400; the world builder adds them). Printed: per request kind p50/p95/p99 and errors, the load
average of the machine, and how long the fan-out took from the post's publication until the last of its
delivery rows was sent.

Sizes come from the environment (RUSH_PARENTS, RUSH_SECONDS, RUSH_TEACHERS, RUSH_PHOTOS, RUSH_ABSENCES,
RUSH_FAMILIES) so a reduced rush runs in CI; the stack tests call `rush()` with their own sizes.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from bench._child import ROOT

PAGE_MS_TARGET = 150
FANOUT_SECONDS_TARGET = 10
PAGES = ("home", "feed", "post", "messages")


@dataclass
class Sizes:
    parents: int = 300
    seconds: float = 60
    teachers: int = 12
    photos: int = 5
    absences: int = 60
    families: int = 400
    think: tuple[float, float] = (0.5, 2.0)
    grace: float = 120  # after the window, for the last arrivals to finish their morning
    fan_out: bool = True  # the director's school-wide post halfway

    @classmethod
    def from_env(cls) -> "Sizes":
        names = ("parents", "seconds", "teachers", "photos", "absences", "families")
        given = {
            n: type(getattr(cls, n))(os.environ[f"RUSH_{n.upper()}"])
            for n in names
            if f"RUSH_{n.upper()}" in os.environ
        }
        return cls(**given)


@dataclass
class Result:
    sizes: Sizes
    world: dict
    records: list[dict]
    published: dict
    started: float = 0  # time.time() when the users started
    cpu: dict = field(default_factory=dict)  # CPU seconds the app processes and workers used in the rush
    sizes_after: dict = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # 1-minute load averages sampled during the rush
    fan_out: dict = field(default_factory=dict)
    done: dict = field(default_factory=dict)

    def kinds(self) -> dict[str, list[dict]]:
        by_kind: dict[str, list[dict]] = {}
        for item in self.records:
            by_kind.setdefault(item["kind"], []).append(item)
        return by_kind

    def errors(self) -> list[dict]:
        """Failed requests: no answer, or a status of 400 and up (a thumbnail's 302 is its answer)."""
        return [r for r in self.records if r["error"] or not 200 <= r["status"] < 400]

    def statuses(self, status: int) -> list[dict]:
        return [r for r in self.records if r["status"] == status]


def cpu_seconds(stack) -> dict[int, tuple[str, float]]:
    """CPU time used so far by the stack's app processes and its workers, per process group (gunicorn
    with its worker, an RQ worker with the work horses it forked and reaped), and by the PostgreSQL
    backends of its database (by negative process id), from /proc."""
    groups = {
        process.pid: name.split("-")[0]
        for name, process in list(stack.processes.items())
        if process.poll() is None
    }
    tick = os.sysconf("SC_CLK_TCK")
    database = f" {stack.database} ".encode()
    used: dict[int, tuple[str, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        group = int(fields[2])
        seconds = sum(int(value) for value in fields[11:15]) / tick  # utime stime cutime cstime
        if groups.get(group) in ("web", "worker"):
            used[group] = (groups[group], used.get(group, ("", 0.0))[1] + seconds)
        else:
            # A PostgreSQL backend serving the stack's database (connections are kept for CONN_MAX_AGE,
            # so most live through the rush): its title names the database.
            with contextlib.suppress(OSError), open(f"/proc/{entry}/cmdline", "rb") as handle:
                title = handle.read(200)
                if title.startswith(b"postgres: ") and database in title:
                    used[-int(entry)] = ("postgres", seconds)
    return used


def cpu_used(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds per kind between two readings; a process started again in between counts from its start
    (what the one it replaced used after the first reading is not seen)."""
    used = {"web": 0.0, "worker": 0.0, "postgres": 0.0}
    for group, (kind, seconds) in after.items():
        used[kind] += seconds - before.get(group, (kind, 0.0))[1]
    return used


def footprint(stack) -> dict[str, int]:
    """The database's size and Redis's memory (its own server, so all of it is the stack's)."""
    import psycopg
    import redis

    with psycopg.connect(stack.database_url) as connection:
        [(size,)] = connection.execute("SELECT pg_database_size(current_database())").fetchall()
    info = redis.Redis.from_url(stack.stack_redis_url).info("memory")
    return {
        "database_bytes": size,
        "redis_bytes": info["used_memory"],
        "redis_peak_bytes": info["used_memory_peak"],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))] if ordered else 0.0


def build_world(stack, sizes: Sizes) -> dict:
    """The families, sessions and targets of the rush, made by the builder inside the stack's database."""
    env = {
        **os.environ,
        **stack.env,
        "RUSH_FAMILIES": str(sizes.families),
        "RUSH_PARENTS": str(sizes.parents),
        "RUSH_TEACHERS": str(sizes.teachers),
    }
    built = subprocess.run(
        [sys.executable, "-m", "bench._rush_world"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if built.returncode:
        raise RuntimeError(f"building the rush's world failed:\n{built.stderr[-3000:]}")
    return json.loads(built.stdout.strip().splitlines()[-1])


def fan_out_figures(stack, post_id: str, *, seconds: float = 120) -> dict:
    """Wait until every delivery row of the post's dispatch has left the queue; when the last was sent."""
    import psycopg

    sql = (
        "SELECT d.state, count(*), max(d.sent_at), min(p.created_at),"
        " (SELECT published_at FROM posts_post WHERE public_id = %s)"
        " FROM notifications_delivery d JOIN notifications_dispatch p ON p.id = d.dispatch_id"
        " WHERE p.subject_type = 'post' AND p.subject_id = %s GROUP BY d.state"
    )
    deadline = time.monotonic() + seconds
    with psycopg.connect(stack.database_url, autocommit=True) as connection:
        while True:
            rows = connection.execute(sql, (post_id, post_id)).fetchall()
            states = {state: count for state, count, *_ in rows}
            if rows and not {"queued", "sending"} & set(states):
                break
            if time.monotonic() > deadline:
                return {"complete": False, "states": states}
            time.sleep(0.5)
    last_sent = max((row[2] for row in rows if row[2]), default=None)
    published = rows[0][4] or rows[0][3]
    return {
        "complete": True,
        "states": states,
        "seconds": (last_sent - published).total_seconds() if last_sent else None,
    }


def rush(stack, sizes: Sizes, *, during=None) -> Result:
    """Run one rush against a started stack. `during(seconds_since_start)` is called about every second
    while the users run, for the fault drills."""
    world = build_world(stack, sizes)
    parents = world["parents"][: sizes.parents]
    config = {
        "url": stack.url,
        "cookie": world["cookie"],
        "parents": parents,
        "teachers": world["teachers"][: sizes.teachers],
        "director": world["director"],
        "school_group": world["school_group"],
        "sick_day": world["sick_day"],
        "seconds": sizes.seconds,
        "photos": sizes.photos,
        "absences": sizes.absences,
        "think": list(sizes.think),
        "grace": sizes.grace,
        "fan_out": sizes.fan_out,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    load: list[float] = []
    stop = threading.Event()

    def watch():
        started = time.monotonic()
        while not stop.wait(1):
            load.append(os.getloadavg()[0])
            if during is not None:
                during(time.monotonic() - started)

    watcher = threading.Thread(target=watch, daemon=True)
    cpu_before = cpu_seconds(stack)
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench._rush_load", handle.name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        watcher.start()
        out, err = child.communicate(timeout=sizes.seconds + sizes.grace + 120)
    finally:
        stop.set()
        os.unlink(handle.name)
    if watcher.is_alive():
        watcher.join()
    if child.returncode:
        raise RuntimeError(f"the rush's users failed:\n{err[-3000:]}")
    ran = json.loads(out.strip().splitlines()[-1])
    result = Result(
        sizes, world, ran["records"], ran["published"], started=ran["started"], load=load, done=ran["done"]
    )
    if ran["published"]:
        result.fan_out = fan_out_figures(stack, ran["published"]["id"])
    cpu_after = cpu_seconds(stack)  # after the fan-out and the photos' processing had time to finish
    result.cpu = cpu_used(cpu_before, cpu_after)
    result.sizes_after = footprint(stack)
    return result


def report(result: Result) -> list[str]:
    sizes = result.sizes
    lines = [
        f"{sizes.parents} parents over {sizes.seconds:.0f} s ({sizes.absences} report a child sick),"
        f" {sizes.teachers} teachers with {sizes.photos} photos each, a school-wide post to"
        f" {result.world['families']} families ({result.world['guardians']} guardians, email each)",
        f"  finished their morning: {result.done}",
        f"  {'kind':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    errors = result.errors()
    for kind, items in sorted(result.kinds().items()):
        times = [r["ms"] for r in items]
        failed = sum(1 for r in errors if r["kind"] == kind)
        target = f"  (target p95 < {PAGE_MS_TARGET})" if kind in PAGES else ""
        lines.append(
            f"  {kind:<16}{len(items):>7}{percentile(times, 0.5):>9.0f}{percentile(times, 0.95):>9.0f}"
            f"{percentile(times, 0.99):>9.0f}{failed:>8}{target}"
        )
    lines.append(f"  errors: {len(errors)} of {len(result.records)} requests (target 0)")
    if errors:
        by_status: dict[str, int] = {}
        for item in errors:
            key = str(item["status"]) if item["status"] else item["error"].split(":")[0]
            by_status[key] = by_status.get(key, 0) + 1
        lines.append(f"    by answer: {dict(sorted(by_status.items()))}")
    for item in errors[:5]:
        lines.append(f"    {item['kind']}: {item['status']} {item['error']}")
    fan = result.fan_out
    if fan.get("complete"):
        lines.append(
            f"  fan-out: {fan['states']} delivery rows, the last sent {fan['seconds']:.1f} s after the post"
            f" was published (target < {FANOUT_SECONDS_TARGET} s)"
        )
    elif sizes.fan_out:
        lines.append(f"  fan-out: NOT complete within 120 s after the rush: {fan or 'the post failed'}")
    requests = len(result.records)
    if result.cpu and requests:
        cpu = result.cpu
        lines.append(
            f"  CPU: app processes {cpu['web']:.1f} s for {requests} requests"
            f" ({cpu['web'] * 1000 / requests:.0f} ms per request, thumbnails included);"
            f" workers {cpu['worker']:.1f} s (the photos, the fan-out, the translations ahead);"
            f" PostgreSQL backends {cpu['postgres']:.1f} s"
        )
    if result.sizes_after:
        after = result.sizes_after
        lines.append(
            f"  afterwards: database {after['database_bytes'] / 2**20:.0f} MB,"
            f" Redis {after['redis_bytes'] / 2**20:.1f} MB (peak {after['redis_peak_bytes'] / 2**20:.1f} MB)"
        )
    if result.load:
        lines.append(
            f"  load average (1 min) during the rush: mean {sum(result.load) / len(result.load):.1f},"
            f" max {max(result.load):.1f} on {os.cpu_count()} cores"
        )
    return lines


def run() -> list[str]:
    from stack.services import Stack, StackError, nginx_binary

    if nginx_binary() is None:
        return ["skipped: nginx is not installed (scripts/bootstrap --stack)"]
    sizes = Sizes.from_env()
    lines = [f"load average before the stack started: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"]
    stack = Stack(log=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    try:
        stack.start()
        stack.wait_idle()
    except StackError as error:
        return [*lines, f"skipped: the stack did not start: {error}"]
    try:
        return lines + report(rush(stack, sizes))
    finally:
        stack.stop()
