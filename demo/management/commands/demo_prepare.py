from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse

from demo.personas import PERSONAS


class Command(BaseCommand):
    help = (
        "Prepare the demo in one process: migrate, cache table, static files and the demo school "
        "(progress on stderr), then print each persona's login link as `persona: URL` on stdout."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=self.stderr)
        for persona in PERSONAS:
            self.stdout.write(f"{persona}: {settings.SITE_URL}{reverse('demo:login', args=[persona])}")
