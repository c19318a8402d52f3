"""Task links of the viewflow frontend lead to our application page: the work is done there, through the
services, and the process listener completes the task. Nothing here changes a task."""

from django.urls import Resolver404, get_script_prefix, resolve
from django.views.generic import RedirectView
from viewflow.workflow.flow.views import UserIndexTaskView


def application_page(application_id) -> str | None:
    """The path of the application page (/applications/<id>/) if the project serves one, else None."""
    if not application_id:
        return None
    path = f"/applications/{application_id}/"
    try:
        resolve(path)
    except Resolver404:
        return None
    return get_script_prefix() + path.lstrip("/")


class TaskIndexView(UserIndexTaskView):
    """The task's "open" link (#process/task in inbox and queue): the application page, or viewflow's default."""

    def get_redirect_url(self, *args, **kwargs):
        return application_page(self.request.activation.process.artifact_object_id) or super().get_redirect_url(
            *args, **kwargs)


class OpenApplicationView(RedirectView):
    """The "execute" view of a human task: redirect, never complete (a GET's in-memory start() is not saved)."""

    def get_redirect_url(self, *args, **kwargs):
        activation = self.request.activation
        return application_page(activation.process.artifact_object_id) or activation.flow_task.reverse(
            "detail", args=[activation.process.pk, activation.task.pk])
