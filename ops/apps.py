from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("operations")

    def ready(self):
        from inspections import ports as inspection_ports

        from . import metrics, signals  # noqa: F401 - connects the Celery signals

        if metrics.observe_draw not in inspection_ports.draw_completed:
            inspection_ports.draw_completed.append(metrics.observe_draw)
