"""Verification after issuance: obligations by grade share, reproducible 双随机 draws, field records with two
sign-offs, non-compliance opening a violation (cases 12 Delingha, 15 Wuhan)."""

import io
import random
import zlib
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given, settings as hsettings, strategies as st

from approvals.models import LicenceState, VerificationScope
from approvals.roles import INSPECTOR, SUPERVISOR
from approvals.services import (
    Refused, application_choose_commitment, application_decide, application_start, signature_sign,
)
from inspections.models import (
    Assignment, Draw, DrawMode, DrawState, InspectionRecord, Obligation, ObligationState, RecordState,
)
from inspections.services import (
    draw_define, draw_verify, obligations_sweep_overdue, recusal_declare, record_correct, record_item,
    record_open, record_photo, record_sign,
)
from inspections.services.draws import pack, pick_inspectors, pick_targets, unpack
from sanctions.models import Violation
from sanctions.selectors import active_restrictions
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter, png, staff  # noqa: F401
from tests.inspections.drawing import run_draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR)


@pytest.fixture
def pool():
    return [UserFactory(role=INSPECTOR) for _ in range(4)]


def licensed(person, staff, code="WS-001"):
    application = application_start(subject_id=person.pk, matter_codes=[code], channel="online", by=person.user)
    application_choose_commitment(application_id=application.pk, by=person.user)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
    (licence,) = application_decide(application_id=application.pk, by=staff)
    return licence


def person(grade="A"):
    subject = PersonFactory(user=UserFactory())
    CreditGradeFactory(subject=subject, grade=grade)
    return subject


def define(supervisor, pool, version, **kwargs):
    today = timezone.localdate()
    params = dict(by=supervisor, title="2026年第四季度食品经营许可告知承诺核查", matters=[version.matter],
                  issued_from=today - timedelta(days=30), issued_to=today, inspectors=pool, seed_number="738291")
    params.update(kwargs)
    return draw_define(**params)


def test_a_random_share_matter_gives_each_licence_the_share_of_its_grade(staff):
    version = make_matter(verification_scope=VerificationScope.RANDOM, commitment_grades=["A", "B", "C"],
                          verification_shares={"A": 3, "B": 5, "C": 20, "D": 100})
    a, c = person("A"), person("C")
    assert licensed(a, staff).obligation.share == 3
    assert licensed(c, staff).obligation.share == 20 and version.verification_scope == "random"
    every = make_matter(code="WS-002")
    assert licensed(a, staff, "WS-002").obligation.share == 100 and every.verification_scope == "every"


def test_draw_assigns_two_inspectors_and_verify_draw_matches(staff, supervisor, pool):
    version = make_matter()
    licences = [licensed(person(), staff) for _ in range(5)]
    draw = define(supervisor, pool, version)
    draw = run_draw(draw_id=draw.pk, by=supervisor)
    assert draw.state == DrawState.DRAWN and draw.number.startswith("SJ-")
    assert draw.population_size == 5 and len(draw.result) == 5  # every licence: share 100
    for licence in licences:
        obligation = Obligation.objects.get(licence=licence)
        assert obligation.state == ObligationState.ASSIGNED and obligation.assignments.count() == 2
    assert draw_verify(draw) == []
    out = io.StringIO()
    call_command("verify_draw", draw.number, stdout=out)
    assert "MATCH" in out.getvalue() or "一致" in out.getvalue()
    assert f"{draw.number}：抽查对象库5件" in out.getvalue()  # the members, not the stored bytes

    # tampering with a stored input is detected
    Draw.objects.filter(pk=draw.pk).update(seed_number="738292")
    with pytest.raises(CommandError):
        call_command("verify_draw", str(draw.pk), stdout=io.StringIO())
    draw.refresh_from_db()
    draw.seed_number = "738291"
    draw.population = zlib.compress(pack(unpack(draw.population)[:-1]))
    assert draw_verify(draw)


def test_a_draw_runs_once_and_a_second_over_the_same_population_is_a_new_draw(staff, supervisor, pool):
    version = make_matter()
    [licensed(person(), staff) for _ in range(6)]
    draw = define(supervisor, pool, version, mode=DrawMode.COUNT, count=2)
    run_draw(draw_id=draw.pk, by=supervisor)
    with pytest.raises(Refused):
        run_draw(draw_id=draw.pk, by=supervisor)
    second = run_draw(draw_id=define(supervisor, pool, version, mode=DrawMode.COUNT, count=2).pk, by=supervisor)
    assert second.population_size == 4 and second.number != Draw.objects.get(pk=draw.pk).number
    assert Assignment.objects.count() == 8


