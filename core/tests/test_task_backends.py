"""Background work really runs on both production backends: the database queue and Redis + RQ."""

import pytest
from django.test import override_settings

from accounts.actions import do_send_invitation
from core.task_testing import (
    DB_TASKS,
    RQ_QUEUES,
    RQ_TASKS,
    clean_redis,
    redis_queue,
    run_database_queue,
    run_redis_queue,
)
from core.testing import build_world


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
            run_database_queue()
        assert [m["To"] for m in smtp_server.messages] == ["buiten@example.test"]
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection, as in production
class TestRedisQueueTaskBackend:
    def test_it_queues_the_email_in_redis_and_an_rq_worker_sends_it(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        redis = clean_redis()
        with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=RQ_QUEUES):
            invite_someone(django_capture_on_commit_callbacks)
            assert redis_queue().count == 1
            assert smtp_server.messages == []
            run_redis_queue()
        assert [m["To"] for m in smtp_server.messages] == ["buiten@example.test"]
        redis.flushdb()
