from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("workflows")

    def ready(self):
        # approvals never imports workflows: it tells whoever registered (ports) how an application moved
        from approvals import ports

        from .permissions import register_flow_permissions
        from .sync import on_application_event

        if on_application_event not in ports.process_listeners:
            ports.process_listeners.append(on_application_event)
        register_flow_permissions()
