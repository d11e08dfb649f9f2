"""A real deployment in subprocesses: its own database, a task worker, mail to a given SMTP port.

Used by the fault tests (a worker killed mid-batch) and by the benchmark. SQLite in a temporary data
directory by default; PostgreSQL (a scratch database beside the test one) when DATABASE_URL names one;
the database queue by default, Redis + RQ with backend="rq".
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

SEED = """
import json, os
from django.db import transaction
from accounts.models import User
from core.events import Event, publish_on_commit
from notifications.models import Preference
from schools.models import Board, School
n = int(os.environ["STACK_RECIPIENTS"])
board = Board.objects.create(name="Stichting Test")
school = School.objects.create(board=board, name="De Test", city="Leiden")
User.objects.bulk_create([User(email=f"ouder{i}@example.test", first_name="Ouder") for i in range(n)])
users = list(User.objects.filter(email__startswith="ouder").values_list("pk", flat=True))
Preference.objects.bulk_create(
    [Preference(user_id=u, kind="post.published", push=False, email=True, digest=False) for u in users]
)
with transaction.atomic():
    publish_on_commit(Event(kind="post.published", actor_id=None, school_id=school.pk,
        recipient_ids=tuple(users), subject_type="post", subject_id="FaultPost0000001", url="/",
        title="New post in %(group)s", title_params={"group": "Groep 3"}))
"""

LEDGER = """
import json
from django.db.models import Count
from notifications.models import Delivery
print(json.dumps({r["state"]: r["n"] for r in Delivery.objects.values("state").annotate(n=Count("id"))}))
"""


class Stack:
    def __init__(self, *, smtp_port: int, backend: str = "db", claim_seconds: int = 120):
        self.dir = Path(tempfile.mkdtemp(prefix="schoolplein-stack-"))
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "REDIS"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="schoolplein.settings",
            DATA_DIR=str(self.dir),
            SECRET_KEY="stack-test-only-not-secret-0123456789abcdefghijklmnopqrstuv",
            EMAIL_MODE="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            SECURE_COOKIES="0",
            NOTIFICATION_CLAIM_SECONDS=str(claim_seconds),
            TASK_BACKEND=backend,
            LOG_LEVEL="ERROR",
        )
        if backend == "rq":
            self.env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
            self.env["TASK_BACKEND"] = "rq"
        from notifications.vapid import generate_keys

        keys = generate_keys()
        self.env.update(VAPID_PRIVATE_KEY=keys["private"], VAPID_PUBLIC_KEY=keys["public"])
        self.vapid_public = keys["public"]
        self.scratch_db = None
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            self.scratch_db = f"stack_{uuid.uuid4().hex[:10]}"
            self._pg(f"CREATE DATABASE {self.scratch_db}")
            self.env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + self.scratch_db
        self.workers: list[subprocess.Popen] = []

    def _pg(self, sql: str) -> None:
        import psycopg

        admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    def manage(self, *args: str, code: str = "", extra_env: dict | None = None, timeout: int = 300) -> str:
        command = [PYTHON, "manage.py", *args] + (["-c", code] if code else [])
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def migrate(self) -> None:
        self.manage("migrate", "--noinput", "-v0")
        if self.env["TASK_BACKEND"] == "rq":
            from redis import Redis

            Redis.from_url(self.env["REDIS_URL"]).flushdb()

    def seed_post(self, recipients: int) -> None:
        self.manage("shell", code=SEED, extra_env={"STACK_RECIPIENTS": str(recipients)})

    def ledger(self) -> dict[str, int]:
        return json.loads(self.manage("shell", code=LEDGER).strip().splitlines()[-1])

    def shell(self, code: str, **env) -> dict:
        """Run code in the deployment; its last line of output is JSON."""
        output = self.manage("shell", code=code, extra_env={k: str(v) for k, v in env.items()}, timeout=600)
        return json.loads(output.strip().splitlines()[-1])

    def start_worker(self) -> subprocess.Popen:
        if self.env["TASK_BACKEND"] == "rq":
            args = [
                "rqworker",
                "default",
                "--job-class",
                "django_tasks_rq.backend.Job",
                "--worker-class",
                "rq.SimpleWorker",
            ]
        else:
            args = ["db_worker", "--interval", "0.05", "--no-startup-delay"]
        worker = subprocess.Popen(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
        if self.env["TASK_BACKEND"] == "rq":
            from redis import Redis

            Redis.from_url(self.env["REDIS_URL"]).flushdb()
        if self.scratch_db:
            self._pg(f"DROP DATABASE IF EXISTS {self.scratch_db} WITH (FORCE)")
        shutil.rmtree(self.dir, ignore_errors=True)
