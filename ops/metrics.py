"""Prometheus metrics: django-prometheus's request metrics plus ours. Ours are read from the database at each
scrape (one collector, a handful of grouped counts), so every web node reports the same figures whatever process
did the work; only draw durations are observed as they happen (a histogram, per process; with gunicorn set
PROMETHEUS_MULTIPROC_DIR to share them between its workers)."""

import logging
import os

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

DRAW_SECONDS = Histogram("approvals_draw_duration_seconds", "Duration of a random draw (双随机), in seconds",
                         buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300))


def observe_draw(*, draw, seconds: float) -> None:
    DRAW_SECONDS.observe(seconds)


def _age(oldest, now) -> float:
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


class DatabaseCollector:
    """Gauges from the database; a failing group is skipped (and counted), never failing the whole scrape."""

    def collect(self):
        errors = GaugeMetricFamily("approvals_metrics_errors", "Metric groups that could not be read this scrape")
        failed = 0
        for group in (self._applications, self._documents, self._outbox, self._timers, self._heartbeats):
            try:
                yield from group(timezone.now())
            except Exception:  # noqa: BLE001 - a scrape reports what it can
                logger.exception("metrics group %s failed", group.__name__)
                failed += 1
        errors.add_metric([], failed)
        yield errors

    def _applications(self, now):
        from approvals.models import Application, ApplicationState

        by_mode = GaugeMetricFamily("approvals_applications", "Applications by mode and state",
                                    labels=["mode", "state"])
        for row in Application.objects.values("mode", "state").annotate(n=Count("pk")).order_by():
            by_mode.add_metric([row["mode"] or "none", row["state"]], row["n"])
        yield by_mode
        decided = GaugeMetricFamily("approvals_decisions", "Applications decided, by outcome and mode",
                                    labels=["outcome", "mode"])
        outcomes = [ApplicationState.DECIDED, ApplicationState.REJECTED, ApplicationState.FAILED]
        for row in (Application.objects.filter(state__in=outcomes).values("state", "mode")
                    .annotate(n=Count("pk")).order_by()):
            decided.add_metric([row["state"], row["mode"] or "none"], row["n"])
        yield decided

    def _documents(self, now):
        from documents.models import Document, RenderStatus

        documents = GaugeMetricFamily("approvals_documents", "Issued documents by rendering status and kind",
                                      labels=["status", "kind"])
        for row in Document.objects.values("status", "kind").annotate(n=Count("pk")).order_by():
            documents.add_metric([row["status"], row["kind"]], row["n"])
        yield documents
        oldest = Document.objects.filter(status=RenderStatus.PENDING).aggregate(t=Min("issued_at"))["t"]
        yield GaugeMetricFamily("approvals_documents_pending_oldest_age_seconds",
                                "Age of the oldest document still waiting to be rendered", value=_age(oldest, now))

    def _outbox(self, now):
        from outbox.models import Incident, Message, MessageState

        waiting = [MessageState.PENDING, MessageState.PUBLISHED]
        backlog = GaugeMetricFamily("approvals_outbox_messages", "Outbox messages by state (done ones excluded)",
                                    labels=["state"])
        for row in Message.objects.exclude(state=MessageState.DONE).values("state").annotate(n=Count("pk")).order_by():
            backlog.add_metric([row["state"]], row["n"])
        yield backlog
        oldest = Message.objects.filter(state__in=waiting).aggregate(t=Min("created_at"))["t"]
        yield GaugeMetricFamily("approvals_outbox_backlog_oldest_age_seconds",
                                "Age of the oldest outbox message not yet done", value=_age(oldest, now))
        yield GaugeMetricFamily("approvals_outbox_incidents_open", "Task incidents not yet resolved",
                                value=Incident.objects.filter(resolved_at__isnull=True).count())

    def _timers(self, now):
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        due = Task.objects.filter(status=STATUS.SCHEDULED, scheduled__lte=now)
        found = due.aggregate(n=Count("pk"), t=Min("scheduled"))
        yield GaugeMetricFamily("approvals_timers_due", "Workflow timers due and not yet fired", value=found["n"])
        yield GaugeMetricFamily("approvals_timer_lag_seconds", "How late the most overdue workflow timer is",
                                value=_age(found["t"], now))

    def _heartbeats(self, now):
        from .models import Heartbeat

        ages = GaugeMetricFamily("approvals_heartbeat_age_seconds",
                                 "Seconds since a role's last heartbeat (scheduler: beat → worker, every minute)",
                                 labels=["name"])
        for name, at in Heartbeat.objects.values_list("name", "at"):
            ages.add_metric([name], _age(at, now))
        yield ages


_database = DatabaseCollector()


def exposition() -> bytes:
    """The text the /metrics endpoint returns: the process's (or, under PROMETHEUS_MULTIPROC_DIR, all gunicorn
    workers') metrics, then ours from the database."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    ours = CollectorRegistry(auto_describe=False)
    ours.register(_database)
    return generate_latest(registry) + generate_latest(ours)
