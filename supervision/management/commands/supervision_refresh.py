from django.core.management.base import BaseCommand

from supervision.services import summaries_refresh


class Command(BaseCommand):
    help = "Bring the supervision figures up to date now (--rebuild: recompute every application)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, rebuild, **options):
        counts = summaries_refresh(rebuild=rebuild)
        self.stdout.write(f"supervision figures: {counts['applications']:,} applications, "
                          f"{counts['obligations']:,} obligation sums")
