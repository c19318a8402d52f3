"""/metrics: Prometheus text for the allowed addresses or the token only, with our figures from the database."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from approvals.services import application_choose_commitment, application_start
from ops import metrics
from tests.approvals.process import applicant, make_matter, matter, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def samples(text: str) -> dict:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_are_refused_to_other_addresses(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403


def test_metrics_with_the_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200


def test_metrics_expose_applications_documents_and_requests(client, applicant, matter):  # noqa: F811
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    found = samples(response.content.decode())
    assert found[("approvals_applications", (("mode", "commitment"), ("state", "notified")))] == 1
    assert ("approvals_outbox_backlog_oldest_age_seconds", ()) in found
    assert ("approvals_documents_pending_oldest_age_seconds", ()) in found
    assert ("approvals_timer_lag_seconds", ()) in found
    assert found[("approvals_metrics_errors", ())] == 0
    assert any(name == "django_http_requests_total_by_method_total" for name, _labels in found)


def test_draw_durations_are_observed_through_the_inspections_port():
    from inspections import ports

    assert metrics.observe_draw in ports.draw_completed
    before = metrics.DRAW_SECONDS._sum.get()
    metrics.observe_draw(draw=None, seconds=1.5)
    assert metrics.DRAW_SECONDS._sum.get() == before + 1.5
