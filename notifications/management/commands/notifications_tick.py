"""Run from cron (or with --loop) beside the task worker: resend what is due, serve due digests."""

import time

from django.core.management.base import BaseCommand

from notifications import periodic


class Command(BaseCommand):
    help = "Enqueue due and orphaned notification deliveries and send the digests that are due."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="repeat every this many seconds")

    def handle(self, *args, loop: float = 0, **options):
        while True:
            done = periodic.run()
            if options["verbosity"] > 1:
                self.stdout.write(
                    f"deliveries enqueued: {done['deliveries']}, digests sent: {done['digests']}"
                )
            if not loop:
                return
            time.sleep(loop)
