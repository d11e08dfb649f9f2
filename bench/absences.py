"""The morning rush: 300 parents of the demo school open the app and 60 of them report an absence.

Against gunicorn with PostgreSQL on this machine: the database `bench_absences` on the local service is
created, migrated and seeded with the demo school (demo.seed.seed_demo), and dropped afterwards. The
sessions are made beforehand (as after a real login, staff two-factor verified), so the figures are the
app's own. A small threaded HTTP driver (requests) plays the people on 127.0.0.1 and prints requests per
second and the p95 per kind of request beside the target.
"""

import datetime
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_absences"
PARENTS = int(os.environ.get("BENCH_PARENTS", 300))
REPORTERS = 60
RUSH_SECONDS = 60  # the parents arrive evenly spread over this time ("within a few minutes", compressed)
CONCURRENCY = 32  # at most this many people busy at the same moment
WORKERS = 3  # gunicorn worker processes on 2 cores
TARGET_P95_MS = 150
DEADLINE_S = 110  # the load phase stops here whatever happens


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare() -> None:
    """In the child process: seed the demo school and print sessions for parents and teachers as JSON."""
    import django

    django.setup()
    from django.test import Client

    from absences.calendar import Calendar
    from core.clock import school_today
    from core.testing import sign_in
    from demo.seed import seed_demo
    from schools.models import Guardianship, School, StaffRole

    seed_demo()
    school = School.objects.get(name="De Schakel")
    today = school_today()
    day = Calendar.of(school, today, today + datetime.timedelta(days=60)).school_days(
        today + datetime.timedelta(days=7), 1
    )[0]
    guardianships = (
        Guardianship.objects.filter(pupil__school=school)
        .select_related("guardian", "pupil")
        .order_by("guardian_id")
    )
    parents: dict[int, dict] = {}
    reported_children: set[str] = set()
    for g in guardianships:
        if len(parents) >= PARENTS and g.guardian_id not in parents:
            continue
        entry = parents.setdefault(g.guardian_id, {"user": g.guardian, "children": []})
        entry["children"].append(g.pupil.public_id)
    people = []
    for entry in list(parents.values())[:PARENTS]:
        child = entry["children"][0]
        reports = sum(p["report"] is not None for p in people) < REPORTERS and child not in reported_children
        if reports:
            reported_children.add(child)
        cookie = sign_in(Client(), entry["user"]).cookies["schoolplein_session"].value
        people.append({"cookie": cookie, "report": child if reports else None})
    teachers = StaffRole.objects.filter(school=school, role=StaffRole.Role.TEACHER).select_related("user")
    staff = [sign_in(Client(), role.user).cookies["schoolplein_session"].value for role in teachers]
    print(json.dumps({"parents": people, "staff": staff, "day": day.isoformat()}))


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, dict[str, int]] = {}

    def add(self, kind: str, ms: float, status: str, expect: str) -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append(ms)
            if status.split()[0] != expect:
                wrong = self.errors.setdefault(kind, {})
                wrong[status] = wrong.get(status, 0) + 1


def timed(recorder, kind, session, method, url, expect, **kwargs):
    started = time.perf_counter()
    response = session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
    answer = f"{response.status_code} {response.headers.get('Location', '')}".strip()
    recorder.add(kind, (time.perf_counter() - started) * 1000, answer, str(expect))
    return response


def arrive(at: float, stop_at: float) -> bool:
    """Wait for this person's moment; False when the run is over."""
    time.sleep(max(0.0, at - time.monotonic()))
    return time.monotonic() < stop_at


def parent_morning(base: str, person: dict, day: str, recorder: Recorder, at: float, stop_at: float) -> None:
    import requests

    if not arrive(at, stop_at):
        return
    with requests.Session() as s:
        s.cookies.set("schoolplein_session", person["cookie"])
        timed(recorder, "home page (GET /)", s, "GET", f"{base}/", 200)
        timed(recorder, "absences page (GET /absences/)", s, "GET", f"{base}/absences/", 200)
        if person["report"]:
            form = timed(recorder, "report form (GET /absences/new/)", s, "GET", f"{base}/absences/new/", 200)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            data = {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "child": person["report"],
                "kind": "dentist",
                "day": day,
                "from_time": "10:00",
                "until_time": "11:00",
                "note": "Controle bij de tandarts",
            }
            headers = {"Referer": f"{base}/absences/new/"}
            timed(
                recorder,
                "report (POST /absences/new/)",
                s,
                "POST",
                f"{base}/absences/new/",
                302,
                data=data,
                headers=headers,
            )


