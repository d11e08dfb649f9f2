import pytest


@pytest.fixture
def push_service():
    """A web push service on loopback that checks VAPID and decrypts payloads like a browser vendor's."""
    from notifications.tests.peers import PushService
    from notifications.vapid import vapid_keys

    service = PushService(vapid_keys()["public"])
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def mailbox():
    from notifications.tests.peers import Mailbox

    box = Mailbox()
    box.start()
    try:
        yield box
    finally:
        box.stop()
