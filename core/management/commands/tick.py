"""Run every app's periodic work once, or every --loop seconds beside the task worker.

An app opts in with `<app>/periodic.py` defining `run() -> dict[str, int]` (what it did, for the log).
Each job is idempotent, so a missed or doubled tick does no harm.
"""

import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def periodic_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.periodic"
        if config.path.startswith(str(settings.BASE_DIR)) and find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "Run the apps' periodic work: scheduled posts, reminders, digests, delivery sweeps."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="repeat every this many seconds")

    def handle(self, *args, loop: float = 0, **options):
        while True:
            for module in periodic_modules():
                done = module.run()
                if options["verbosity"] > 1:
                    self.stdout.write(f"{module.__name__}: {done}")
            if not loop:
                return
            time.sleep(loop)
