"""Where each event comes from: the ports of approvals, sanctions and inspections (registered in apps.py).
Each listener runs in the act's transaction and only writes rows (notify); sending waits for the commit."""

from django.urls import reverse
from django.utils import timezone

from approvals.roles import SUPERVISOR

from .services import Item, for_role, for_subject, for_user, notify, notify_many

# approvals.ports.process_listeners event -> our event
PROCESS_EVENTS = {
    "started": "application_received",
    "notified": "notice_ready",
    "standard_review": "standard_review",
    "converted_to_standard": "standard_review",
    "signed": "commitment_signed",
    "signature_withdrawn": "signature_withdrawn",
    "rejected": "application_rejected",
    "failed": "application_failed",
    "terminated": "application_terminated",
}


def last_reason(obj) -> str:
    """The reason recorded with the object's latest transition (who and why are on StateChange)."""
    from django.contrib.contenttypes.models import ContentType

    from approvals.models import StateChange

    change = (StateChange.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
              .order_by("-pk").first())
    return change.reason if change else ""


def application_context(application) -> dict:
    matters = "、".join(am.matter_version.matter.name
                       for am in application.matters.select_related("matter_version__matter"))
    return {"application_id": application.pk, "subject_name": application.subject.name, "matters": matters,
            "state": application.get_state_display(), "decision_due_on": application.decision_due_on,
            "reason": application.outcome_reason}


def application_link(application) -> str:
    return reverse("application_detail", args=[application.pk])


def on_process_event(event: str, application) -> None:
    """approvals.ports.process_listeners. Packaged applications are told by their organisation's package
    (one letter for all); their licences are announced to each holder (on_package_decided)."""
    ours = PROCESS_EVENTS.get(event)
    if ours is None or application.package_id:
        return
    context = application_context(application)
    key = ""
    if event == "signed":
        letter = getattr(application, "letter", None)
        signature = letter.active_signature() if letter else None
        if signature is None:
            return
        context.update(sha256=signature.text_sha256, signed_at=signature.signed_at)
        key = f"signature:{signature.pk}"  # a new signature after a withdrawal gets its own receipt
    elif event == "signature_withdrawn":
        letter = getattr(application, "letter", None)
        last = letter.signatures.exclude(withdrawn_at=None).order_by("-withdrawn_at").first() if letter else None
        context["reason"] = last.withdrawal_reason if last else ""
        key = f"signature:{last.pk}" if last else ""
    elif event in ("standard_review", "converted_to_standard"):
        # (the new decision date is saved with the transition: in the context already)
        context["reason"] = last_reason(application) if event == "converted_to_standard" else ""
    elif event in ("rejected", "failed", "terminated"):
        context["reason"] = last_reason(application)  # outcome_reason is saved just after the transition
    notify(event=ours, obj=application, recipients=for_subject(application.subject), context=context,
           link=application_link(application), key=key)


def on_supplements_issued(*, application, supplements) -> None:
    """approvals.ports.supplements_issued_handlers: the supplement notice (容缺补正告知)."""
    context = application_context(application)
    context["supplements"] = [{"material": s.material.name, "deadline": s.deadline} for s in supplements]
    notify(event="supplement_notice", obj=application, recipients=for_subject(application.subject),
           context=context, link=application_link(application))


def on_entitlement_changed(*, application, reasons) -> None:
    """approvals.ports.entitlement_changed_handlers: 批中核查 refused the mode (once per check)."""
    check = application.credit_checks.order_by("-checked_at", "-pk").first()
    notify(event="entitlement_changed", obj=application, recipients=for_subject(application.subject),
           context={**application_context(application), "reasons": list(reasons)},
           link=application_link(application), key=f"application:{application.pk}:check:{getattr(check, 'pk', '')}")


def _certificates(licences) -> dict[int, int]:
    from django.contrib.contenttypes.models import ContentType

    from documents.models import Document, DocumentKind

    if not licences:
        return {}
    content_type = ContentType.objects.get_for_model(licences[0])
    return dict(Document.objects.filter(kind=DocumentKind.CERTIFICATE, content_type=content_type,
                                        object_id__in=[lic.pk for lic in licences])
                .values_list("object_id", "pk"))


