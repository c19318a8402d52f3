from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspections.models import Draw
from inspections.services import draw_verify


class Command(BaseCommand):
    help = "Recompute a random draw from its stored inputs and report whether it matches (双随机 audit)."

    def add_arguments(self, parser):
        parser.add_argument("draw", help="the draw's id or number (SJ-2026-00001)")

    def handle(self, *args, draw, **options):
        found = Draw.objects.filter(number=draw).first() or (
            Draw.objects.filter(pk=int(draw)).first() if draw.isdigit() else None)
        if found is None:
            raise CommandError(_("No draw %(draw)s.") % {"draw": draw})
        problems = draw_verify(found)
        summary = _("%(number)s: population %(population)s, hash %(hash)s, seed %(seed)s, algorithm %(algorithm)s, "
                    "%(targets)s targets") % {
            "number": found.number or found.pk, "population": found.population_size,
            "hash": found.population_hash[:16], "seed": found.seed[:16], "algorithm": found.algorithm,
            "targets": len(found.result)}
        self.stdout.write(summary)
        if problems:
            for problem in problems:
                self.stdout.write(self.style.ERROR(_("MISMATCH: %(problem)s") % {"problem": problem}))
            raise CommandError(_("The draw does not match its stored inputs."))
        self.stdout.write(self.style.SUCCESS(_("MATCH: recomputing the draw gives the stored result.")))
