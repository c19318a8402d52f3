"""Keeps each application's viewflow process in step with the application (approvals.ports.process_listeners).

The application is the truth and the process follows it, after the act:
- inside the service's transaction (after the application's row lock and its transition), `on_application_event`
  only writes the event (ProcessEvent), one INSERT: viewflow's bookkeeping (tasks, their links, the process lock,
  about 20 statements an event) is not on the act's path;
- once that commits, the task workflows.tasks.process_follow is sent (in the embedded eager default it runs
  in-process at once); `follow` locks the application's waiting events, applies them in the order they were
  written, and deletes them (what happened stays in the application's state changes and the process's tasks).
  A second run for the same application waits for the lock, then finds nothing left. The events are the durable
  record: a send that failed (broker away) or a message lost is made good by `follow_stale` (the periodic
  workflows.tasks.process_follow_sweep), as packages_prepare_sweep does for packages.

An event the process cannot follow (no process, no matching open task, e.g. a repeated event) changes nothing and
is logged; an unexpected error is logged and rolled back to a savepoint, and the event is taken off all the same:
the process is then out of step, as the log says, and a retry would fail the same way."""

import functools
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from approvals.models import Application, Mode, StateChange

from .flows import ApplicationFlow
from .models import ProcessEvent
from .selectors import application_type, process_for

logger = logging.getLogger(__name__)

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def on_application_event(event: str, application) -> None:
    """Record the event for the process to follow after the commit (one INSERT in the caller's transaction)."""
    on_application_events(event, [application])


def on_application_events(event: str, applications: list) -> None:
    """on_application_event for many applications that made the same move (a package's chunk): one INSERT, and
    one task after the commit that follows them all, each in its own order."""
    if event not in HANDLERS:
        logger.warning("Applications %s: event %r has no process step", [a.pk for a in applications], event)
        return
    ProcessEvent.objects.bulk_create([ProcessEvent(application_id=a.pk, event=event, by=_actor(a))
                                      for a in applications])
    transaction.on_commit(functools.partial(_send, [a.pk for a in applications]), robust=True)


on_application_event.many = on_application_events  # approvals.ports.emit_many


def _send(application_ids: list[int]) -> None:
    from .tasks import process_follow

    try:  # no broker retries: a broker outage must not hold the request; the sweep follows later
        process_follow.apply_async(args=[application_ids], retry=False)
    except Exception as error:  # noqa: BLE001 - the broker's errors vary by transport; the events are kept
        logger.warning("Applications %s: the process will follow at the next sweep (sending failed: %s)",
                       application_ids, error)


def follow(*application_ids: int) -> int:
    """Apply the applications' waiting events, each application's in the order written, and delete them;
    -> how many. One transaction for them all (a package's chunk: one commit instead of one per application;
    each event still in its own savepoint, see _apply): the events' row locks keep two runs for one
    application from applying the same event twice or out of order."""
    with transaction.atomic():
        events = list(ProcessEvent.objects.select_for_update(of=("self",)).select_related("by")
                      .filter(application_id__in=application_ids).order_by("pk"))
        if not events:
            return 0
        applications = Application.objects.in_bulk({recorded.application_id for recorded in events})
        for recorded in events:
            application = applications[recorded.application_id]
            application.event_by = recorded.by
            _apply(recorded.event, application)
        ProcessEvent.objects.filter(pk__in=[recorded.pk for recorded in events]).delete()
    return len(events)


def follow_stale(*, older_than: timedelta = timedelta(seconds=60), limit: int = 1000, chunk: int = 100) -> int:
    """Follow the applications whose events have waited longer than `older_than` (their message was never sent
    or was lost), `chunk` applications a transaction; -> events followed."""
    since = timezone.now() - older_than
    waiting = list(ProcessEvent.objects.filter(at__lt=since).order_by("application_id")
                   .values_list("application_id", flat=True).distinct()[:limit])
    return sum(follow(*waiting[start:start + chunk]) for start in range(0, len(waiting), chunk))


def _apply(event: str, application) -> None:
    handler = HANDLERS[event]
    try:
        with transaction.atomic():
            handler(application, event)
    except Exception:
        logger.exception("Application #%s: the process could not follow %r; it is out of step", application.pk,
                         event)


