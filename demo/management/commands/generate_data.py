import time

from django.core.management.base import BaseCommand

from demo.generator import Generator, analyze


class Command(BaseCommand):
    help = ("Fill the database with provincial-scale data (valid ID numbers and credit codes, grades, restrictions, "
            "notify-and-commit licences with obligations, inspectors). Same --seed, same data. Fast on PostgreSQL "
            "(COPY).")

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=10_000)
        parser.add_argument("--restrictions", type=int, default=1_000)
        parser.add_argument("--licences", type=int, default=10_000)
        parser.add_argument("--inspectors", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, subjects, restrictions, licences, inspectors, seed, **options):
        start = time.perf_counter()
        from demo.management.commands.load_demo import load_matters

        load_matters()
        generator = Generator(seed=seed, progress=self.stdout.write)
        generator.subjects(subjects)
        if restrictions:
            generator.restrictions(restrictions)
        if inspectors:
            generator.inspectors(inspectors)
        if licences:
            generator.licences(licences)
        analyze()
        self.stdout.write(self.style.SUCCESS(f"done in {time.perf_counter() - start:.1f} s"))
