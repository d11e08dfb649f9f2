"""Periodic form work for `manage.py tick`: the automatic reminder a day before a form closes."""

from forms import actions


def run() -> dict[str, int]:
    return {"reminded": actions.do_send_form_reminders()}
