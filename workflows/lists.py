"""viewflow's list pages of the application process (inbox, queue, archive, process and task lists) with column
labels and task names in the user's language.

viewflow 2.x names a column after the view's (or the viewset's) method of that name, else the model's field or
attribute: `brief` (a model property), `process_summary`, `process_id`, `active_tasks` have no short_description,
so their headers were pretty_name() of the attribute ("Brief", "Process summary", ...), never translated. A method
of the view wins over the model's attribute, so each view here names them; the values stay viewflow's. The task
list's "task" column and the task filters showed the node's attribute name ("Await Decision"); they show the
node's title (flows.py `.Annotation(title=...)`), as the inbox and queue do (Task.title)."""

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow.views import filters
from viewflow.workflow.flow.views.dashboard import DashboardProcessListView, DashboardTaskListView
from viewflow.workflow.flow.views.list import FlowArchiveListView, FlowInboxListView, FlowQueueListView


def task_choices(queryset) -> list[tuple[str, str]]:
    """viewflow's task filter choices (filters.get_queryset_flow_task_choices), labelled with the task titles."""
    tasks = queryset.order_by("flow_task").values_list("flow_task", flat=True).distinct()
    return [(get_task_ref(flow_task), flow_task.task_title) for flow_task in tasks]


class TaskTitleChoices:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flow_task"].field.choices = task_choices(self.queryset)


class UserTaskListFilter(TaskTitleChoices, filters.FlowUserTaskListFilter):
    pass


class ArchiveListFilter(TaskTitleChoices, filters.FlowArchiveListFilter):
    pass


class TaskListFilter(TaskTitleChoices, filters.DashboardTaskListViewFilter):
    pass


class BriefColumn:
    def brief(self, obj):
        return obj.brief

    brief.short_description = _("Summary")


class InboxView(BriefColumn, FlowInboxListView):
    filterset_class = UserTaskListFilter


class QueueView(BriefColumn, FlowQueueListView):
    filterset_class = UserTaskListFilter


class ArchiveView(BriefColumn, FlowArchiveListView):
    filterset_class = ArchiveListFilter

    def process_summary(self, task):
        return super().process_summary(task)

    process_summary.short_description = _("Process summary")


class ProcessListView(BriefColumn, DashboardProcessListView):
    def process_id(self, process):
        return super().process_id(process)

    process_id.short_description = _("Process No.")

    def active_tasks(self, process):
        return super().active_tasks(process)

    active_tasks.short_description = _("Open tasks")


class TaskListView(DashboardTaskListView):
    filterset_class = TaskListFilter

    def flow_task(self, task):
        return task.title

    flow_task.short_description = _("Task")
    flow_task.orderby_column = "flow_task"  # as the model field's column was

    def process_summary(self, task):
        return super().process_summary(task)

    process_summary.short_description = _("Process summary")
