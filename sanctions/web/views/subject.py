"""The subject's own cases (我的违诺案件): what was found, the documents, and the two things it may do —
object to the finding (异议) and apply for credit repair (信用修复)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import services
from ...models import RepairState, ViolationState
from ...ports import documents_for
from ...selectors import violations_of_user
from .. import forms
from ..page import level_short
from ._common import call_service


def _rows(user, bound: dict | None = None) -> list[dict]:
    bound = bound or {}
    rows = []
    cases = violations_of_user(user).prefetch_related("objections", "repairs", "restrictions", "licences")
    for v in cases.order_by("-opened_at", "-pk"):
        objection = v.objections.all()[0] if v.objections.all() else None
        repairs = list(v.repairs.all())
        restrictions = list(v.restrictions.all())
        pending_repair = any(r.state == RepairState.SUBMITTED for r in repairs)
        rows.append({
            "violation": v, "level_short": level_short(v.level), "objection": objection, "repairs": repairs,
            "restrictions": restrictions, "documents": documents_for([v, *restrictions]),
            # offered when it may apply; the service still refuses with its reason
            "can_object": objection is None and v.state != ViolationState.WITHDRAWN,
            "can_repair": v.state == ViolationState.CLOSED and not pending_repair,
            "objection_form": bound.get(("objection", v.pk)) or forms.ObjectionForm(prefix=f"objection{v.pk}"),
            "repair_form": bound.get(("repair", v.pk)) or forms.RepairForm(prefix=f"repair{v.pk}"),
        })
    return rows


@login_required
def my_cases(request):
    return render(request, "sanctions/my/cases.html", {"rows": _rows(request.user)})


def _file(request, pk, *, key: str, form, call, success):
    violation = get_object_or_404(violations_of_user(request.user), pk=pk)
    done, _result, status = call_service(form, call)
    if done:
        messages.success(request, success)
        return redirect(reverse("sanctions:my_cases") + f"#case-{violation.pk}")
    return render(request, "sanctions/my/cases.html", {"rows": _rows(request.user, {(key, violation.pk): form})},
                  status=status)


@login_required
@require_POST
def my_objection(request, pk):
    form = forms.ObjectionForm(request.POST, prefix=f"objection{pk}")
    return _file(request, pk, key="objection", form=form,
                 call=lambda d: services.objection_file(violation_id=pk, by=request.user, grounds=d["grounds"]),
                 success=_("Your objection is filed. The finding is not published while it is reviewed."))


@login_required
@require_POST
def my_repair(request, pk):
    form = forms.RepairForm(request.POST, prefix=f"repair{pk}")
    return _file(request, pk, key="repair", form=form,
                 call=lambda d: services.repair_file(violation_id=pk, by=request.user, evidence=d["evidence"]),
                 success=_("Your credit repair application is filed; a supervisor will decide it."))
