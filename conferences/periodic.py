"""Periodic work for conferences (run by `manage.py tick`): the reminder the day before each talk."""

from conferences.moves import do_send_reminders


def run() -> dict[str, int]:
    return {"reminded": do_send_reminders()}