def _licence_items(licences) -> list[Item]:
    from django.conf import settings

    certificates = _certificates(licences)
    items = []
    for licence in licences:
        application = licence.application_matter.application
        document = certificates.get(licence.pk)
        download = (settings.PUBLIC_BASE_URL.rstrip("/") + reverse("documents:download", args=[document])
                    if document else "")
        context = {"application_id": application.pk, "subject_name": licence.holder.name,
                   "number": licence.number, "matter": licence.matter.name, "valid_from": licence.valid_from,
                   "valid_to": licence.valid_to, "download_url": download}
        items.append(Item(licence, for_subject(licence.holder), context,
                          reverse("licence_detail", args=[licence.number])))
    return items


def on_licence_issued(*, licence, **kwargs) -> None:
    """approvals.ports.licence_issued_handlers: decision and certificate ready (with the download link). A
    package's licences are left to on_package_decided, which tells all holders in one go."""
    from approvals.ports import package_deciding

    package_id = licence.application_matter.application.package_id
    if package_id and package_deciding.get() == package_id:
        return
    notify_many(event="licence_issued", items=_licence_items([licence]))


def on_package_decided(*, package, licences, by=None, final=False, **kwargs) -> None:
    """approvals.ports.package_decided_handlers: each holder of a packaged licence is told, after the commit (a
    package of thousands is not held up by rendering their messages); reminders_run catches up if lost."""
    licences = list(licences)
    after_commit("licences_notify", [licence.pk for licence in licences], rows=len(licences))


def after_commit(task: str, ids: list[int], *, rows: int) -> None:
    """Run the task after the commit. Without a broker (tasks run in-process) a large batch would hold up the
    request that made it: it is left to the scheduler's catch-up (reminders_run) instead."""
    import logging
    from functools import partial

    from celery import current_app
    from django.conf import settings
    from django.db import transaction

    if not ids:
        return
    if current_app.conf.task_always_eager and rows > settings.NOTIFICATIONS_INLINE_LIMIT:
        logging.getLogger(__name__).info("%s rows for %s left to the scheduler's catch-up", rows, task)
        return
    transaction.on_commit(partial(_enqueue, task, ids), robust=True)


def _enqueue(task: str, ids: list[int]) -> None:
    import logging

    from . import tasks

    try:
        getattr(tasks, task).delay(ids)
    except Exception:  # noqa: BLE001  broker down: reminders_run catches up
        logging.getLogger(__name__).warning("broker unavailable: %s for %s rows left to the catch-up", task,
                                            len(ids), exc_info=True)


CHUNK = 500


def licences_notify(*, licence_ids: list[int]) -> int:
    """Tell the holders of these licences (a chunk per transaction; once each by key)."""
    from django.db import transaction

    from approvals.models import Licence

    told = 0
    for start in range(0, len(licence_ids), CHUNK):
        with transaction.atomic():
            licences = list(Licence.objects.filter(pk__in=licence_ids[start:start + CHUNK]).select_related(
                "matter", "holder__legal_representative", "application_matter__application").order_by("pk"))
            told += len(notify_many(event="licence_issued", items=_licence_items(licences)))
    return told


def on_draw_completed(*, draw, **kwargs) -> None:
    """inspections.ports.draw_completed: the run writes its assignments in bulk; each is told to its inspector
    after the commit (a draw of 50,000 checks is not held up), reminders_run catches up if lost."""
    after_commit("draws_notify", [draw.pk], rows=sum(len(inspectors) for _target, inspectors in draw.result or []))


def draw_notify(*, draw_id: int) -> int:
    """Each assignment of the draw tells its inspector; the licensee is told when the verification method is
    announced in advance (NOTIFICATIONS_ANNOUNCED_METHODS). Once each (keys); a chunk per transaction."""
    from django.conf import settings
    from django.db import transaction

    from approvals.models import VerificationMethod
    from inspections.models import Assignment, Draw

    draw = Draw.objects.get(pk=draw_id)
    methods = dict(VerificationMethod.choices)
    ids = list(Assignment.objects.filter(draw=draw).order_by("pk").values_list("pk", flat=True))
    told = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            assignments = list(Assignment.objects.filter(pk__in=ids[start:start + CHUNK]).select_related(
                "inspector__subject", "obligation__licence", "obligation__holder").order_by("pk"))
            inspector_items, holder_items, announced, inspectors = [], [], set(), {}
            for assignment in assignments:
                if assignment.inspector_id not in inspectors:
                    inspectors[assignment.inspector_id] = for_user(assignment.inspector)
                obligation = assignment.obligation
                context = {"licence": obligation.licence.number,
                           "holder": obligation.holder.name if obligation.holder else "", "due_on": obligation.due_on,
                           "method": str(methods.get(obligation.method, obligation.method)), "draw": draw.number}
                inspector_items.append(Item(assignment, [inspectors[assignment.inspector_id]], context,
                                            reverse("inspections:check", args=[obligation.pk])))
                if (obligation.method in settings.NOTIFICATIONS_ANNOUNCED_METHODS and obligation.holder
                        and obligation.pk not in announced):
                    announced.add(obligation.pk)
                    holder_items.append(Item(obligation, for_subject(obligation.holder), context,
                                             reverse("licence_detail", args=[obligation.licence.number]),
                                             key=f"obligation:{obligation.pk}:draw:{draw.pk}"))
            told += len(notify_many(event="inspection_assigned", items=inspector_items))
            if holder_items:
                told += len(notify_many(event="inspection_scheduled", items=holder_items))
    return told


