"""Walk every method of every URL pattern and prove who answers: anonymous, outsiders, the right persona."""

import pytest
from django.test import Client
from freezegun import freeze_time

from core.access_matrix import AccessCase, all_cases, all_url_keys
from core.testing import build_world, sign_in

CASES = all_cases()

# Cases that may name no outsider, each with the reason. Public and token-bearing URLs need none: nobody
# signs in to reach them. Everything else names a persona who must get 404, or (with `secret`) a persona
# whose own answer must not show the allowed persona's things.
NO_OUTSIDER = {
    "accounts:logout POST": "ends the caller's own session; there is nobody else's to reach",
    "accounts:devices_logout_others POST": "ends the caller's own other sessions only",
    "notifications:read_all POST": "marks the caller's own notifications read",
    "api:notifications/read-all POST": "marks the caller's own notifications read",
    "api:moderation/rules/accept POST": "records the caller's own acceptance of the conduct rules",
    "posts:calendar_address POST": "makes the caller's own calendar address",
    "api:calendar/address POST": "makes the caller's own calendar address",
    "api:calendar/address DELETE": "revokes the caller's own calendar address",
    "api:tokens POST": "makes a token for the caller",
    "api:notifications/preferences/settings PUT": "saves the caller's own quiet hours",
    "api:notifications/push-subscriptions POST": "subscribes the caller's own browser",
    "api:notifications/push-key GET": "the server's public push key, the same for everyone",
    "api:media/uploads POST": "an upload belongs to its uploader and names nothing of anyone else",
    # Groups named in the body that are not the caller's are refused with 422 (posts/tests/test_api.py).
    "api:posts POST": "the caller's own new post",
    "api:posts/photo-check POST": "checks the caller's own uploads",
    "api:notifications/unread GET": "a count of the caller's own notifications",
    "api:conversations/unread GET": "a count of the caller's own conversations",
    "conversations:unread GET": "a count of the caller's own conversations",
    "accounts:password_change GET": "the form for the caller's own password; it names nobody",
    "accounts:password_change POST": "changes the caller's own password and nobody else's",
    "moderation:rules POST": "records the caller's own acceptance of the conduct rules",
    "privacy:my_data POST": "asks for the caller's own data export",
    "api:me/exports POST": "asks for the caller's own data export",
    "translation:preferences POST": "saves the caller's own reading language",
    "api:translations/preference PUT": "saves the caller's own reading language",
}

# Cases that still name no outsider (or no allowed persona) and are yet to be completed. The lists may only
# shrink: a new case without an outsider fails, and so does an entry here that has been completed.
OUTSIDER_STILL_TO_NAME: set[str] = set()
ALLOWED_STILL_TO_NAME: set[str] = set()


def test_it_has_a_case_for_every_method_of_every_url_pattern():
    covered = {case.matrix_key for case in CASES}
    missing = sorted(all_url_keys() - covered)
    assert not missing, f"URL patterns and methods without an access-matrix case: {missing}"


def test_it_has_no_case_for_a_url_that_does_not_exist():
    stale = sorted({case.matrix_key for case in CASES} - all_url_keys())
    assert not stale, f"access-matrix cases for URL patterns or methods that do not exist: {stale}"


def test_it_names_an_outsider_for_every_case_that_needs_a_sign_in():
    lonely = {
        case.matrix_key
        for case in CASES
        if case.kind in ("page", "api") and not case.outsiders and case.matrix_key not in NO_OUTSIDER
    }
    new, done = sorted(lonely - OUTSIDER_STILL_TO_NAME), sorted(OUTSIDER_STILL_TO_NAME - lonely)
    assert not new, f"access-matrix cases without an outsider: {new}"
    assert not done, f"completed, take them off OUTSIDER_STILL_TO_NAME: {done}"


def test_it_names_an_allowed_persona_for_every_case_that_needs_a_sign_in():
    nobody = {case.matrix_key for case in CASES if case.kind in ("page", "api") and not case.allowed}
    new, done = sorted(nobody - ALLOWED_STILL_TO_NAME), sorted(ALLOWED_STILL_TO_NAME - nobody)
    assert not new, f"access-matrix cases without an allowed persona: {new}"
    assert not done, f"completed, take them off ALLOWED_STILL_TO_NAME: {done}"


def request(client: Client, case: AccessCase, path: str):
    send = getattr(client, case.method)
    if case.method == "get":
        return send(path, case.data)
    if case.kind == "api":
        return send(path, case.data, content_type="application/json")
    return send(path, case.data)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.key}:{c.method}")
def test_it_answers_each_persona_as_declared(case: AccessCase, db):
    if case.at is None:
        answers_as_declared(case, build_world())
        return
    with freeze_time(case.at()):
        answers_as_declared(case, build_world())


def answers_as_declared(case: AccessCase, world) -> None:
    path = case.path(world)

    anonymous = request(Client(), case, path)
    if case.kind == "page":
        assert anonymous.status_code == 302, f"{path}: anonymous should be sent to login"
        assert anonymous["Location"].startswith("/accounts/login/"), anonymous["Location"]
    elif case.kind == "api":
        assert anonymous.status_code == 401, f"{path}: anonymous API call should be 401"
    else:
        assert anonymous.status_code == (case.anonymous_status or 200), path

    secret = case.secret(world) if case.secret else None
    for outsider in case.outsiders:
        response = request(sign_in(Client(), getattr(world, outsider)), case, path)
        if secret is None:
            assert response.status_code == 404, f"{path}: {outsider} got {response.status_code}, not 404"
        else:
            assert response.status_code == case.allowed_status, (
                f"{path}: {outsider} got {response.status_code}"
            )
            assert secret not in response.content.decode(), f"{path}: {outsider} was shown {secret!r}"

    if case.allowed:
        response = request(sign_in(Client(), getattr(world, case.allowed)), case, path)
        assert response.status_code == case.allowed_status, (
            f"{path}: {case.allowed} got {response.status_code}, expected {case.allowed_status}"
        )
        if secret is not None:
            assert secret in response.content.decode(), f"{path}: {case.allowed} was not shown {secret!r}"
