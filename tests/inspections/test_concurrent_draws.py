"""Two supervisors starting the same draw at once produce one draw; two different draws over overlapping
populations never draw the same licence twice (PostgreSQL, real threads)."""

import pytest
from django.db import connection  # noqa: F401 - read by the skipif condition

from inspections.models import Assignment, Draw, DrawMode, DrawState
from inspections.services import draw_run
from tests.approvals.process import make_matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import run_concurrently
from tests.inspections.test_draws_and_records import define, licensed, person, pool, supervisor  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_the_same_draw_started_twice_at_once_runs_once(staff, supervisor, pool):
    version = make_matter()
    [licensed(person(), staff) for _ in range(4)]
    draw = define(supervisor, pool, version)
    outcomes = run_concurrently(2, lambda i: draw_run(draw_id=draw.pk, by=supervisor))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Draw.objects.get().state == DrawState.DRAWN and Assignment.objects.count() == 8


def test_two_draws_at_once_share_no_licence(staff, supervisor, pool):
    version = make_matter()
    [licensed(person(), staff) for _ in range(6)]
    draws = [define(supervisor, pool, version, mode=DrawMode.COUNT, count=3) for _ in range(2)]
    outcomes = run_concurrently(2, lambda i: draw_run(draw_id=draws[i].pk, by=supervisor))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    targets = [target for draw in Draw.objects.all() for target, _inspectors in draw.result]
    assert len(targets) == 6 == len(set(targets))


def test_two_applies_of_one_draw_at_once_write_each_assignment_once(staff, supervisor, pool, monkeypatch):
    from inspections.services import draw_apply
    from inspections.services import draws as draws_module

    version = make_matter()
    [licensed(person(), staff) for _ in range(5)]
    monkeypatch.setattr(draws_module, "enqueue", lambda *args, **kwargs: None)  # its task not sent: still pending
    draw = draw_run(draw_id=define(supervisor, pool, version).pk, by=supervisor)
    assert draw.applied_at is None and not Assignment.objects.exists()
    monkeypatch.setattr(draws_module, "APPLY_TARGETS", 2)  # three chunks, each its own transaction
    outcomes = run_concurrently(2, lambda i: draw_apply(draw.pk))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    draw.refresh_from_db()
    assert draw.applied == 5 and draw.applied_at is not None
    assert sorted(Assignment.objects.values_list("obligation_id", "inspector_id")) == sorted(
        (target, inspector) for target, inspectors in draw.result for inspector in inspectors)
