from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("sanctions")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(kinds_sync, sender=self)
        # the credit check in approvals asks whoever registered; it never imports sanctions
        from approvals import ports
        from approvals.roles import SUPERVISOR

        from .selectors import restrictions_in_force
        from .services import violation_open_for_overdue_supplement
        from .services.feed import on_process_event

        if restrictions_in_force not in ports.restriction_lookups:
            ports.restriction_lookups.append(restrictions_in_force)
        if violation_open_for_overdue_supplement not in ports.supplement_overdue_after_decision_handlers:
            ports.supplement_overdue_after_decision_handlers.append(violation_open_for_overdue_supplement)
        if on_process_event not in ports.process_listeners:
            ports.process_listeners.append(on_process_event)
        from inspections import ports as inspection_ports

        from .services.cases import violation_open_for_noncompliance

        if violation_open_for_noncompliance not in inspection_ports.noncompliance_handlers:
            inspection_ports.noncompliance_handlers.append(violation_open_for_noncompliance)
        perms = ports.role_permissions.setdefault(SUPERVISOR, [])
        for model in ("violation", "violationkind", "objection", "repair", "feedrecord"):
            for action in ("view", "add", "change"):
                if f"sanctions.{action}_{model}" not in perms:
                    perms.append(f"sanctions.{action}_{model}")


def kinds_sync(**kwargs) -> None:
    """The built-in violation kinds exist after every migrate (a test database flush removes the migration's
    rows); an administrator's changes to them (level, in use) are kept."""
    from .models import BUILTIN_KINDS, ViolationKind

    for code, name, name_en, level in BUILTIN_KINDS:
        ViolationKind.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "level": level,
                                                                 "builtin": True})
