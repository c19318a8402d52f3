"""Demo data for verification after issuance: a second inspector, two more notify-and-commit licences, and a
双随机 draw over the demo's licences with both inspector logins in the pool, one check already concluded.

Run by load_demo (after its own data); safe to run again: what exists is left as it is."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from approvals import services as approvals
from approvals.models import CreditGrade, Licence, Matter, Subject, SubjectKind
from approvals.roles import INSPECTOR

from ...models import Draw, DrawMode, Obligation
from ...services import draw_apply, draw_define, draw_run, record_item, record_open, record_sign

DEMO_PASSWORD = "demo-2026"  # the same as load_demo's (demo is a higher layer: not imported)
SECOND_INSPECTOR = ("inspector2", "核查员 钱芳")
FOOD, HYGIENE = "SCJG-SPJY-001", "WSJK-GGCS-001"
# organisations of the applicant login (张伟 is their legal representative), each with a hygiene licence
ORGANISATIONS = [("德州市示范美发店", "92371402MA3C00011"), ("德州市示范宾馆有限公司", "91371402MA3C00012")]
TITLE = "{year}年告知承诺事后核查双随机抽查（演示）"


class Command(BaseCommand):
    help = "Load the inspections demo: inspector2, a random draw over the demo licences, one concluded check."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        users = {name: User.objects.filter(username=name).first()
                 for name in ("inspector", "supervisor", "window", "applicant")}
        if not all(users.values()):
            raise CommandError("Run load_demo first: it creates the demo logins this command uses.")
        second, new = User.objects.get_or_create(username=SECOND_INSPECTOR[0])
        if new:
            second.first_name = SECOND_INSPECTOR[1]
            second.set_password(DEMO_PASSWORD)
            second.save()
        second.groups.add(Group.objects.get(name=INSPECTOR))

        today = timezone.localdate()
        title = TITLE.format(year=today.year)
        if Draw.objects.filter(title=title).exists():
            self.stdout.write("inspections demo already loaded")
            return
        self._licences(users)

        draw = draw_define(
            by=users["supervisor"], title=title, matters=list(Matter.objects.filter(code__in=[FOOD, HYGIENE])),
            issued_from=today - timedelta(days=90), issued_to=today, inspectors=[users["inspector"], second],
            seed_number="20261124", mode=DrawMode.WEIGHTED, inspectors_per_target=2, recheck_days=180)
        draw = draw_run(draw_id=draw.pk, by=users["supervisor"])
        draw = draw_apply(draw.pk)  # in effect now, for the record below (its task, sent at the commit, finds it done)

        # one check done on site by both inspectors, so the public page shows a result
        done = Obligation.objects.filter(draw=draw, licence__holder__name=ORGANISATIONS[0][0]).first()
        if done is not None:
            record = record_open(obligation_id=done.pk, by=second)
            for item in record.items.all():
                record_item(record_id=record.pk, item_id=item.pk, by=second, result="met", note="现场核查与承诺一致")
            record_sign(record_id=record.pk, by=second, note="现场核查，经营场所与承诺一致。")
            record_sign(record_id=record.pk, by=users["inspector"])
        self.stdout.write(self.style.SUCCESS(f"inspections demo ready (draw {draw.number}, {len(draw.result)} checks)"))

    def _licences(self, users):
        """Hygiene licences for two organisations of the applicant login, applied for and signed online and
        decided on the spot, as a user would (each gets its verification obligation when issued)."""
        applicant = users["applicant"]
        zhang = getattr(applicant, "subject", None)
        if zhang is None:
            return
        for name, body in ORGANISATIONS:
            number = body + uscc.calc_check_digit(body)
            organisation = Subject.objects.filter(number=number).first() or approvals.subject_create(
                kind=SubjectKind.ORGANISATION, name=name, number=number, legal_representative=zhang)
            if not organisation.grades.exists():
                CreditGrade.objects.create(subject=organisation, grade="A", source="市公共信用信息平台",
                                           assessed_on=timezone.localdate() - timedelta(days=30))
            if Licence.objects.filter(holder=organisation).exists():
                continue
            application = approvals.application_start(subject_id=organisation.pk, matter_codes=[HYGIENE],
                                                      channel="online", by=applicant)
            approvals.application_choose_commitment(application_id=application.pk, by=applicant)
            approvals.signature_sign(application_id=application.pk, user=applicant, method="password",
                                     secret=DEMO_PASSWORD, channel="mobile", user_agent="demo")
            approvals.application_decide(application_id=application.pk, by=users["window"])
