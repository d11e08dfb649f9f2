"""Faults with real processes: a task worker killed mid-batch, on the database queue and on Redis + RQ."""

import collections
import time

import pytest

from notifications.tests.stack import Stack

RECIPIENTS = 120


def wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.mark.parametrize("backend", ["db", "rq"])
def test_it_sends_every_email_once_when_a_worker_is_killed_mid_batch(mailbox, backend):
    mailbox.delay = 0.02  # a slow mail server, so the kill lands in the middle of a batch
    stack = Stack(smtp_port=mailbox.port, backend=backend, claim_seconds=2)
    try:
        stack.migrate()
        stack.seed_post(RECIPIENTS)
        worker = stack.start_worker()
        assert wait_for(lambda: len(mailbox.messages) >= 30, timeout=60), "the worker never got going"
        stack.kill(worker)
        killed_at = len(mailbox.messages)
        assert killed_at < RECIPIENTS, "the batch finished before the kill"
        time.sleep(2.5)  # the dead worker's claims run out
        stack.start_worker()
        stack.manage("tick")  # the sweep re-enqueues what the dead worker held
        assert wait_for(lambda: len(mailbox.messages) >= RECIPIENTS, timeout=90)
        time.sleep(1)  # anything extra would arrive now
        ids_per_address = collections.defaultdict(set)
        for message in mailbox.messages:
            ids_per_address[message["To"]].add(message["Message-ID"])
        assert len(ids_per_address) == RECIPIENTS  # nothing missing
        assert all(len(ids) == 1 for ids in ids_per_address.values())  # one email (one Message-ID) each
        # The one email in flight at the kill may reach the server twice, with the same Message-ID.
        assert len(mailbox.messages) - RECIPIENTS <= 1
        assert stack.ledger() == {"sent": RECIPIENTS, "skipped": RECIPIENTS}
    finally:
        stack.close()