def test_bad_draws_are_refused_clearly(staff, supervisor, pool):
    version = make_matter()
    with pytest.raises(Refused) as refused:
        define(supervisor, pool, version, title=" ", seed_number="", mode=DrawMode.SHARE, share_percent=0)
    assert {"title", "seed_number", "share_percent"} <= set(refused.value.message_dict)
    empty = define(supervisor, pool, version)
    with pytest.raises(Refused, match="没有|No licence"):
        run_draw(draw_id=empty.pk, by=supervisor)
    assert Draw.objects.get(pk=empty.pk).state == DrawState.DEFINED  # nothing lost: it can run later
    with pytest.raises(PermissionDenied):
        define(pool[0], pool, version)


def test_recusals_are_respected_and_too_few_inspectors_lists_the_licences(staff, supervisor, pool):
    version = make_matter()
    holder = person()
    licence = licensed(holder, staff)
    for inspector in pool[:3]:
        recusal_declare(inspector=inspector, subject=holder, reason="近亲属", by=supervisor)
    draw = define(supervisor, pool, version)
    with pytest.raises(Refused) as refused:
        run_draw(draw_id=draw.pk, by=supervisor)
    assert licence.number in refused.value.messages[0]
    Draw.objects.filter(pk=draw.pk).delete()
    recusal_declare(inspector=UserFactory(role=INSPECTOR), subject=holder, reason="x", by=supervisor)
    ok = run_draw(draw_id=define(supervisor, pool + [UserFactory(role=INSPECTOR)], version).pk, by=supervisor)
    (target, inspectors) = ok.result[0]
    assert pool[3].pk in inspectors and not set(inspectors) & {p.pk for p in pool[:3]}
    assert set(ok.exclusions[str(target)]) == {str(p.pk) for p in pool[:3]}
    assert all("近亲属" in reason for reason in ok.exclusions[str(target)].values())


@hsettings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64))
def test_weighted_draw_stays_within_a_binomial_tolerance(seed):
    # 4,000 members: A 3 %, B 5 %, C 20 %, D 100 %; each share drawn within 4.5 standard deviations
    shares = {"A": 3, "B": 5, "C": 20, "D": 100}
    population = [[i, i, shares["ABCD"[i % 4]]] for i in range(4000)]
    chosen = pick_targets(population, f"{seed:064x}", DrawMode.WEIGHTED, None, None)
    assert chosen == pick_targets(population, f"{seed:064x}", DrawMode.WEIGHTED, None, None)  # reproducible
    for g, grade in enumerate("ABCD"):
        n = 1000
        drawn = sum(1 for i in chosen if i % 4 == g)
        p = shares[grade] / 100
        sd = (n * p * (1 - p)) ** 0.5
        assert abs(drawn - n * p) <= 4.5 * sd + 1e-9, (grade, drawn)


@hsettings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**256 - 1), n=st.integers(min_value=1, max_value=70_000),
       pool_size=st.sampled_from([2, 3, 4, 7, 8, 9, 5000, 65536, 70001]), per_target=st.sampled_from([2, 3]),
       with_exclusions=st.booleans())
def test_draw_1_picks_what_random_randrange_picks(seed, n, pool_size, per_target, with_exclusions):
    # "draw/1" is defined with random.Random.randrange (module docstring): the picks give the targets and
    # inspectors of that plain definition, whatever the sizes (rejections, exclusions, pools of 2**k ± 1)
    seed = f"{seed:064x}"
    k = min(n, 3000)
    rng, positions = random.Random(int(seed, 16)), list(range(n))
    for i in range(k):
        j = i + rng.randrange(n - i)
        positions[i], positions[j] = positions[j], positions[i]
    assert pick_targets([(i, i, 100) for i in range(n)], seed, DrawMode.COUNT, None, k) == sorted(positions[:k])

    targets = sorted(positions[:k])
    pool = [10 * i + 3 for i in range(pool_size)]
    exclusions = ({str(t): {str(pool[(t + d) % pool_size]): "r" for d in range(t % 4)} for t in targets[:200]}
                  if with_exclusions else {})
    rng, expected, short = random.Random(int(seed, 16) ^ 0x5EED), [], []
    for target in targets:
        excluded = exclusions.get(str(target), {})
        if pool_size - len(excluded) < per_target:
            short.append(target)
            continue
        chosen = []
        while len(chosen) < per_target:
            inspector = pool[rng.randrange(pool_size)]
            if inspector not in chosen and str(inspector) not in excluded:
                chosen.append(inspector)
        expected.append([target, sorted(chosen)])
    assert pick_inspectors(targets, pool, exclusions, seed, per_target) == (expected, short)


def assigned_check(staff, supervisor, pool, version):
    licence = licensed(person(), staff)
    run_draw(draw_id=define(supervisor, pool, version).pk, by=supervisor)
    obligation = Obligation.objects.get(licence=licence)
    inspectors = [a.inspector for a in obligation.assignments.all()]
    return licence, obligation, inspectors


