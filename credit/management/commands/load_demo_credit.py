"""Demo credit entries for the demo applicant (idempotent: each entry has a fixed key), then a nightly run."""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Demo credit entries (commitments kept, a commendation, a level-1 violation, volunteering) and scores."

    def handle(self, *args, **options):
        from approvals.models import CreditGrade, Subject
        from credit.models import Entry
        from credit.services import nightly_run

        today = timezone.localdate()
        people = sorted(Subject.objects.filter(kind="person", user__isnull=False).order_by("pk")[:3],
                        key=lambda s: s.user.username != "applicant")  # the demo applicant first
        if not people:
            self.stdout.write("no demo person with a login: run load_demo first")
            return
        for person in people:
            if not person.grades.exists():
                CreditGrade.objects.create(subject=person, grade="B", source="浙江省公共信用信息平台（演示）",
                                           assessed_on=today - timedelta(days=60))
        first = people[0]
        rows = [("commitment_kept", 400, 1, "演示：食品经营许可告知承诺践诺"),
                ("commitment_kept", 200, 1, "演示：公共场所卫生许可告知承诺践诺"),
                ("commitment_kept", 45, 1, "演示：酒类零售备案告知承诺践诺"),
                ("commendation", 90, 1, "演示：区级“诚信经营户”表彰"),
                ("violation_1", 30, 1, "演示：容缺材料逾期未补（一级违诺）"),
                ("volunteering", 12, Decimal(6), "演示：社区志愿服务6小时")]
        for n, (source, days_ago, quantity, description) in enumerate(rows):
            Entry.objects.get_or_create(
                source_key=f"demo:{first.pk}:{n}",
                defaults={"subject": first, "source": source, "occurred_on": today - timedelta(days=days_ago),
                          "quantity": quantity, "description": description,
                          "evidence": "演示数据" if source == "volunteering" else ""})
        run = nightly_run()
        self.stdout.write(f"credit: {run.scores if run else 0} scores")
