from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("credit evaluation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .seed import models_sync

        post_migrate.connect(models_sync, sender=self)
        from approvals import ports as approval_ports
        from approvals.roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF
        from inspections import ports as inspection_ports
        from sanctions import ports as sanction_ports

        from .providers import computed_grades, record_check
        from .services.entries import on_obligation_concluded, on_sanction_act

        for port, hook in ((approval_ports.grade_providers, computed_grades),
                           (approval_ports.credit_check_listeners, record_check),
                           (sanction_ports.act_listeners, on_sanction_act),
                           (inspection_ports.obligation_concluded_handlers, on_obligation_concluded)):
            if hook not in port:
                port.append(hook)
        for role, codenames in ((SUPERVISOR, ["view_score", "view_entry", "add_entry", "view_evaluationmodel",
                                              "view_modelversion"]),
                                (ADMINISTRATOR, ["view_score", "view_entry", "add_entry", "view_evaluationmodel",
                                                 "add_modelversion", "change_modelversion", "view_modelversion"]),
                                (WINDOW_STAFF, ["view_score", "view_entry"])):
            perms = approval_ports.role_permissions.setdefault(role, [])
            for codename in codenames:
                if f"credit.{codename}" not in perms:
                    perms.append(f"credit.{codename}")
