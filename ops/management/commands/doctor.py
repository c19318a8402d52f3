from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from ops import checks


class Command(BaseCommand):
    requires_system_checks: list = []  # an operator's tool: runs even when a system check fails
    help = ("Check this installation as /readyz does (database, broker, migrations, Chinese font, working-day "
            "calendar) plus the scheduler's heartbeat, stored files and settings; say what to do about each "
            "failure. Exit status 1 when a readiness check fails.")

    def add_arguments(self, parser):
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"],
                            help="language of the report (default: Simplified Chinese)")

    def handle(self, *args, lang, **options):
        with translation.override(lang):
            found = checks.everything()
            self.stdout.write(_("Readiness (what /readyz checks):"))
            for check in found:
                if check.required is False and check is found[len(checks.READINESS)]:
                    self.stdout.write("\n" + _("Advisories (do not take a node out of service):"))
                mark = self.style.SUCCESS(_("OK")) if check.ok else (
                    self.style.ERROR(_("FAIL")) if check.required else self.style.WARNING(_("WARN")))
                self.stdout.write(f"  [{mark}] {check.name}: {check.detail}")
                if not check.ok and check.advice:
                    self.stdout.write("         " + _("What to do: %(advice)s") % {"advice": check.advice})
            ready = all(check.ok for check in found if check.required)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(_("Ready.")) if ready else self.style.ERROR(_("Not ready.")))
        if not ready:
            raise SystemExit(1)
