import mailbox

import pytest

from stack.services import Stack, nginx_binary


@pytest.fixture(scope="session")
def stack():
    """One production stack for every stack test: starting it is most of their time.

    A claim a dead worker left is taken over after 10 s (120 s in production), an upload whose job was
    lost is queued again after 10 s (120 s), each by the next tick (every 5 s).
    """
    if nginx_binary() is None:
        pytest.skip("nginx is not installed: scripts/bootstrap --stack")
    env = {"NOTIFICATION_CLAIM_SECONDS": "10", "MEDIA_REQUEUE_SECONDS": "10"}
    with Stack(tick_seconds=5, extra_env=env) as running:
        running.wait_idle()  # the demo seed's own fan-out first, so the tests' jobs wait for no backlog
        yield running


def mail_copies(stack: Stack) -> dict[str, list[str]]:
    """Every mail the SMTP sink received: the addressees per Message-ID."""
    copies: dict[str, list[str]] = {}
    for message in mailbox.Maildir(stack.mail_dir, create=False):
        copies.setdefault(message["Message-ID"], []).append(message["To"])
    return copies
