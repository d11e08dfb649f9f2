"""Periodic media work, run by `manage.py tick`: queue again the uploads whose job was lost or whose retry
is due, and delete uploads nobody put on a post or group."""

from media import actions


def run() -> dict[str, int]:
    return {
        "uploads_queued_again": actions.do_requeue_stalled(),
        "abandoned_uploads_deleted": actions.do_delete_abandoned_uploads(),
    }
