"""Periodic media work, run by `manage.py tick`: delete uploads nobody put on a post or group."""

from media import actions


def run() -> dict[str, int]:
    return {"abandoned_uploads_deleted": actions.do_delete_abandoned_uploads()}
