from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        from . import checks  # noqa: F401  (registers the start-up template check)
        from .listeners import register

        register()
