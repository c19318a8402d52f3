"""A draw's result is fixed and stored by its run; its assignments and obligation states are written after the
run's commit (draw_apply, sent by the outbox), a chunk per transaction (issue 8: a provincial draw's writes took
3–4 s inside the run)."""

import pytest

from approvals.services import Refused
from inspections import ports as inspection_ports
from inspections.models import Assignment, Draw, DrawMode, Obligation, ObligationState
from inspections.services import draw_apply, draw_run, draw_verify, draws_apply_pending
from inspections.services import draws as draws_module
from outbox.models import Message
from tests.approvals.process import make_matter, staff  # noqa: F401
from tests.inspections.drawing import run_draw
from tests.inspections.test_draws_and_records import define, licensed, person, pool, supervisor  # noqa: F401

pytestmark = pytest.mark.django_db


def assigned_pairs():
    return sorted(Assignment.objects.values_list("obligation_id", "inspector_id"))


def result_pairs(*draws):
    return sorted((target, inspector) for draw in draws for target, inspectors in draw.result
                  for inspector in inspectors)


def test_the_run_stores_the_result_and_the_assignments_follow_its_commit(staff, supervisor, pool,  # noqa: F811
                                                                          django_capture_on_commit_callbacks):
    version = make_matter()
    [licensed(person(), staff) for _ in range(4)]
    draw = define(supervisor, pool, version)
    with django_capture_on_commit_callbacks() as at_commit:
        draw = draw_run(draw_id=draw.pk, by=supervisor)
    assert len(draw.result) == 4 and draw.applied == 0 and draw.applied_at is None
    assert not Assignment.objects.exists()
    assert set(Obligation.objects.values_list("state", flat=True)) == {ObligationState.DUE}
    message = Message.objects.get(key=f"draw-apply:{draw.pk}")  # durable: the relay sends it again if lost
    assert message.task_name == "inspections.tasks.draw_apply" and message.args == [draw.pk]
    assert "正在写入" in draw_verify(draw)[0]

    for callback in at_commit:  # the outbox sends the task at the commit (run in-process here)
        callback()
    draw.refresh_from_db()
    assert draw.applied == 4 and draw.applied_at is not None and draw_verify(draw) == []
    assert assigned_pairs() == result_pairs(draw)
    assert set(Obligation.objects.values_list("state", "draw")) == {(ObligationState.ASSIGNED, draw.pk)}

    draw_apply(draw.pk)  # a redelivery does nothing
    assert assigned_pairs() == result_pairs(draw) and Draw.objects.get().applied == 4


def test_an_interrupted_apply_resumes_at_the_chunk_it_stopped(staff, supervisor, pool, monkeypatch):  # noqa: F811
    version = make_matter()
    [licensed(person(), staff) for _ in range(5)]
    draw = draw_run(draw_id=define(supervisor, pool, version).pk, by=supervisor)
    monkeypatch.setattr(draws_module, "APPLY_TARGETS", 2)
    real_set_state, calls = draws_module._set_state, []

    def failing_third_chunk(ids, **kwargs):
        calls.append(ids)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_set_state(ids, **kwargs)

    monkeypatch.setattr(draws_module, "_set_state", failing_third_chunk)
    with pytest.raises(RuntimeError):
        draw_apply(draw.pk)
    draw.refresh_from_db()
    # two chunks committed with their progress; the third rolled back whole (assignments too)
    assert draw.applied == 4 and draw.applied_at is None
    assert Assignment.objects.count() == 8 and Obligation.objects.filter(state=ObligationState.ASSIGNED).count() == 4
    draw = draw_apply(draw.pk)
    assert calls[3] == [draw.result[4][0]]  # only the last target was written again
    assert draw.applied == 5 and draw.applied_at and assigned_pairs() == result_pairs(draw)
    assert draw_verify(draw) == []


