"""One way to refuse: each refusal answers the same status on a page and in the API, with its message."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from ninja import NinjaAPI
from ninja.testing import TestClient

from core.api_errors import install_error_handlers
from core.middleware import RefusalMiddleware
from core.refusals import Invalid, NotAllowed, NotFound

CASES = [
    (NotFound("The post is gone."), 404, "not_found"),
    (NotAllowed("Only the author may edit this post."), 403, "not_allowed"),
    (Invalid("Write something first.", code="empty"), 422, "empty"),
]


def api_raising(exc) -> TestClient:
    api = NinjaAPI(urls_namespace=f"refusals-{id(exc)}")
    install_error_handlers(api)

    @api.get("/it")
    def it(request):
        raise exc

    return TestClient(api)


@pytest.mark.parametrize(("refusal", "status", "code"), CASES)
def test_it_answers_the_same_status_on_a_page_and_in_the_api(refusal, status, code):
    with translation.override("en"):
        api_response = api_raising(refusal).get("/it")
        page = RefusalMiddleware(lambda request: None).process_exception(
            RequestFactory().get("/groups/x/"), refusal
        )
    assert api_response.status_code == page.status_code == status
    assert api_response.json()["code"] == code
    assert api_response.json()["detail"] == refusal.message
    if status == 404:  # the page is the one of a page that does not exist
        assert b"This page does not exist, or it is not shared with you." in page.content
    else:
        assert refusal.message.encode() in page.content


def test_it_gives_structured_problems_to_the_api():
    refused = Invalid("Two photos may not be shown.", problems=[{"media": "m1"}, {"media": "m2"}])
    body = api_raising(refused).get("/it").json()
    assert body["problems"] == [{"media": "m1"}, {"media": "m2"}]


@pytest.mark.parametrize(
    ("django_exception", "status"),
    [
        (Http404("No Post matches the given query."), 404),
        (PermissionDenied(), 403),
        (ValidationError("x"), 422),
    ],
)
def test_it_answers_djangos_own_refusals_like_ours(django_exception, status):
    response = api_raising(django_exception).get("/it")
    assert response.status_code == status
    assert "No Post matches" not in response.json()["detail"]


def test_an_invalid_is_a_form_error_for_views_that_catch_validation_errors():
    with pytest.raises(ValidationError) as caught:
        raise Invalid("Write something first.")
    assert caught.value.messages == ["Write something first."]
