"""Tests on the real task backends: the database queue and Redis + RQ, each run by its own worker in-process.

The test settings run every task when it is enqueued (ImmediateBackend). Mix `OnTheDatabaseQueue` or
`OnRedisQueue` into a test case to send its tasks to a real queue instead; `drain()` then runs them through
the backend's real worker until nothing is ready. Deferred tasks (`run_after`) stay queued until their time,
as in production: the database worker compares with `timezone.now()` (so a mocked clock moves them), RQ's
scheduler is not run at all.
"""

import os
import signal
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# A Redis database per test process (xdist worker), flushed before and after each test: two processes
# sharing one queue would run each other's tasks against the wrong test database.
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{10 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:])}"
RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 60}}
# Settings for a Redis queue that cannot be reached: nothing listens on port 1, so queueing is refused at
# once, as with a stopped Redis.
DEAD_QUEUE = {"TASKS": RQ_TASKS, "RQ_QUEUES": {"default": {"URL": "redis://127.0.0.1:1/0"}}}


@contextmanager
def signal_handlers_kept():
    """Both workers install their own SIGINT/SIGTERM handlers; give the test runner its own back."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)


def run_database_queue() -> None:
    """Run every ready task with `manage.py db_worker --batch`; a task that failed fails the test."""
    from django_tasks_db.models import DBTaskResult

    with signal_handlers_kept():
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=0,
            stdout=StringIO(),
        )
    failed = DBTaskResult.objects.failed().first()
    if failed is not None:
        pytest.fail(f"task {failed.task_path} failed in the database worker:\n{failed.traceback}")


def redis_queue():
    import django_rq
    from django_tasks_rq.backend import Job

    return django_rq.get_queue("default", job_class=Job)


def clean_redis():
    """The test Redis database, emptied; the test fails (never skips) without Redis, as CI provides it."""
    from redis import Redis

    redis = Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        redis.ping()
    except Exception:  # noqa: BLE001
        pytest.fail("Redis must run on 127.0.0.1:6379 for the tests on Redis + RQ")
    redis.flushdb()
    return redis


def run_redis_queue() -> None:
    """Run every queued job with an RQ burst worker; a job that failed fails the test."""
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker
    from rq.registry import FailedJobRegistry

    queue = redis_queue()
    with signal_handlers_kept():
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        worker.work(burst=True, logging_level="WARNING")
    failed = FailedJobRegistry(queue=queue).get_job_ids()
    if failed:
        result = queue.fetch_job(failed[0]).latest_result()
        pytest.fail(f"job {failed[0]} failed in the RQ worker:\n{result.exc_string if result else ''}")


class TaskRunner:
    """Mixin for a TestCase: `committed()` runs a block as if it committed, and the tasks that enqueued."""

    def drain(self) -> None:
        """Run every task that is ready; the test settings' ImmediateBackend ran each when it was enqueued."""

    @contextmanager
    def committed(self):
        with self.captureOnCommitCallbacks(execute=True):
            yield
        self.drain()


class OnTheDatabaseQueue(TaskRunner):
    """Tasks are rows of django-tasks-db, run by `db_worker --batch`.

    The worker takes each task in its own (exclusive) transaction and, between tasks, closes a connection it
    finds inside a transaction, as a long-running worker must. Inside TestCase's transaction that would end
    the test's transaction, so these cases run as a TransactionTestCase does: setUpTestData before each
    test, the database flushed after it (Django's own path for databases without transactions).
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        override_settings(TASKS=DB_TASKS)(cls)

    @classmethod
    def _databases_support_transactions(cls):
        return False

    def drain(self) -> None:
        run_database_queue()


class OnRedisQueue(TaskRunner):
    """Tasks are RQ jobs in Redis (django-tasks-rq), run by an RQ burst worker in this process.

    The worker runs in the test's transaction, so the on-commit callbacks of the tasks (the fan-out
    scheduling the send tasks) are run after each burst, until the queue stays empty.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        override_settings(TASKS=RQ_TASKS, RQ_QUEUES=RQ_QUEUES)(cls)

    def setUp(self):
        super().setUp()
        self.addCleanup(clean_redis().flushdb)

    def drain(self) -> None:
        queue = redis_queue()
        while queue.count:
            with self.captureOnCommitCallbacks(execute=True):
                run_redis_queue()
