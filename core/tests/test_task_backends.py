"""Background work really runs on both production backends: the database queue and Redis + RQ."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
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


def test_every_task_is_built_at_start_up_under_the_configured_backend():
    """A task module first imported under a test's RQ override got RQ's own task class, which the database
    worker then refused ("does not point to a Task"); start-up now imports them all. A fresh process shows
    what start-up alone imports."""
    probe = (
        "import sys, django; django.setup();"
        "from django.apps import apps; from django.tasks import Task;"
        "names = [f'{a.name}.tasks' for a in apps.get_app_configs() if f'{a.name}.tasks' in sys.modules];"
        "tasks = [v for n in names for v in vars(sys.modules[n]).values() if type(v).__name__ == 'Task'];"
        "print(','.join(sorted(names)), len(tasks), all(isinstance(t, Task) for t in tasks))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolplein.settings_test",
        "DATA_DIR": str(settings.DATA_DIR),
    }
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    modules, count, all_django_tasks = done.stdout.split()
    assert set(modules.split(",")) >= {"accounts.tasks", "media.tasks", "notifications.tasks", "posts.tasks"}
    assert int(count) >= 4, done.stdout
    assert all_django_tasks == "True", done.stdout