def _open_process(application, event):
    process = process_for(application.pk)
    if process is None:
        logger.info("Application #%s has no process (started before the flow existed?); %r skipped",
                    application.pk, event)
        return None
    if process.status != PROCESS.NEW:
        logger.info("Application #%s: process #%s is %s; %r skipped", application.pk, process.pk, process.status,
                    event)
        return None
    return process


def _live_task(application, event, *nodes):
    """The open task at one of `nodes` in the application's running process, read with its process in one
    query; None if there is none (the log then says whether the process is missing or no longer running)."""
    task = (ApplicationFlow.task_class._default_manager
            .filter(process__flow_class=ApplicationFlow, process__artifact_content_type=application_type(),
                    process__artifact_object_id=application.pk, process__status=PROCESS.NEW,
                    flow_task__in=nodes, status__in=OPEN)
            .select_related("process").order_by("-process_id", "-pk").first())
    if task is None:
        _open_process(application, event)
    return task


def _actor(application):
    """Who made the transition just recorded (the services record it before they emit; move() also hands it
    over on the instance)."""
    if hasattr(application, "event_by"):
        return application.event_by
    change = (StateChange.objects.filter(content_type=application_type(), object_id=application.pk)
              .select_related("by").order_by("-at", "-pk").first())
    return change.by if change else None


def _skip(application, event, expected):
    logger.info("Application #%s: no open %s task; %r changes nothing", application.pk, expected, event)


def _started(application, event):
    if process_for(application.pk) is not None:
        return _skip(application, event, "start")
    ApplicationFlow.start.run(application=application)


def _mode_chosen(application, event):
    task = _live_task(application, event, ApplicationFlow.choose_mode)
    if task is None:
        return _skip(application, event, "mode choice")
    mode = Mode.COMMITMENT if event == "notified" else Mode.STANDARD
    ApplicationFlow.choose_mode.run(task, mode=mode.value, event=event)


def _withdrawn(application, event):
    task = _live_task(application, event, ApplicationFlow.withdrawn_before_signing,
                      ApplicationFlow.withdrawn_after_signing)
    if task is None:
        return _skip(application, event, "signature or decision")
    task.flow_task.run(task, event=event)  # the first-wins split cancels the sign/decide task; back to the mode choice


def _converted(application, event):
    """Staff moved a commitment application to standard review: leave the sign/decide branch as a withdrawal
    does, then take the standard branch of the mode choice."""
    _withdrawn(application, event)
    _mode_chosen(application, "standard_review")


def _accepted_lenient(application, event):
    process = _open_process(application, event)
    if process is None:
        return
    with ApplicationFlow.lock(process.pk):  # the decision task stays open: staff decide when supplied
        process.refresh_from_db()
        process.lenient, process.last_event = True, event
        process.save(update_fields=["data"])


def _complete(application, event, *nodes):
    task = _live_task(application, event, *nodes)
    if task is None:
        return _skip(application, event, "/".join(node.name for node in nodes))
    actor = _actor(application)
    with task.activation() as activation:  # locks the process, re-reads the task
        if activation.task.status not in OPEN:
            return _skip(application, event, activation.flow_task.name)
        ApplicationFlow.instance.record(activation, event)
        if activation.task.status == STATUS.NEW:
            activation.assign(actor)  # the queue task is taken by whoever acted
        elif actor is not None and activation.task.owner_id != actor.pk:
            activation.reassign(user=actor)  # the task records who actually did it
        activation.start(request=None)
        activation.execute()


def _signed(application, event):
    _complete(application, event, ApplicationFlow.sign)


def _decided(application, event):
    _complete(application, event, ApplicationFlow.decide, ApplicationFlow.review)


def _ended(application, event):
    process = _open_process(application, event)
    if process is None:
        return
    process.last_event = event
    ApplicationFlow.instance.cancel(process)  # cancels the open tasks, marks the process canceled (and saves it)


HANDLERS = {
    "started": _started,
    "notified": _mode_chosen,
    "standard_review": _mode_chosen,
    "signed": _signed,
    "signature_withdrawn": _withdrawn,
    "converted_to_standard": _converted,
    "accepted_lenient": _accepted_lenient,
    "decided": _decided,
    "rejected": _decided,
    "failed": _ended,
    "terminated": _ended,
}
