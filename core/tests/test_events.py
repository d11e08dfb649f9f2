import pytest
from django.db import transaction

from core import events


@pytest.fixture
def received(monkeypatch):
    """Only this test's list listens: the apps' own subscribers would act on these made-up ids."""
    seen: list[events.Event] = []
    monkeypatch.setattr(events, "_subscribers", [seen.append])
    return seen


def an_event(kind="post.published"):
    return events.Event(kind=kind, actor_id=1, school_id=1, recipient_ids=(2, 3), title="New post")


class TestPublishOnCommit:
    @pytest.mark.django_db(transaction=True)
    def test_it_announces_after_the_transaction_commits(self, received):
        with transaction.atomic():
            events.publish_on_commit(an_event())
            assert received == []
        assert [e.kind for e in received] == ["post.published"]

    @pytest.mark.django_db(transaction=True)
    def test_it_announces_nothing_for_work_that_rolled_back(self, received):
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish_on_commit(an_event())
            raise RuntimeError("rolled back")
        assert received == []
