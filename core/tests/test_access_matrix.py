"""Walk every URL pattern and prove who reaches it: anonymous, outsiders (404) and the right persona."""

import pytest
from django.test import Client

from core.access_matrix import AccessCase, all_cases, all_url_keys
from core.testing import build_world, sign_in

CASES = all_cases()


def test_it_has_a_case_for_every_url_pattern():
    covered = {case.key for case in CASES}
    missing = sorted(all_url_keys() - covered)
    assert not missing, f"URL patterns without an access-matrix case: {missing}"


def test_it_has_no_case_for_a_url_that_does_not_exist():
    stale = sorted({case.key for case in CASES} - all_url_keys())
    assert not stale, f"access-matrix cases for URL patterns that do not exist: {stale}"


def request(client: Client, case: AccessCase, path: str):
    send = getattr(client, case.method)
    if case.method == "get":
        return send(path, case.data)
    if case.kind == "api":
        return send(path, case.data, content_type="application/json")
    return send(path, case.data)


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.key}:{c.method}")
def test_it_answers_each_persona_as_declared(case: AccessCase, world):
    path = case.path(world)

    anonymous = request(Client(), case, path)
    if case.kind == "page":
        assert anonymous.status_code == 302, f"{path}: anonymous should be sent to login"
        assert anonymous["Location"].startswith("/accounts/login/"), anonymous["Location"]
    elif case.kind == "api":
        assert anonymous.status_code == 401, f"{path}: anonymous API call should be 401"
    else:
        assert anonymous.status_code == (case.anonymous_status or 200), path

    for outsider in case.outsiders:
        response = request(sign_in(Client(), getattr(world, outsider)), case, path)
        assert response.status_code == 404, f"{path}: {outsider} got {response.status_code}, not 404"

    if case.allowed:
        response = request(sign_in(Client(), getattr(world, case.allowed)), case, path)
        assert response.status_code == case.allowed_status, (
            f"{path}: {case.allowed} got {response.status_code}, expected {case.allowed_status}"
        )
