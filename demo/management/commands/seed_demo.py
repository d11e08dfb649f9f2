from django.core.management.base import BaseCommand

from demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the fictional demo board and schools (does nothing if they exist)."

    def handle(self, *args, **options):
        result = seed_demo()
        if not result.created:
            self.stdout.write("reusing the demo database")
            return
        self.stdout.write(
            f"seeded De Schakel: {result.pupils} pupils, {result.guardians} guardians, {result.staff} staff "
            f"(password for every demo account: {DEMO_PASSWORD})"
        )
