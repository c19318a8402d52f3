"""What the sanctions pages show, read from the models: which actions a state offers, the case's timeline,
its documents. No rule is decided here; the services still refuse what they must."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import ApplicationState, LicenceState, StateChange
from approvals.services import CalendarNotCovered, add_working_days

from ..models import (
    Level, Objection, ObjectionState, Repair, RepairState, Restriction, RestrictionState, Violation, ViolationState,
)
from ..ports import documents_for
from . import forms

LEVEL_SHORT = {1: gettext_lazy("level 1"), 2: gettext_lazy("level 2"), 3: gettext_lazy("level 3")}

V = ViolationState


def level_short(level) -> str:
    return str(LEVEL_SHORT.get(level, "—"))


def revoke_label(level) -> str:
    if level == Level.RESTRICT:
        return _("Revoke the licensing decision and put the subject on the restriction list")
    return _("Revoke the licensing decision")


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or "—"


# each kind of row in the case's timeline: its state names and what to call it
_TIMELINE = [
    (Violation, ViolationState, None),
    (Objection, ObjectionState, gettext_lazy("objection")),
    (Repair, RepairState, gettext_lazy("credit repair")),
    (Restriction, RestrictionState, gettext_lazy("restriction")),
]


def timeline(objects: list) -> list[dict]:
    """The state changes of the case and of its objection, repairs and restrictions, oldest first."""
    rows = []
    for model, states, name in _TIMELINE:
        ids = [o.pk for o in objects if isinstance(o, model)]
        if not ids:
            continue
        changes = StateChange.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                             object_id__in=ids).select_related("by")
        for c in changes:
            prefix = f"{name}：" if name else ""
            rows.append({"at": c.at, "pk": c.pk, "source": prefix + _label(states, c.source) if c.source else "—",
                         "target": prefix + _label(states, c.target), "by": c.by, "reason": c.reason})
    rows.sort(key=lambda r: (r["at"], r["pk"]))
    return rows


def default_deadline():
    try:
        return add_working_days(timezone.localdate(), settings.SANCTIONS_RECTIFICATION_DAYS)
    except CalendarNotCovered:
        return None


def restriction_status(restriction: Restriction, now=None) -> dict:
    """The state as the credit check sees it: an active restriction past its end is already over."""
    now = now or timezone.now()
    ended = restriction.state == RestrictionState.ACTIVE and restriction.ends_at <= now
    state = RestrictionState.EXPIRED if ended else RestrictionState(restriction.state)
    in_force = state == RestrictionState.ACTIVE and restriction.starts_at <= now
    days_left = None
    if state == RestrictionState.ACTIVE:
        days_left = max(0, (timezone.localdate(restriction.ends_at) - timezone.localdate(now)).days)
    return {"value": state.value, "label": state.label, "in_force": in_force, "days_left": days_left,
            "pending": state == RestrictionState.ACTIVE and restriction.starts_at > now}


def case_page(request, violation: Violation, bound: dict | None = None) -> dict:
    """The template context of the supervisor's case page; `bound` holds the forms of a refused action."""
    bound = bound or {}
    state = violation.state
    level = violation.level or 0
    objection = violation.objections.first()
    repairs = list(violation.repairs.select_related("filed_by", "decided_by"))
    restrictions = list(violation.restrictions.all())
    now = timezone.now()
    for r in restrictions:
        r.status = restriction_status(r, now)
    open_repairs = [r for r in repairs if r.state == RepairState.SUBMITTED]
    licences = list(violation.licences.select_related("matter"))
    can = {
        "grade": state == V.OPENED,
        "escalate": state in (V.GRADED, V.RECTIFICATION_ORDERED, V.NOT_RECTIFIED) and level < Level.RESTRICT,
        "order": state == V.GRADED and level == Level.RECTIFY,
        "rectified": state == V.RECTIFICATION_ORDERED,
        "not_rectified": state == V.RECTIFICATION_ORDERED,
        "revoke": state in (V.GRADED, V.NOT_RECTIFIED) and level >= Level.REVOKE,
        "objection": objection is not None and objection.state == ObjectionState.OPEN,
    }
    deadline = default_deadline()
    repair_forms = bound.get("repair", {})
    repair_rows = [{"repair": r, "form": repair_forms.get(r.pk) or forms.DecisionForm(
        prefix=f"repair{r.pk}", choices=forms.REPAIR_CHOICES)} for r in repairs]
    application = violation.application
    return {
        "violation": violation,
        "subject": violation.subject,
        "level_short": level_short(violation.level),
        "kind_level": violation.kind.level,
        "licences": licences,
        "revoked_licence_state": LicenceState.REVOKED,
        "application": application,
        "application_running": application is not None and application.state not in (
            ApplicationState.DECIDED, ApplicationState.REJECTED, ApplicationState.FAILED, ApplicationState.TERMINATED),
        "objection": objection,
        "objection_overdue": can["objection"] and objection.due_on < timezone.localdate(),
        "repairs": repair_rows,
        "open_repairs": open_repairs,
        "restrictions": restrictions,
        "timeline": timeline([violation, *([objection] if objection else []), *repairs, *restrictions]),
        "documents": documents_for([violation, *restrictions]),
        "can": can,
        "any_action": any(can.values()) or bool(open_repairs),
        "default_deadline": deadline,
        "settings_days": settings.SANCTIONS_RECTIFICATION_DAYS,
        "revoke_label": revoke_label(level),
        "levels": Level,
        "forms": {
            "grade": bound.get("grade") or forms.GradeForm(prefix="grade", initial={"level": violation.kind.level}),
            "escalate": bound.get("escalate") or forms.EscalateForm(
                prefix="escalate", initial={"level": min(level + 1, Level.RESTRICT)}),
            "order": bound.get("order") or forms.RectificationForm(prefix="order", initial={"deadline": deadline}),
            "rectified": bound.get("rectified") or forms.ReportForm(prefix="rectified"),
            "not_rectified": bound.get("not_rectified") or forms.ReasonForm(prefix="not_rectified"),
            "revoke": bound.get("revoke") or forms.RevokeForm(prefix="revoke"),
            "objection": bound.get("objection") or forms.DecisionForm(prefix="objection",
                                                                      choices=forms.OBJECTION_CHOICES),
        },
    }
