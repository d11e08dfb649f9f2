import pytest


@pytest.fixture
def push_service():
    """A web push service on loopback that checks VAPID and decrypts payloads like a browser vendor's."""
    from notifications.tests.push_service import PushService
    from notifications.vapid import vapid_keys

    service = PushService(vapid_keys()["public"])
    try:
        yield service
    finally:
        service.stop()


class Mailbox:
    """An SMTP peer that can be slow, and can be stopped and started again on the same port."""

    def __init__(self, delay: float = 0.0):
        import socket

        self.delay, self.messages, self.controller = delay, [], None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        import email.policy

        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.start()
    try:
        yield box
    finally:
        box.stop()
