"""Provincial-scale data (issue 8): subjects whose numbers pass their check digits, organisations with legal
representatives, grades, restrictions over two years, notify-and-commit licences with their applications and
verification obligations, inspectors. Same seed → same data. On PostgreSQL rows go in by COPY; elsewhere by
bulk_create (for small runs)."""

import random
import time
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from approvals.bulk import Writer

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁婷雪琳晶欣怡佳"
PLACES = ["德州", "武汉", "湖州", "梧州", "德令哈", "拉萨", "洞头", "济南", "西宁", "南宁"]
TRADES = ["餐饮管理", "商贸", "医药连锁", "建筑工程", "文化传媒", "食品", "科技", "物业服务", "酒店管理", "药房"]
# county-level codes, checked against stdnum's table at start
REGIONS = ["110101", "110102", "110105", "110106", "110108", "120101", "310101", "310104", "320102", "330102",
           "330106", "330502", "370102", "371402", "420102", "420106", "440103", "440106", "450402", "510104",
           "540102", "610102", "632801", "330305"]
GRADES = [("A", 30), ("B", 50), ("C", 15), ("D", 5)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 organisation code check digit


def org_code(body8: str) -> str:
    check = 11 - sum(int(c) * w for c, w in zip(body8, ORG_WEIGHTS)) % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def person_number(region: str, born: date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(region: str, serial: int) -> str:
    body = "91" + region + org_code(f"{serial:08d}")
    return body + uscc.calc_check_digit(body)


def valid_regions() -> list[str]:
    ok = []
    for region in REGIONS:
        try:
            for year in (1960, 1985, 2004):
                ric.validate(person_number(region, date(year, 6, 1), 1))
            ok.append(region)
        except Exception:  # noqa: BLE001 - a county stdnum does not know for some year: skip it
            continue
    return ok


def next_id(model) -> int:
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


def reset_sequence(model) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608
                       f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def analyze() -> None:
    """Fresh statistics after a bulk load (as autovacuum would give a production database): without them the
    planner guesses and the first queries are many times slower."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Generator:
    def __init__(self, *, seed: int = 1, progress=print):
        self.rng = random.Random(seed)
        self.progress = progress
        self.now = timezone.now()
        self.regions = valid_regions()

    def _step(self, label: str, fn):
        start = time.perf_counter()
        count = fn()
        self.progress(f"{label}: {count:,} in {time.perf_counter() - start:.1f} s")
        return count

    def name(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))

    def subjects(self, n: int) -> tuple[list[int], list[int]]:
        """n subjects: 85 % persons, 15 % organisations (each with a person as legal representative)."""
        from approvals.models import CreditGrade, Subject

        rng = self.rng
        start = next_id(Subject)
        n_orgs = n * 15 // 100
        n_people = n - n_orgs
        seen: set[str] = set(Subject.objects.values_list("number", flat=True)) if start > 1 else set()
        people = list(range(start, start + n_people))
        orgs = list(range(start + n_people, start + n))
        base = date(1960, 1, 1)

        def person_rows():
            for pk in people:
                while True:
                    number = person_number(rng.choice(self.regions), base + timedelta(days=rng.randrange(16000)),
                                           rng.randrange(1, 1000))
                    if number not in seen:
                        seen.add(number)
                        break
                yield {"id": pk, "kind": "person", "name": self.name(), "number": number,
                       "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"}

        serial0 = rng.randrange(10**6, 5 * 10**7)

        def org_rows():
            for i, pk in enumerate(orgs):
                number = credit_code(rng.choice(self.regions), serial0 + i)
                if number in seen:
                    continue
                seen.add(number)
                yield {"id": pk, "kind": "organisation", "number": number, "legal_representative_id": rng.choice(people),
                       "name": f"{rng.choice(PLACES)}{self.name()}{rng.choice(TRADES)}有限公司"}

        writer = Writer(Subject)
        with transaction.atomic():
            self._step("persons", lambda: writer.write(person_rows(), self.now))
            self._step("organisations", lambda: writer.write(org_rows(), self.now))
            reset_sequence(Subject)
        grades = [g for g, weight in GRADES for _ in range(weight)]
        today = timezone.localdate()

        def grade_rows():
            for pk in people + orgs:
                yield {"subject_id": pk, "grade": rng.choice(grades), "source": "generate_data",
                       "assessed_on": today - timedelta(days=rng.randrange(365))}

        with transaction.atomic():
            self._step("credit grades", lambda: Writer(CreditGrade).write(grade_rows(), self.now))
        self.people, self.orgs = people, orgs
        return people, orgs

    def restrictions(self, n: int) -> int:
        """Spread over the last two years, six months each: about a quarter in force today."""
        from sanctions.models import Restriction

        rng = self.rng
        subjects = self.people + self.orgs

        def rows():
            for _ in range(n):
                start = self.now - timedelta(seconds=rng.randrange(730 * 86400))
                yield {"subject_id": rng.choice(subjects), "scope": "all", "reason": "提供虚假材料（三级违诺）",
                       "legal_act": f"generated-{rng.randrange(10**6)}", "starts_at": start,
                       "ends_at": start + timedelta(days=182), "state": "active", "key_supervision": True}

        with transaction.atomic():
            return self._step("restrictions", lambda: Writer(Restriction).write(rows(), self.now))

    def inspectors(self, n: int) -> list[int]:
        from approvals.roles import INSPECTOR

        User = get_user_model()
        password = make_password(None)  # generated inspectors do not log in
        start = next_id(User)
        with transaction.atomic():
            self._step("inspectors", lambda: Writer(User).write(
                ({"id": start + i, "username": f"gen-inspector-{start + i}", "password": password,
                  "first_name": self.name(), "is_active": True, "date_joined": self.now} for i in range(n)),
                self.now))
            reset_sequence(User)
            group, _ = Group.objects.get_or_create(name=INSPECTOR)
            through = User.groups.through
            through.objects.bulk_create([through(user_id=start + i, group_id=group.pk) for i in range(n)],
                                        batch_size=5000)
        return list(range(start, start + n))

    def licences(self, n: int, *, issued_within_days: int = 365) -> int:
        """Notify-and-commit licences across the demo matters, each with its decided application and its
        verification obligation (due at issue + the window; share by grade for random-share matters)."""
        from approvals.models import (
            Application, ApplicationMatter, CreditGrade, Licence, LicenceCounter, Matter, MatterVersion,
        )
        from inspections.models import Obligation

        rng = self.rng
        User = get_user_model()
        clerk, _ = User.objects.get_or_create(username="generate-data", defaults={"first_name": "数据生成"})
        versions = [v for v in (m.current_version() for m in Matter.objects.all()) if v and v.allows_commitment]
        if not versions:
            raise ValueError("no notify-and-commit matter: run load_demo first")
        grade_of = dict(CreditGrade.objects.filter(source="generate_data").values_list("subject_id", "grade"))
        holders = self.people + self.orgs
        a0, m0, l0, o0 = next_id(Application), next_id(ApplicationMatter), next_id(Licence), next_id(Obligation)
        counters: dict[tuple[int, int], int] = {}
        for counter in LicenceCounter.objects.all():
            counters[(counter.matter_id, counter.year)] = counter.last
        plan = []
        for i in range(n):
            version = rng.choice(versions)
            issued = self.now - timedelta(seconds=rng.randrange(issued_within_days * 86400))
            key = (version.matter_id, timezone.localtime(issued).year)
            counters[key] = counters.get(key, 0) + 1
            plan.append((version, issued, key[1], counters[key], rng.choice(holders)))

        def application_rows():
            for i, (version, issued, _y, _s, holder) in enumerate(plan):
                yield {"id": a0 + i, "subject_id": holder, "channel": "online", "state": "decided",
                       "mode": "commitment", "created_by_id": clerk.pk, "created_at": issued,
                       "submitted_at": issued, "decided_at": issued, "decided_by_id": clerk.pk}

        def matter_rows():
            for i, (version, *_rest) in enumerate(plan):
                yield {"id": m0 + i, "application_id": a0 + i, "matter_version_id": version.pk, "mode": "commitment"}

        def licence_rows():
            for i, (version, issued, year, seq, holder) in enumerate(plan):
                yield {"id": l0 + i, "application_matter_id": m0 + i, "matter_id": version.matter_id,
                       "holder_id": holder, "number": f"{version.matter.code}-{year}-{seq:06d}", "year": year,
                       "sequence": seq, "state": "valid", "valid_from": timezone.localdate(issued),
                       "issued_at": issued, "issued_by_id": clerk.pk}

        def obligation_rows():
            for i, (version, issued, _y, _s, holder) in enumerate(plan):
                grade = grade_of.get(holder, "B")
                share = (int(version.verification_shares.get(grade, 100))
                         if version.verification_scope == "random" else 100)
                yield {"id": o0 + i, "licence_id": l0 + i, "holder_id": holder, "matter_id": version.matter_id,
                       "issued_on": timezone.localdate(issued), "method": version.verification_method,
                       "scope": version.verification_scope, "grade": grade, "share": share,
                       "due_on": timezone.localdate(issued) + timedelta(days=version.verification_window_days),
                       "state": "due"}

        with transaction.atomic():
            self._step("applications", lambda: Writer(Application).write(application_rows(), self.now))
            self._step("application matters", lambda: Writer(ApplicationMatter).write(matter_rows(), self.now))
            self._step("licences", lambda: Writer(Licence).write(licence_rows(), self.now))
            self._step("obligations", lambda: Writer(Obligation).write(obligation_rows(), self.now))
            for model in (Application, ApplicationMatter, Licence, Obligation):
                reset_sequence(model)
            for (matter_id, year), last in counters.items():
                LicenceCounter.objects.update_or_create(matter_id=matter_id, year=year, defaults={"last": last})
        return n