def teacher_morning(base: str, cookie: str, recorder: Recorder, at: float, stop_at: float) -> None:
    import requests

    if not arrive(at, stop_at):
        return
    with requests.Session() as s:
        s.cookies.set("schoolplein_session", cookie)
        timed(recorder, "teacher home with overview block (GET /)", s, "GET", f"{base}/", 200)
        timed(
            recorder,
            "morning overview (GET /absences/overview/)",
            s,
            "GET",
            f"{base}/absences/overview/",
            200,
        )


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    import requests

    for _ in range(150):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            requests.get(f"{base}/accounts/login/", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def run() -> list[str]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-absences-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "schoolplein.settings",
            "DATA_DIR": data_dir,
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "SECURE_COOKIES": "0",
            "STATIC_PLAIN": "1",
            "RATE_LIMITS_ENABLED": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
        }
        env.pop("REDIS_URL", None)
        admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin(f"CREATE DATABASE {DB_NAME}")
        server = None
        try:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
            )
            seeded = subprocess.run(
                [sys.executable, "-c", "from bench.absences import prepare; prepare()"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if seeded.returncode != 0:
                return ["absences benchmark: seeding failed", *seeded.stderr.strip().splitlines()[-10:]]
            world = json.loads(seeded.stdout.strip().splitlines()[-1])
            prepared = time.perf_counter() - started
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "schoolplein.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(WORKERS),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            wait_until_up(base, server)
            return load(base, world, prepared)
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def load(base: str, world: dict, prepared: float) -> list[str]:
    recorder = Recorder()
    warm = Recorder()
    for cookie in world["staff"][:2]:  # templates compiled and connections opened in every worker
        for _ in range(WORKERS * 2):
            teacher_morning(base, cookie, warm, 0.0, time.monotonic() + 60)
    start = time.monotonic()
    stop_at = start + DEADLINE_S
    began = time.perf_counter()
    parents, staff = world["parents"], world["staff"]
    # Teachers open the app among the parents, evenly spread, not after them.
    people: list[tuple[str, object]] = [("parent", p) for p in parents]
    for n, cookie in enumerate(staff):
        people.insert(n * (len(people) // max(1, len(staff))) + n, ("teacher", cookie))
    step = RUSH_SECONDS / len(people)
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        jobs = []
        for i, (role, who) in enumerate(people):
            at = start + i * step
            if role == "parent":
                jobs.append(pool.submit(parent_morning, base, who, world["day"], recorder, at, stop_at))
            else:
                jobs.append(pool.submit(teacher_morning, base, who, recorder, at, stop_at))
        for job in jobs:
            job.result()
    wall = time.perf_counter() - began
    total = sum(len(v) for v in recorder.samples.values())
    reporters = sum(1 for p in world["parents"] if p["report"])
    lines = [
        f"gunicorn ({WORKERS} workers) + PostgreSQL, demo school seeded; {len(world['parents'])} parents"
        f" ({reporters} report an absence) and {len(world['staff'])} teachers arriving over {RUSH_SECONDS} s;"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        f"setup (create, migrate, seed, sessions) {prepared:.0f} s; load {wall:.1f} s:"
        f" {total} requests, {total / wall:.0f} req/s overall",
    ]
    for kind, values in recorder.samples.items():
        figure = p95(values)
        verdict = "ok" if figure < TARGET_P95_MS else "OVER TARGET"
        lines.append(
            f"  {kind:<46} {len(values):4d} req {len(values) / wall:6.1f} req/s"
            f"  p50 {statistics.median(values):6.1f} ms"
            f"  p95 {figure:6.1f} ms (target < {TARGET_P95_MS} ms: {verdict})"
            f"  unexpected answers {recorder.errors.get(kind) or 'none'}"
        )
    return lines
