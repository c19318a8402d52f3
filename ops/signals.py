"""Celery signals: a task enqueued while a request (or another task) is handled carries its request id in a
message header; the worker sets it for the task's run, so its log lines name the request that caused them."""

from celery.signals import before_task_publish, task_postrun, task_prerun

from .logs import HEADER, request_id_var

_tokens: dict[str, object] = {}


@before_task_publish.connect(dispatch_uid="ops.request_id.publish")
def _publish(headers=None, **_kwargs):
    request_id = request_id_var.get()
    if headers is not None and request_id != "-" and HEADER not in headers:
        headers[HEADER] = request_id


@task_prerun.connect(dispatch_uid="ops.request_id.prerun")
def _prerun(task_id=None, task=None, **_kwargs):
    request_id = getattr(task.request, HEADER, None) if task is not None else None
    if request_id and not task.request.is_eager:  # eager: already in the caller's context
        _tokens[task_id] = request_id_var.set(request_id)


@task_postrun.connect(dispatch_uid="ops.request_id.postrun")
def _postrun(task_id=None, **_kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
