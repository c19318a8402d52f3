"""The supervisor's violation cases: the list, opening one by hand, the case page and its actions (each a
POST that calls one service, then redirects back or shows the refusal in place)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import Subject

from ... import services
from ...models import Level, Objection, Repair, Violation, ViolationKind, ViolationState
from .. import forms
from ..page import case_page, level_short
from ._common import call_service, page_params, supervisor_required


@supervisor_required
def case_list(request):
    """Cases by state, level and kind, or found by number or subject; counts per state and level on top."""
    state, level, kind = request.GET.get("state", ""), request.GET.get("level", ""), request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    cases = Violation.objects.select_related("subject", "kind")
    if state in ViolationState.values:
        cases = cases.filter(state=state)
    if level in ("1", "2", "3"):
        cases = cases.filter(level=int(level))
    elif level == "none":
        cases = cases.filter(level__isnull=True)
    if kind:
        cases = cases.filter(kind__code=kind)
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(subject__name__icontains=q)
                             | Q(subject__number__iexact=forms.normalise_number(q)))
    page = Paginator(cases.order_by("-opened_at", "-pk"), 30).get_page(request.GET.get("page"))
    for v in page:
        v.level_short = level_short(v.level)
    by_state = dict(Violation.objects.order_by().values_list("state").annotate(n=Count("pk")))
    by_level = dict(Violation.objects.order_by().values_list("level").annotate(n=Count("pk")))
    return render(request, "sanctions/case_list.html", {
        "page": page, "state": state, "level": level, "kind": kind, "q": q,
        "params": page_params(request, "state", "level", "kind", "q"),
        "state_counts": [(s.value, s.label, by_state.get(s.value, 0)) for s in ViolationState],
        "level_counts": [(str(lv.value), level_short(lv.value), by_level.get(lv.value, 0)) for lv in Level]
        + [("none", _("not graded yet"), by_level.get(None, 0))],
        "kinds": ViolationKind.objects.all(),
        "total": sum(by_state.values()),
    })


@supervisor_required
def case_new(request):
    """Open a case by hand: find the subject by its number, then the kind, findings, evidence, licences."""
    subject, lookup_errors = None, []
    if request.method == "POST":
        number = forms.normalise_number(request.POST.get("subject_number", ""))
        subject = Subject.objects.filter(number=number).first() if number else None
        form = forms.CaseOpenForm(request.POST, subject=subject)
        done, violation, status = call_service(form, lambda data: services.violation_open_manual(
            subject=form.subject, kind=data["kind"].code, findings=data["findings"], evidence=data["evidence"],
            application=form.chosen_application(), licences=form.chosen_licences(), by=request.user))
        if done:
            messages.success(request, _("Case %(number)s opened. Grade it next.") % {"number": violation.number})
            return redirect("sanctions:case", violation.pk)
    else:
        number = forms.normalise_number(request.GET.get("subject_number", ""))
        status = 200
        subject = Subject.objects.filter(number=number).first() if number else None
        form = forms.CaseOpenForm(initial={"subject_number": number}, subject=subject)
        if number and subject is None:
            lookup_errors = [_("No subject with this number is registered.")]
    return render(request, "sanctions/case_new.html", {"form": form, "subject": subject,
                                                       "lookup_errors": lookup_errors}, status=status)


def _case(pk) -> Violation:
    return get_object_or_404(Violation.objects.select_related("subject", "kind", "application", "opened_by"), pk=pk)


@supervisor_required
def case_detail(request, pk):
    violation = _case(pk)
    return render(request, "sanctions/case_detail.html", case_page(request, violation))


def _act(request, pk, *, key: str, form, call, success, nest: int | None = None):
    violation = _case(pk)
    done, result, status = call_service(form, call)
    if done:
        messages.success(request, success(result) if callable(success) else success)
        return redirect(reverse("sanctions:case", args=[pk]) + f"#{key}")
    bound = {key: {nest: form}} if nest is not None else {key: form}
    return render(request, "sanctions/case_detail.html", case_page(request, _case(violation.pk), bound),
                  status=status)


@supervisor_required
@require_POST
def case_grade(request, pk):
    form = forms.GradeForm(request.POST, prefix="grade")
    return _act(request, pk, key="grade", form=form,
                call=lambda d: services.violation_grade(violation_id=pk, by=request.user, level=d["level"],
                                                        reason=d["reason"]),
                success=lambda v: _("Graded %(level)s.") % {"level": level_short(v.level)})


@supervisor_required
@require_POST
def case_escalate(request, pk):
    form = forms.EscalateForm(request.POST, prefix="escalate")
    return _act(request, pk, key="escalate", form=form,
                call=lambda d: services.violation_escalate(violation_id=pk, by=request.user, level=d["level"],
                                                           reason=d["reason"]),
                success=lambda v: _("Escalated to %(level)s. Take the act of that level next.")
                % {"level": level_short(v.level)})


@supervisor_required
@require_POST
def case_order_rectification(request, pk):
    form = forms.RectificationForm(request.POST, prefix="order")
    return _act(request, pk, key="order", form=form,
                call=lambda d: services.violation_order_rectification(
                    violation_id=pk, by=request.user, deadline=d["deadline"], reason=d["reason"]),
                success=lambda v: _("Rectification ordered by %(date)s; the order is issued to the subject.")
                % {"date": v.rectification_deadline.isoformat()})


@supervisor_required
@require_POST
def case_rectified(request, pk):
    form = forms.ReportForm(request.POST, prefix="rectified")
    return _act(request, pk, key="rectified", form=form,
                call=lambda d: services.violation_record_rectified(violation_id=pk, by=request.user,
                                                                   report=d["report"]),
                success=_("Recorded as rectified; the case is closed and the record kept."))


@supervisor_required
@require_POST
def case_not_rectified(request, pk):
    form = forms.ReasonForm(request.POST, prefix="not_rectified")
    return _act(request, pk, key="not_rectified", form=form,
                call=lambda d: services.violation_record_not_rectified(violation_id=pk, by=request.user,
                                                                       reason=d["reason"]),
                success=_("Recorded as not rectified: the case is now level 2. Revoke the licensing decision next."))


@supervisor_required
@require_POST
def case_revoke(request, pk):
    form = forms.RevokeForm(request.POST, prefix="revoke")
    return _act(request, pk, key="revoke", form=form,
                call=lambda d: services.violation_revoke(violation_id=pk, by=request.user, reason=d["reason"]),
                success=lambda v: _("The licensing decision is revoked and the case closed%(restricted)s.")
                % {"restricted": _("; the subject is on the restriction list") if v.restrictions.exists() else ""})


@supervisor_required
@require_POST
def objection_decide(request, pk, objection_id):
    objection = get_object_or_404(Objection, pk=objection_id, violation_id=pk)
    form = forms.DecisionForm(request.POST, prefix="objection", choices=forms.OBJECTION_CHOICES)
    return _act(request, pk, key="objection", form=form,
                call=lambda d: services.objection_decide(objection_id=objection.pk, by=request.user,
                                                         upheld=d["decision"] == "upheld", reasons=d["reasons"]),
                success=lambda o: _("Objection upheld: the case, its restriction and its publication are withdrawn.")
                if o.state == "upheld" else _("Objection rejected: the finding stands and publication resumes."))


@supervisor_required
@require_POST
def repair_decide(request, pk, repair_id):
    repair = get_object_or_404(Repair, pk=repair_id, violation_id=pk)
    form = forms.DecisionForm(request.POST, prefix=f"repair{repair.pk}", choices=forms.REPAIR_CHOICES)
    return _act(request, pk, key="repair", nest=repair.pk, form=form,
                call=lambda d: services.repair_decide(repair_id=repair.pk, by=request.user,
                                                      approved=d["decision"] == "approved", reasons=d["reasons"]),
                success=lambda r: _("Credit repair approved: the restriction is lifted and publication ends.")
                if r.state == "approved" else _("Credit repair rejected; the reasons are recorded."))