def _case_link() -> str:
    return reverse("sanctions:my_cases")


def on_sanction_act(act: str, obj) -> None:
    """sanctions.ports.act_listeners."""
    if act == "rectification_ordered":
        notify(event="rectification_ordered", obj=obj, recipients=for_subject(obj.subject),
               context={"case": obj.number, "kind": obj.kind.name, "deadline": obj.rectification_deadline},
               link=_case_link())
    elif act == "revoked":
        licences = "、".join(obj.licences.values_list("number", flat=True))
        notify(event="licence_revoked", obj=obj, recipients=for_subject(obj.subject),
               context={"case": obj.number, "licences": licences}, link=_case_link())
    elif act == "restricted":
        notify(event="restriction_imposed", obj=obj, recipients=for_subject(obj.subject),
               context=restriction_context(obj), link=_case_link())
    elif act in ("restriction_lifted", "restriction_withdrawn"):
        restriction_ended(obj)
    elif act == "objection_filed":
        violation = obj.violation
        context = {"case": violation.number, "due_on": obj.due_on, "subject_name": violation.subject.name}
        notify(event="objection_received", obj=obj, recipients=for_subject(violation.subject),
               context={**context, "for_staff": False}, link=_case_link())
        notify(event="objection_received", obj=obj, recipients=for_role(SUPERVISOR),
               context={**context, "for_staff": True}, link=reverse("sanctions:case", args=[violation.pk]))
    elif act == "objection_decided":
        from sanctions.models import ObjectionState

        notify(event="objection_decided", obj=obj, recipients=for_subject(obj.violation.subject),
               context={"case": obj.violation.number, "upheld": obj.state == ObjectionState.UPHELD,
                        "reasons": obj.reasons}, link=_case_link())
    elif act == "repair_decided":
        from sanctions.models import RepairState

        notify(event="repair_decided", obj=obj, recipients=for_subject(obj.violation.subject),
               context={"case": obj.violation.number, "approved": obj.state == RepairState.APPROVED,
                        "reasons": obj.reasons}, link=_case_link())


def restriction_context(restriction) -> dict:
    return {"starts_at": restriction.starts_at, "ends_at": restriction.ends_at,
            "scope": restriction.matter.name if restriction.matter_id else str(restriction.get_scope_display()),
            "legal_act": restriction.legal_act, "reason": restriction.reason}


def restriction_ended(restriction, *, at=None) -> None:
    """Lifted, withdrawn or expired: told once (one key whichever way it ended)."""
    from sanctions.models import RestrictionState

    context = restriction_context(restriction)
    expired = restriction.state in (RestrictionState.ACTIVE, RestrictionState.EXPIRED)
    context.update(ended_at=restriction.ends_at if expired else (restriction.lifted_at or at or timezone.now()),
                   how=str(RestrictionState(RestrictionState.EXPIRED if expired else restriction.state).label),
                   reason="" if expired else restriction.reason)
    if not expired:
        context["reason"] = last_reason(restriction)
    notify(event="restriction_ended", obj=restriction, recipients=for_subject(restriction.subject),
           context=context, link=_case_link())


def register() -> None:
    from approvals import ports as approvals_ports
    from inspections import ports as inspections_ports
    from sanctions import ports as sanctions_ports

    for port, fn in ((approvals_ports.process_listeners, on_process_event),
                     (approvals_ports.supplements_issued_handlers, on_supplements_issued),
                     (approvals_ports.entitlement_changed_handlers, on_entitlement_changed),
                     (approvals_ports.licence_issued_handlers, on_licence_issued),
                     (approvals_ports.package_decided_handlers, on_package_decided),
                     (inspections_ports.draw_completed, on_draw_completed),
                     (sanctions_ports.act_listeners, on_sanction_act)):
        if fn not in port:
            port.append(fn)
