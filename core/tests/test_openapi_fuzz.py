"""The API keeps the promises of its OpenAPI document: schemathesis fuzzes every operation in-process.

Two personas call every operation with their own API token: a parent and a (two-factor verified)
teacher. Each operation runs a bounded, derandomized number of examples on top of the persona world,
inside a savepoint that is rolled back afterwards, so every operation meets the same fresh world.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import Failure, FailureGroup

from accounts.actions import check_create_api_token
from core.testing import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECK_NAMES = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
]


# Refusals of schema-valid requests that no JSON Schema can express; every other operation must accept
# whatever its schema admits (positive_data_acceptance).
REFUSED_BEYOND_THE_SCHEMA = {
    "GET /api/v1/absences/export",  # `first` after `last`, or more than a year apart: fields compared
    "POST /api/v1/media/uploads",  # the bytes must be a photo, video or document, by their content
    "POST /api/v1/forms",  # closing after opening and in the future; groups of one school; options per kind
    "POST /api/v1/forms/{form_id}/answers",  # each answer is read by its question's kind and options
    "PUT /api/v1/translations/preference",  # a language the engines offer: their list is not fixed
}


class Rollback(Exception):
    pass


def token_for(user) -> str:
    user.is_verified = lambda: True  # as after the authenticator code: staff may only make tokens then
    return check_create_api_token(acting_user=user, name="fuzz")[1]


def fuzz_operation(operation, token: str, checks) -> list[str]:
    """Run the operation's examples; return its failures, each kind once."""
    failures: dict[str, str] = {}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        try:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)
        except (Failure, FailureGroup) as exc:
            found = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in found:
                if failure.code == "ST202" and operation.label in REFUSED_BEYOND_THE_SCHEMA:
                    continue
                first_line = (failure.message.strip().splitlines() or [""])[0]
                key = f"{operation.label}: {failure.title}: {first_line}"
                failures.setdefault(key, f"{failure.message.strip()[:800]}\n    {case.as_curl_command()}")

    try:
        with transaction.atomic():
            run()
            raise Rollback
    except Rollback:
        pass
    return [f"{key}\n{detail}" for key, detail in failures.items()]


@pytest.fixture
def keep_connection():
    """As Django's test client does: requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["parent", "teacher"])
def test_the_api_keeps_its_openapi_promises(persona, keep_connection):
    world = build_world()
    token = token_for(getattr(world, persona))
    load_all_checks()
    checks = [CHECKS.get_one(name) for name in CHECK_NAMES]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    for operation in operations:
        failures += fuzz_operation(operation, token, checks)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
