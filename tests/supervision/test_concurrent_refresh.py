"""Refreshes running at once (the beat's and a supervisor's "update now") wait for each other: no fact or sum is
written twice, and the figures are those of a single refresh (PostgreSQL, real threads and connections)."""

from datetime import timedelta

import pytest
from django.db import connection  # noqa: F401 - read by the skipif condition
from django.utils import timezone

from supervision import selectors
from supervision.models import ApplicationFact, ApplicationFigure
from supervision.selectors import Filters
from supervision.services import applications_refresh
from tests.approvals.test_concurrent_decisions import run_concurrently
from tests.supervision.world import build

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_concurrent_refreshes_write_each_fact_once():
    w = build()
    outcomes = run_concurrently(4, lambda i: applications_refresh(rebuild=i % 2 == 0))
    assert [kind for kind, _value in outcomes] == ["ok"] * 4
    assert ApplicationFact.objects.count() == 8
    keys = list(ApplicationFigure.objects.values_list("day", "level", "department", "matter", "channel", "mode"))
    assert len(keys) == len(set(keys))
    f = Filters(start=w.friday - timedelta(days=1), end=timezone.localdate())
    summary = selectors.application_summary(f)
    assert (summary["received"], summary["finished"], summary["on_the_spot"]) == (8, 5, 3)
