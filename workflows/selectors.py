"""Reading the process for pages that do not use viewflow's frontend (e.g. an inbox on the home page)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from viewflow.workflow.status import PROCESS, STATUS

from .flows import ApplicationFlow, ApplicationProcess


def application_type() -> ContentType:
    return ContentType.objects.get_by_natural_key("approvals", "application")  # cached by ContentType's manager


def process_for(application_id: int) -> ApplicationProcess | None:
    """The application's process (its artifact is the application), or None if it was never started."""
    return (ApplicationProcess.objects.filter(flow_class=ApplicationFlow, artifact_content_type=application_type(),
                                              artifact_object_id=application_id)
            .order_by("-pk").first())


@dataclass(frozen=True)
class OpenTask:
    task_id: int
    process_id: int
    application_id: int
    node: str  # "sign" | "decide" | "review"
    title: str
    assigned: bool  # True: in the user's inbox (assigned to them); False: in a queue they may take from
    created: datetime


def open_tasks_for(user) -> list[OpenTask]:
    """The user's open human tasks of the application process: assigned to them, then those waiting in a
    queue whose permission they hold; oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    task_class = ApplicationFlow.task_class
    queue = Q(status=STATUS.NEW, owner__isnull=True, owner_permission__in=user.get_all_permissions())
    tasks = (task_class._default_manager
             .filter(process__flow_class=ApplicationFlow, process__status=PROCESS.NEW, flow_task_type="HUMAN")
             .filter(Q(owner=user, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]) | queue)
             .select_related("process").order_by("created", "pk"))
    result = [
        OpenTask(task_id=task.pk, process_id=task.process_id, application_id=task.process.artifact_object_id,
                 node=task.flow_task.name, title=str(task.title), assigned=task.owner_id == user.pk,
                 created=task.created)
        for task in tasks
    ]
    return sorted(result, key=lambda t: not t.assigned)  # stable: inbox first, each oldest first
