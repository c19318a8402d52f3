"""viewflow's frontend for the application process, mounted at /flow/ (config/urls.py): the window staff's
inbox, queue and archive. Only the flow app; logins are the project's own (/accounts/login/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site
from viewflow.workflow.flow import FlowAppViewset

from . import lists
from .flows import ApplicationFlow


class ApplicationFlowViewset(FlowAppViewset):
    """viewflow's, with the list pages of workflows.lists (translated column labels and task names)."""

    inbox_view_class = lists.InboxView
    queue_view_class = lists.QueueView
    archive_view_class = lists.ArchiveView
    process_list_view_class = lists.ProcessListView
    task_list_view_class = lists.TaskListView


site = Site(title=_("Application process"), viewsets=[ApplicationFlowViewset(ApplicationFlow, icon="assignment")])

urlpatterns = [path("", site.urls)]