def test_the_field_record_is_signed_by_both_and_frozen(staff, supervisor, pool):
    version = make_matter()
    licence, obligation, (first, second) = assigned_check(staff, supervisor, pool, version)
    outsider = next(p for p in pool if p not in (first, second))
    with pytest.raises(PermissionDenied):
        record_open(obligation_id=obligation.pk, by=outsider)
    record = record_open(obligation_id=obligation.pk, by=first)
    (item,) = record.items.all()
    assert item.text == "经营场所面积、布局与申报一致"
    with pytest.raises(Refused):  # incomplete
        record_sign(record_id=record.pk, by=first)
    with pytest.raises(Refused):  # not met needs a note
        record_item(record_id=record.pk, item_id=item.pk, by=first, result="not_met")
    record_item(record_id=record.pk, item_id=item.pk, by=first, result="met", note="与平面图一致")
    record_photo(record_id=record.pk, by=first, upload=png("site.png"), item_id=item.pk)
    record_sign(record_id=record.pk, by=first)
    with pytest.raises(Refused):  # signing twice
        record_sign(record_id=record.pk, by=first)
    with pytest.raises(Refused):  # frozen after the first signature
        record_item(record_id=record.pk, item_id=item.pk, by=second, result="not_met", note="x")
    record = record_sign(record_id=record.pk, by=second)
    obligation.refresh_from_db()
    assert record.state == RecordState.SIGNED and record.conclusion == "compliant"
    assert obligation.state == ObligationState.COMPLIANT
    assert Draw.objects.get().state == DrawState.CONCLUDED
    correction = record_correct(record_id=record.pk, by=second, reason="照片标注错误")
    assert correction.corrects == record and correction.state == RecordState.DRAFT
    assert not Violation.objects.exists()


def test_a_non_compliant_check_opens_a_violation_and_loses_notify_and_commit(staff, supervisor, pool):
    version = make_matter()
    licence, obligation, (first, second) = assigned_check(staff, supervisor, pool, version)
    record = record_open(obligation_id=obligation.pk, by=second)
    item = record.items.get()
    record_item(record_id=record.pk, item_id=item.pk, by=second, result="not_met", note="实际面积仅为申报的一半")
    record_sign(record_id=record.pk, by=second)
    record_sign(record_id=record.pk, by=first)
    violation = Violation.objects.get()
    assert violation.kind_id == "untrue" and "实际面积仅为申报的一半" in violation.findings
    assert list(violation.licences.all()) == [licence]
    assert Obligation.objects.get(pk=obligation.pk).state == ObligationState.NON_COMPLIANT
    (restriction,) = active_restrictions(licence.holder, timezone.now())
    assert restriction.violation == violation and not restriction.key_supervision
    assert licence.state == LicenceState.VALID  # revocation only through the ladder


def on_day(day):
    """Time stands still at noon of that local day."""
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def test_the_overdue_sweep_counts_the_newly_overdue_and_writes_nothing(staff):
    """Overdue is derived from the due date: the sweep counts the open obligations that became overdue in its
    period (by default today: those due yesterday), writes nothing, and gives the same answer when run again."""
    make_matter()
    licence = licensed(person(), staff)
    other = licensed(person("B"), staff)
    due = licence.obligation.due_on
    Obligation.objects.filter(pk=other.obligation.pk).update(due_on=due + timedelta(days=1))
    before = list(Obligation.objects.order_by("pk").values())

    assert obligations_sweep_overdue(today=due) == 0  # the due day itself is not late
    assert obligations_sweep_overdue(today=due + timedelta(days=1)) == 1
    assert obligations_sweep_overdue(today=due + timedelta(days=1)) == 1  # a re-run: same answer
    assert obligations_sweep_overdue(today=due + timedelta(days=2)) == 1  # the other one only
    assert obligations_sweep_overdue(today=due + timedelta(days=3)) == 0
    assert obligations_sweep_overdue(today=due + timedelta(days=3), since=due + timedelta(days=1)) == 2
    assert list(Obligation.objects.order_by("pk").values()) == before

    obligation = Obligation.objects.get(pk=licence.obligation.pk)
    with on_day(due + timedelta(days=5)):
        assert obligation.overdue_since == due + timedelta(days=1)
        Obligation.objects.filter(pk=obligation.pk).update(state=ObligationState.COMPLIANT)
        assert obligations_sweep_overdue(today=due + timedelta(days=1)) == 0  # concluded: not overdue
        obligation.refresh_from_db()
        assert obligation.overdue_since is None
    with on_day(due):
        assert Obligation.objects.get(pk=other.obligation.pk).overdue_since is None  # not due yet
