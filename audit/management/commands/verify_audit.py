from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.seal import seal
from audit.verify import verify


class Command(BaseCommand):
    help = ("Walk the audit log's hash chain and report the first broken link (exit status 1 if any). "
            "Seals what is committed first, unless --no-seal.")

    def add_arguments(self, parser):
        parser.add_argument("--no-seal", action="store_true", help="check only what is already sealed")

    def handle(self, *args, no_seal=False, **options):
        sealed = 0 if no_seal else seal()
        report = verify()
        if sealed:
            self.stdout.write(_("Sealed %(n)s new entries.") % {"n": sealed})
        if not report.ok:
            raise CommandError(
                _("The audit chain is broken: %(first)s. Broken links: %(broken)s of %(links)s.")
                % {"first": report.first_broken, "broken": report.broken, "links": report.links})
        self.stdout.write(self.style.SUCCESS(
            _("The audit chain holds: %(links)s links checked; head hash %(head)s.")
            % {"links": report.links, "head": report.head_hash or "—"}))
        if report.unsealed:
            self.stdout.write(_("%(n)s entries committed meanwhile wait for the next sealing run.")
                              % {"n": report.unsealed})
