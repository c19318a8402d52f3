from django.core.management.base import BaseCommand

from supervision.services import summaries_refresh


class Command(BaseCommand):
    help = "Compute the supervision figures over the demo data (idempotent: a full rebuild)."

    def handle(self, *args, **options):
        counts = summaries_refresh(rebuild=True)
        self.stdout.write(f"supervision figures: {counts['applications']:,} applications")
