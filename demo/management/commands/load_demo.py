"""Demo data: the catalog of demo matters, a login for each role, subjects with credit data.

Safe to run again: what exists is left as it is."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from approvals import services
from approvals.demo.matters import MATTERS
from approvals.models import (
    Application, CommitmentItem, CreditGrade, Material, Matter, MatterVersion, Subject,
    SubjectKind,
)
from approvals.roles import ADMINISTRATOR, APPLICANT, INSPECTOR, SUPERVISOR, WINDOW_STAFF, roles_sync

DEMO_PASSWORD = "demo-2026"

# username, full name, role, is_staff (may open the admin)
LOGINS = [
    ("window", "窗口 刘芳", WINDOW_STAFF, True),
    ("applicant", "申请人 张伟", APPLICANT, False),
    ("inspector", "核查员 孙磊", INSPECTOR, False),
    ("supervisor", "监管员 周敏", SUPERVISOR, True),
    ("admin", "管理员 吴军", ADMINISTRATOR, True),
]


def person_number(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum expects a placeholder check digit


def org_number(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


def load_matters(by=None) -> int:
    created = 0
    for spec in MATTERS:
        matter, new = Matter.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"], "department": spec["department"]}
        )
        if not new:
            continue
        version = MatterVersion(matter=matter, number=1, created_by=by, **spec["version"])
        version.full_clean()
        version.save()
        for position, m in enumerate(spec["materials"], start=1):
            material = Material(version=version, position=position, **m)
            material.full_clean()
            material.save()
        for position, text in enumerate(spec["commitment_items"], start=1):
            CommitmentItem.objects.create(version=version, position=position, text=text)
        services.matter_version_publish(version_id=version.pk)
        created += 1
    return created


def _subject(kind, name, number, **extra) -> Subject:
    existing = Subject.objects.filter(number=number).first()
    return existing or services.subject_create(kind=kind, name=name, number=number, **extra)


FOOD, HYGIENE, PLANNING, WORKS, NURSE = (
    "SCJG-SPJY-001", "WSJK-GGCS-001", "ZRZY-GH-001", "CJ-SGXK-001", "WSJK-HSZC-002")
NURSES = ["刘晓燕", "陈丽", "杨静", "黄敏", "周婷", "吴倩", "徐娟", "孙悦"]


class Command(BaseCommand):
    help = "Load the demo matters, a login for each role and demo subjects (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        roles_sync()
        User = get_user_model()
        users = {}
        for username, full_name, role, is_staff in LOGINS:
            user, new = User.objects.get_or_create(username=username)
            if new:
                user.first_name = full_name
                user.is_staff = is_staff
                user.is_superuser = role == ADMINISTRATOR
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[role] = user

        matters = load_matters(by=users[ADMINISTRATOR])

        today = timezone.localdate()
        zhang = _subject(SubjectKind.PERSON, "张伟", person_number("37140219950312001"), phone="13800000001",
                         user=users[APPLICANT])
        li = _subject(SubjectKind.PERSON, "李娜", person_number("37140219960705002"), phone="13800000002")
        wang = _subject(SubjectKind.PERSON, "王强", person_number("37140219970101003"), phone="13800000003")
        zhao = _subject(SubjectKind.PERSON, "赵敏", person_number("37140219981120004"))
        restaurant = _subject(SubjectKind.ORGANISATION, "德州市示范小餐饮有限公司", org_number("91371402MA3C00001"),
                              legal_representative=zhang)
        builder = _subject(SubjectKind.ORGANISATION, "德州示范建设工程有限公司", org_number("91371402MA3C00002"),
                           legal_representative=wang)
        hospital = _subject(SubjectKind.ORGANISATION, "德州市示范人民医院", org_number("12371400MB2800003"),
                            legal_representative=li)
        hospital.agents.add(zhang)

        grades = [(zhang, "A"), (li, "A"), (wang, "B"), (zhao, "C"), (restaurant, "A"), (builder, "B"), (hospital, "A")]
        for subject, grade in grades:
            if not subject.grades.exists():
                CreditGrade.objects.create(subject=subject, grade=grade, source="市公共信用信息平台",
                                           assessed_on=today - timedelta(days=30))

        from sanctions.models import Restriction
        from sanctions.services import restriction_impose

        if not Restriction.objects.filter(subject=wang).exists():
            start = timezone.now() - timedelta(days=30)
            restriction_impose(
                subject=wang, reason="提供虚假材料骗取施工许可（弄虚作假），三级违诺", legal_act="德审违诺〔2026〕3号",
                starts_at=start, ends_at=start + timedelta(days=182), by=users[SUPERVISOR],
            )
        if not services.dishonest_entries_exist(zhao.number):
            csv_text = (
                "号码,名称,列入日期,列入原因,认定机关\n"
                f"{zhao.number},赵敏,{(today - timedelta(days=200)).isoformat()},拒不履行生效法律文书确定义务,德州市中级人民法院\n"
            )
            services.dishonest_list_import(data=csv_text.encode(), filename="demo.csv", by=users[SUPERVISOR])

        # a provisional calendar for years the package does not know yet, so deadlines work in the demo
        for year in (today.year, today.year + 1):
            if not services.calendar_covers(date(year, 12, 31)):
                services.calendar_year_declare_provisional(year=year, by=users[ADMINISTRATOR])

        if not Application.objects.exists():
            self._applications(users, zhang=zhang, restaurant=restaurant, builder=builder)
            self._nurse_package(users, hospital=hospital, today=today)
        self._violations(users, zhang=zhang, restaurant=restaurant, hospital=hospital)
        from django.core.management import call_command
        call_command("load_demo_inspections", stdout=self.stdout)  # inspectors, a draw, one concluded check
        from django.core.management import get_commands
        for extra in ("load_demo_credit", "load_demo_notifications", "load_demo_supervision"):
            if extra in get_commands():  # each app's own demo rows, after the process, checks and cases exist
                call_command(extra, stdout=self.stdout)

        self.stdout.write(self.style.SUCCESS(f"demo data ready ({matters} matters added)"))

    def _applications(self, users, *, zhang, restaurant, builder):
        """A few applications in different states, made through the services as users would."""
        staff, applicant = users[WINDOW_STAFF], users[APPLICANT]

        def sign(application):
            services.application_choose_commitment(application_id=application.pk, by=applicant)
            services.signature_sign(application_id=application.pk, user=applicant, method="password",
                                    secret=DEMO_PASSWORD, channel="mobile", user_agent="demo")

        # decided on the spot: food licence for the restaurant
        decided = services.application_start(subject_id=restaurant.pk, matter_codes=[FOOD], channel="online",
                                             by=applicant)
        sign(decided)
        services.application_decide(application_id=decided.pk, by=staff)
        # signed, waiting for staff to decide: hygiene licence for 张伟 himself
        sign(services.application_start(subject_id=zhang.pk, matter_codes=[HYGIENE], channel="counter", by=staff))
        # notified, waiting for the applicant's signature
        waiting = services.application_start(subject_id=restaurant.pk, matter_codes=[HYGIENE], channel="online",
                                             by=applicant)
        services.application_choose_commitment(application_id=waiting.pk, by=applicant)
        # accepted with a deferred material (容缺受理)
        lenient = services.application_start(subject_id=zhang.pk, matter_codes=[FOOD], channel="counter", by=staff)
        sign(lenient)
        deferrable = [m.pk for am in lenient.matters.all()
                      for m in am.matter_version.materials.filter(kind="deferrable")][:1]
        if deferrable:
            services.application_accept_lenient(application_id=lenient.pk, by=staff, missing_material_ids=deferrable)
        # a company whose legal representative is restricted: planning + works permits, standard review only
        services.application_start(subject_id=builder.pk, matter_codes=[PLANNING, WORKS], channel="counter", by=staff)

    def _nurse_package(self, users, *, hospital, today):
        """打包承诺 (case 14 Dezhou): the hospital's nurses under one letter, waiting for the hospital to sign
        (张伟, the applicant login, is its authorised agent)."""
        nurses = []
        for i, name in enumerate(NURSES):
            nurse = _subject(SubjectKind.PERSON, name, person_number(f"3714021998{(i % 9) + 1:02d}150{10 + i:02d}"))
            if not nurse.grades.exists():
                CreditGrade.objects.create(subject=nurse, grade="A", source="市公共信用信息平台",
                                           assessed_on=today - timedelta(days=30))
            nurses.append(nurse)
        services.package_create(organisation_id=hospital.pk, matter_code=NURSE, person_ids=[n.pk for n in nurses],
                                title="德州市示范人民医院2026年第一批护士执业注册", by=users[APPLICANT])

    def _violations(self, users, *, zhang, restaurant, hospital):
        """Violation cases in each list a supervisor sees (case 14 Dezhou), each made once and through the
        services, so their documents and timelines exist: a level-1 rectification under way, a level-3 fraud
        concluded with a restriction, an open objection and a credit repair by the applicant login."""
        from sanctions import services as sanctions
        from sanctions.models import BUILTIN_KINDS, Violation, ViolationKind

        for code, name, name_en, level in BUILTIN_KINDS:  # seeded by a migration, gone after a flush
            ViolationKind.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en,
                                                                     "level": level, "builtin": True})
        supervisor, applicant = users[SUPERVISOR], users[APPLICANT]

        def case(key, subject, kind, findings, **extra):
            if Violation.objects.filter(source_key=f"demo:{key}").exists():
                return None
            violation = sanctions.violation_open(subject=subject, kind=kind, findings=findings, by=supervisor,
                                                 source_key=f"demo:{key}", **extra)
            sanctions.violation_grade(violation_id=violation.pk, by=supervisor)
            return violation

        rectify = case("rectification", restaurant, "untrue", licences=list(restaurant.licences.filter(state="valid")),
                       findings="现场核查发现：经营场所实际使用面积42平方米，与承诺的60平方米不符；"
                                "加工区与就餐区未按承诺分隔。", evidence="现场核查记录、照片6张")
        if rectify:
            sanctions.violation_order_rectification(violation_id=rectify.pk, by=supervisor,
                                                    reason="按承诺完成加工区与就餐区分隔，并重新测量面积")

        chen = _subject(SubjectKind.PERSON, "陈刚", person_number("37140219970909005"), phone="13800000005")
        fraud = case("fraud", chen, "false_materials",
                     findings="申请时提交的《公共场所卫生检测报告》系伪造：出具机构函复无此报告编号。"
                              "属提供虚假材料、弄虚作假。", evidence="检测机构复函、原申请材料")
        if fraud:
            sanctions.violation_revoke(violation_id=fraud.pk, by=supervisor,
                                       reason="提供虚假材料取得许可，依三级违诺处理")

        objected = case("objection", zhang, "not_supplied",
                        application=zhang.applications.filter(supplements__isnull=False).first(),
                        findings="容缺受理的《卫生检测报告》未在补正期限内提交。")
        if objected:
            sanctions.objection_file(violation_id=objected.pk, by=applicant,
                                     grounds="已于期限内通过邮寄提交（快递单号SF1234567890），请核实。")

        repaired = case("published", hospital, "untrue",
                        findings="护士执业注册承诺的岗前培训未按承诺完成。", evidence="培训签到表")
        if repaired:
            sanctions.violation_order_rectification(violation_id=repaired.pk, by=supervisor)
            sanctions.violation_record_rectified(violation_id=repaired.pk, by=supervisor,
                                                 report="已补充完成岗前培训并提交考核记录。")
            sanctions.repair_file(violation_id=repaired.pk, by=applicant,
                                  evidence="整改已完成，附培训考核记录及医院承诺书，申请停止公示。")
