"""The privacy app's periodic work: exports left by a dead worker, expired exports, the retention run."""

from privacy.actions import do_run_retention
from privacy.exports import do_expire_exports, do_recover_stale_exports


def run() -> dict[str, int]:
    return {
        "exports_requeued": do_recover_stale_exports(),
        "exports_expired": do_expire_exports(),
        "retention_deleted": do_run_retention(),
    }
