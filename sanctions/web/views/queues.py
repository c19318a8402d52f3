"""What supervisors have to decide: open objections (by due date, overdue first) and submitted repairs."""

from django.shortcuts import render
from django.utils import timezone

from ...models import Objection, ObjectionState, Repair, RepairState
from ..page import level_short
from ._common import supervisor_required


@supervisor_required
def objection_queue(request):
    today = timezone.localdate()
    objections = list(Objection.objects.filter(state=ObjectionState.OPEN)
                      .select_related("violation__subject", "violation__kind", "filed_by").order_by("due_on", "pk"))
    for o in objections:
        o.overdue = o.due_on < today
        o.violation.level_short = level_short(o.violation.level)
    return render(request, "sanctions/objection_queue.html", {"objections": objections, "today": today})


@supervisor_required
def repair_queue(request):
    repairs = list(Repair.objects.filter(state=RepairState.SUBMITTED)
                   .select_related("violation__subject", "violation__kind", "filed_by").order_by("filed_at", "pk"))
    for r in repairs:
        r.violation.level_short = level_short(r.violation.level)
    return render(request, "sanctions/repair_queue.html", {"repairs": repairs})
