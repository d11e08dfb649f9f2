"""Periodic timeline work, run by `manage.py tick`: publish what is due, send RSVP reminders."""

from posts import actions


def run() -> dict[str, int]:
    return {
        "published": actions.do_publish_due_posts(),
        "reminded": actions.do_send_event_reminders(),
    }
