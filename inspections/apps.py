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
        for role, perms in {
            "inspector": ["inspections.view_obligation", "inspections.view_assignment",
                          "inspections.view_inspectionrecord", "inspections.add_inspectionrecord"],
            "supervisor": ["inspections.view_obligation", "inspections.view_assignment",
                           "inspections.add_assignment", "inspections.delete_assignment", "inspections.view_draw",
                           "inspections.add_draw", "inspections.view_recusal", "inspections.add_recusal",
                           "inspections.view_inspectionrecord"],
        }.items():
            registered = ports.role_permissions.setdefault(role, [])
            registered.extend(p for p in perms if p not in registered)
