"""The process panel of viewflow's process and task pages (templates/viewflow/workflow/process_data.html) lists
the process's fields and then its application's: both have a status and a creation time, which viewflow labels
alike (状态, 创建时间). Those rows are named after their owner here: 流程状态 / 办件状态 ..."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {  # (model label, field name) -> the panel's label
    ("viewflow.process", "status"): _("process status"),
    ("viewflow.process", "created"): _("process created at"),
    ("viewflow.process", "finished"): _("process finished at"),
    ("approvals.application", "state"): _("application state"),
    ("approvals.application", "created_at"): _("application created at"),
}


@register.filter
def panel_label(field, default):
    """{{ field|panel_label:field_name }}: the owner-qualified label of an ambiguous field, else viewflow's."""
    return LABELS.get((field.model._meta.label_lower, field.name), default)