def test_a_weighted_draw_marks_the_rest_not_drawn_in_chunks(staff, supervisor, pool, monkeypatch):  # noqa: F811
    version = make_matter(verification_scope="random", commitment_grades=["A", "B", "C"],
                          verification_shares={"A": 0, "B": 100, "C": 100, "D": 100})
    drawn_ones = [licensed(person("B"), staff) for _ in range(3)]
    [licensed(person("A"), staff) for _ in range(7)]
    draw = draw_run(draw_id=define(supervisor, pool, version, mode=DrawMode.WEIGHTED).pk, by=supervisor)
    assert sorted(target for target, _inspectors in draw.result) == sorted(l.obligation.pk for l in drawn_ones)
    monkeypatch.setattr(draws_module, "APPLY_NOT_DRAWN", 3)
    real, states = draws_module._set_state, []

    def counting(ids, **kwargs):
        states.append((kwargs["state"], len(ids)))
        return real(ids, **kwargs)

    monkeypatch.setattr(draws_module, "_set_state", counting)
    told = []
    monkeypatch.setattr(inspection_ports, "draw_completed",
                        [lambda draw, seconds: told.append((len(states), Assignment.objects.count()))])
    draw = draw_apply(draw.pk)
    assert draw.applied == 10 and draw.applied_at
    assert told == [(1, 6)]  # once, as the assignments were in, before the not-drawn marks
    drawn = {target for target, _inspectors in draw.result}
    for pk, state, by in Obligation.objects.values_list("pk", "state", "draw"):
        assert by == draw.pk and state == (ObligationState.ASSIGNED if pk in drawn else ObligationState.NOT_SELECTED)
    # the drawn in one chunk, the seven not drawn three a transaction
    assert states == [(ObligationState.ASSIGNED, 3)] + [(ObligationState.NOT_SELECTED, n) for n in (3, 3, 1)]
    assert draw_verify(draw) == []


def test_a_later_draw_applies_an_earlier_one_first_and_never_draws_its_targets(staff, supervisor, pool):  # noqa: F811
    version = make_matter()
    [licensed(person(), staff) for _ in range(6)]
    first = draw_run(draw_id=define(supervisor, pool, version, mode=DrawMode.COUNT, count=3).pk, by=supervisor)
    assert first.applied_at is None  # its task not run (lost, or the worker busy)
    second = run_draw(draw_id=define(supervisor, pool, version, mode=DrawMode.COUNT, count=3).pk, by=supervisor)
    first.refresh_from_db()
    assert first.applied_at is not None and second.population_size == 3
    assert not {t for t, _ in first.result} & {t for t, _ in second.result}
    assert assigned_pairs() == result_pairs(first, second)
    assert draws_apply_pending() == 0


def test_inspectors_are_told_when_the_assignments_are_in(staff, supervisor, pool,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    from notifications.models import Message as Notification

    version = make_matter()
    [licensed(person(), staff) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        draw = draw_run(draw_id=define(supervisor, pool, version).pk, by=supervisor)
    told = Notification.objects.filter(event="inspection_assigned")
    assert told.count() == Assignment.objects.filter(draw=draw).count() == 4
    assert set(told.values_list("recipient", flat=True)) == set(Assignment.objects.values_list("inspector", flat=True))


def test_a_draw_is_refused_clearly_while_an_earlier_draws_assignments_cannot_be_written(  # noqa: F811
        staff, supervisor, pool, monkeypatch):
    version = make_matter()
    [licensed(person(), staff) for _ in range(4)]
    first = draw_run(draw_id=define(supervisor, pool, version, mode=DrawMode.COUNT, count=2).pk, by=supervisor)
    second = define(supervisor, pool, version, mode=DrawMode.COUNT, count=2)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(draws_module, "_assign", broken)
    with pytest.raises(Refused, match="此前一次抽查的核查分派尚未能写入（disk full）"):
        draw_run(draw_id=second.pk, by=supervisor)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == "defined" and second.number is None  # nothing lost: it runs once the first is in
    assert first.applied == 0 and first.applied_at is None and not Assignment.objects.exists()
    monkeypatch.undo()
    second = run_draw(draw_id=second.pk, by=supervisor)
    first.refresh_from_db()
    assert first.applied_at and second.applied_at and assigned_pairs() == result_pairs(first, second)
