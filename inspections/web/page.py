"""What the inspection pages show, read from the models: no rule is decided here, only looked up."""

from django.core.paginator import Paginator
from django.utils import timezone

from approvals.masking import mask_name, mask_number
from approvals.models import SubjectKind, VerificationMethod
from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role

from ..models import (
    Assignment, Conclusion, Draw, InspectionRecord, ItemResult, Obligation, ObligationState, RecordState,
)
from . import forms

OPEN = (ObligationState.DUE, ObligationState.ASSIGNED)


def public_name(subject) -> str:
    """A person's name masked (张*明); an organisation's name is public (it is on its licence)."""
    return mask_name(subject.name) if subject.kind == SubjectKind.PERSON else subject.name


def person_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def method_label(value: str) -> str:
    try:
        return VerificationMethod(value).label
    except ValueError:
        return value


def is_supervisor(user) -> bool:
    return has_role(user, SUPERVISOR, ADMINISTRATOR)


def is_overdue(obligation: Obligation, today=None) -> bool:
    today = today or timezone.localdate()
    return obligation.state in OPEN and obligation.due_on < today  # overdue from the day after (derived, not stored)


def current_record(obligation: Obligation) -> InspectionRecord | None:
    """The draft being recorded, else the latest signed-off record."""
    records = sorted(obligation.records.all(), key=lambda r: r.pk)  # uses a prefetch when there is one
    drafts = [r for r in records if r.state == RecordState.DRAFT]
    return drafts[0] if drafts else (records[-1] if records else None)


def progress(obligation: Obligation, user) -> dict:
    """For the list: how far the check is (not started, n of m recorded, waiting for a signature)."""
    record = current_record(obligation)
    if record is None:
        return {"stage": "new"}
    items = list(record.items.all())
    done = sum(1 for item in items if item.result)
    signed = {s.inspector_id for s in record.signoffs.all()}
    if record.frozen_at:
        return {"stage": "waiting" if user.pk in signed else "to_sign"}
    return {"stage": "recording", "done": done, "total": len(items)}


def preview_conclusion(items) -> tuple[str, int]:
    """(conclusion the sign-off would give, items still without a result) — the service decides at signing."""
    missing = sum(1 for item in items if not item.result)
    failed = any(item.result == ItemResult.NOT_MET for item in items)
    return (Conclusion.NON_COMPLIANT if failed else Conclusion.COMPLIANT), missing


def check_page(request, obligation: Obligation, bound: dict | None = None) -> dict:
    """The template context of the check page; `bound` holds the forms of a refused action."""
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    assignments = list(obligation.assignments.select_related("inspector").order_by("inspector__username"))
    assigned = any(a.inspector_id == user.pk for a in assignments)
    records = list(obligation.records.order_by("pk").prefetch_related("signoffs__inspector"))
    record = current_record(obligation)
    history = [r for r in records if record is None or r.pk != record.pk]

    items, signoffs, my_signed = [], [], False
    conclusion, missing = "", 0
    if record is not None:
        photos: dict = {}
        loose = []
        for photo in record.photos.select_related("uploaded_by").order_by("uploaded_at", "pk"):
            (photos.setdefault(photo.item_id, []) if photo.item_id else loose).append(photo)
        item_forms, photo_forms = bound.get("item", {}), bound.get("photo", {})
        for item in record.items.all():
            items.append({
                "item": item,
                "form": item_forms.get(item.pk) or forms.ItemForm(
                    prefix=f"item{item.pk}", initial={"result": item.result, "note": item.note}),
                "photo_form": photo_forms.get(item.pk) or forms.PhotoForm(prefix=f"photo{item.pk}"),
                "photos": photos.get(item.pk, []),
                "refused": item.pk in item_forms,
            })
        signoffs = list(record.signoffs.all().order_by("signed_at", "pk"))
        my_signed = any(s.inspector_id == user.pk for s in signoffs)
        value, missing = preview_conclusion([row["item"] for row in items])
        conclusion = Conclusion(record.conclusion or value)

    draft = record is not None and record.state == RecordState.DRAFT
    can = {  # which forms to offer; the services still decide
        "start": assigned and record is None and obligation.state == ObligationState.ASSIGNED,
        "edit": assigned and draft and not record.frozen_at,
        "sign": assigned and draft and not my_signed,
        "correct": assigned and record is not None and record.state == RecordState.SIGNED
        and not hasattr(record, "correction"),
    }
    waiting_for = [person_name(a.inspector) for a in assignments if a.inspector_id not in {s.inspector_id for s in signoffs}]
    return {
        "obligation": obligation,
        "licence": obligation.licence,
        "holder": obligation.licence.holder,
        "method": method_label(obligation.method),
        "overdue": is_overdue(obligation, today),
        "assignments": assignments,
        "assigned": assigned,
        "supervisor": is_supervisor(user),
        "record": record,
        "history": history,
        "items": items,
        "signoffs": signoffs,
        "my_signed": my_signed,
        "waiting_for": waiting_for,
        "conclusion": conclusion,
        "missing": missing,
        "can": can,
        "results": ItemResult,
        "forms": {
            "start": bound.get("start") or forms.ActionForm(prefix="start"),
            "sign": bound.get("sign") or forms.SignForm(prefix="sign"),
            "correct": bound.get("correct") or forms.CorrectForm(prefix="correct"),
        },
    }


TARGETS_PER_PAGE = 100


def draw_targets(draw: Draw, *, public: bool, page_number=None):
    """-> (page, rows): one page of the drawn licences in draw order, with their inspectors and, once concluded,
    the result (a draw over a million licences draws tens of thousands)."""
    page = Paginator(draw.result, TARGETS_PER_PAGE).get_page(page_number)
    targets = list(page.object_list)
    ids = [t for t, _i in targets]
    obligations = {o.pk: o for o in Obligation.objects.filter(pk__in=ids).select_related(
        "licence__holder", "licence__matter")}
    users = {a.inspector_id: a.inspector for a in Assignment.objects.filter(
        draw=draw, obligation_id__in=ids).select_related("inspector")}
    rows = []
    for target, inspector_ids in targets:
        obligation = obligations.get(target)
        if obligation is None:
            continue
        holder = obligation.licence.holder
        rows.append({
            "obligation": obligation,
            "licence": obligation.licence,
            "holder": public_name(holder),
            "holder_number": "" if public else mask_number(holder.number),
            "inspectors": [person_name(users.get(pk)) for pk in inspector_ids if users.get(pk)],
            "state": obligation.state,
            "state_label": obligation.get_state_display(),
            "concluded": obligation.state in (ObligationState.COMPLIANT, ObligationState.NON_COMPLIANT),
        })
    return page, rows


def draw_exclusions(draw: Draw) -> list[dict]:
    """Who was excluded from which target and why (recusals, recent checks of the same subject)."""
    if not draw.exclusions:
        return []
    from django.contrib.auth import get_user_model

    numbers = dict(Obligation.objects.filter(pk__in=[int(k) for k in draw.exclusions]).values_list(
        "pk", "licence__number"))
    users = {u.pk: u for u in get_user_model().objects.filter(
        pk__in={int(i) for reasons in draw.exclusions.values() for i in reasons})}
    rows = []
    for obligation, reasons in sorted(draw.exclusions.items(), key=lambda kv: int(kv[0])):
        for inspector, reason in sorted(reasons.items(), key=lambda kv: int(kv[0])):
            rows.append({"licence": numbers.get(int(obligation), obligation),
                         "inspector": person_name(users.get(int(inspector))) or inspector, "reason": reason})
    return rows
