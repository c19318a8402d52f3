from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("documents")

    def ready(self):
        from approvals import ports

        from .batch import on_package_decided
        from .selectors import package_page_context
        from .sanctions import register as register_sanction_documents
        from .services import on_licence_issued, on_process_event

        register_sanction_documents()

        if on_licence_issued not in ports.licence_issued_handlers:
            ports.licence_issued_handlers.append(on_licence_issued)
        if on_process_event not in ports.process_listeners:
            ports.process_listeners.append(on_process_event)
        for port, fn in ((ports.package_decided_handlers, on_package_decided),
                         (ports.package_page_context, package_page_context)):
            if fn not in port:
                port.append(fn)
