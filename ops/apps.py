from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("operations")

    def ready(self):
        from inspections import ports as inspection_ports
        from outbox import ports as outbox_ports

        from . import metrics, signals  # noqa: F401 - connects the Celery signals
        from .logs import outbox_headers

        if metrics.observe_draw not in inspection_ports.draw_completed:
            inspection_ports.draw_completed.append(metrics.observe_draw)
        if outbox_headers not in outbox_ports.header_sources:
            outbox_ports.header_sources.append(outbox_headers)
