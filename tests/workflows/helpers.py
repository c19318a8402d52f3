"""Reading the application's process the way a test asserts on it."""

from viewflow.workflow.status import STATUS

from workflows.selectors import process_for

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def process_of(application):
    return process_for(application.pk)


def history(application) -> list[tuple[str, str]]:
    """(node, status) of every task of the application's process, in creation order."""
    return [(task.flow_task.name, task.status) for task in process_of(application).task_set.order_by("pk")]


def open_tasks(application):
    return list(process_of(application).task_set.filter(status__in=OPEN).order_by("pk"))


def open_nodes(application) -> list[str]:
    return [task.flow_task.name for task in open_tasks(application)]
