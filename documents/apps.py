from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("documents")

    def ready(self):
        from approvals import ports

        from .services import on_licence_issued, on_process_event

        if on_licence_issued not in ports.licence_issued_handlers:
            ports.licence_issued_handlers.append(on_licence_issued)
        if on_process_event not in ports.process_listeners:
            ports.process_listeners.append(on_process_event)
