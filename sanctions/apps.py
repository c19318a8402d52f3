from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("sanctions")

    def ready(self):
        # the credit check in approvals asks whoever registered; it never imports sanctions
        from approvals.credit.ports import restriction_lookups

        from .selectors import restrictions_in_force

        if restrictions_in_force not in restriction_lookups:
            restriction_lookups.append(restrictions_in_force)
