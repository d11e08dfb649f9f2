"""Background work really runs on both production backends: the database queue and Redis + RQ."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.actions import do_send_invitation
from core.testing import build_world

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15", "DEFAULT_TIMEOUT": 60}}


def invite_someone(django_capture_on_commit_callbacks):
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        do_send_invitation(acting_user=world.office, user=world.outsider, school=world.school)
    return world


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection, as in production
class TestDatabaseTaskBackend:
    def test_it_queues_the_email_as_a_row_and_the_worker_sends_it(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        from django_tasks_db.models import DBTaskResult

        with override_settings(TASKS=DB_TASKS):
            invite_someone(django_capture_on_commit_callbacks)
            assert DBTaskResult.objects.count() == 1
            assert smtp_server.messages == []  # nothing is sent in the request
            call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
        assert [m["To"] for m in smtp_server.messages] == ["buiten@example.test"]
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection, as in production
class TestRedisQueueTaskBackend:
    def test_it_queues_the_email_in_redis_and_an_rq_worker_sends_it(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        import django_rq
        from django_tasks_rq.backend import Job
        from redis import Redis
        from rq import SimpleWorker

        redis = Redis.from_url(RQ_QUEUES["default"]["URL"])
        try:
            redis.ping()
        except Exception:  # noqa: BLE001
            pytest.fail("Redis must run on 127.0.0.1:6379 for the RQ backend test")
        redis.flushdb()
        with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=RQ_QUEUES):
            invite_someone(django_capture_on_commit_callbacks)
            queue = django_rq.get_queue("default", job_class=Job)
            assert queue.count == 1
            assert smtp_server.messages == []
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        assert [m["To"] for m in smtp_server.messages] == ["buiten@example.test"]
        redis.flushdb()
