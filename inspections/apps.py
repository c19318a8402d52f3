from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("inspections")

    def ready(self):
        from approvals import ports

        from .services import obligation_create

        if obligation_create not in ports.licence_issued_handlers:
            ports.licence_issued_handlers.append(obligation_create)
