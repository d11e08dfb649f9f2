"""Periodic translation work, run by `manage.py tick`: forget translations nobody can read any more."""

from translation import actions


def run() -> dict[str, int]:
    return {"translations_swept": actions.do_sweep_translations()}
