"""Periodic notification work for `manage.py tick`: re-enqueue due or orphaned deliveries; digests."""

from notifications import actions, digest


def run() -> dict[str, int]:
    return {"deliveries": actions.do_sweep(), "digests": digest.do_run_due_digests()}
