"""The supervisor's pages: define, run and verify a 双随机 draw; overdue obligations; recusals."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.masking import mask_number

from ... import selectors, services
from ...models import Draw, DrawMode, ObligationState, Recusal
from .. import forms
from ..page import draw_exclusions, draw_targets, method_label, person_name, public_name
from ._common import call_service, supervisor_required

CONCLUDED = (ObligationState.COMPLIANT, ObligationState.NON_COMPLIANT)


@supervisor_required
def draw_list(request):
    draws = Draw.objects.defer("population", "result", "exclusions").prefetch_related("matters").annotate(
        checks=Count("obligations", filter=Q(obligations__state__in=[
            ObligationState.ASSIGNED, *CONCLUDED])),
        concluded=Count("obligations", filter=Q(obligations__state__in=CONCLUDED)),
    ).order_by("-created_at", "-pk")
    return render(request, "inspections/draw_list.html", {"draws": draws, "section": "draws"})


@supervisor_required
def draw_new(request):
    if request.method == "POST":
        form = forms.DrawForm(request.POST, prefix="draw")
        done, draw, status = call_service(form, lambda data: services.draw_define(
            by=request.user, title=data["title"], matters=list(data["matters"]), issued_from=data["issued_from"],
            issued_to=data["issued_to"], inspectors=list(data["inspectors"]), seed_number=data["seed_number"],
            mode=data["mode"], share_percent=data["share_percent"], count=data["count"],
            department=data["department"], inspectors_per_target=data["inspectors_per_target"],
            recheck_days=data["recheck_days"]))
        if done:
            messages.success(request, _("The draw is defined. Check its inputs, then start it."))
            return redirect("inspections:draw", pk=draw.pk)
    else:
        form, status = forms.DrawForm(prefix="draw"), 200
    return render(request, "inspections/draw_new.html", {"form": form, "section": "draws", "modes": DrawMode},
                  status=status)


def render_draw(request, draw, bound=None, verification=None, status=200):
    bound = bound or {}
    page, targets = draw_targets(draw, public=False, page_number=request.GET.get("page"))
    return render(request, "inspections/draw_detail.html", {
        "draw": draw, "section": "draws", "page": page, "targets": targets, "exclusions": draw_exclusions(draw),
        "pool": [person_name(u) for u in draw.inspectors.order_by("username")],
        "drawn": len(draw.result), "applied_targets": min(draw.applied, len(draw.result)),
        "concluded": draw.obligations.filter(state__in=CONCLUDED).count(),
        "verification": verification, "modes": DrawMode,
        "forms": {"run": bound.get("run") or forms.ActionForm(prefix="run"),
                  "verify": bound.get("verify") or forms.ActionForm(prefix="verify")},
    }, status=status)


@supervisor_required
def draw_detail(request, pk):
    return render_draw(request, get_object_or_404(Draw.objects.defer("population"), pk=pk))


@supervisor_required
@require_POST
def draw_run(request, pk):
    draw = get_object_or_404(Draw, pk=pk)
    form = forms.ActionForm(request.POST, prefix="run")
    done, drawn, status = call_service(form, lambda data: services.draw_run(draw_id=draw.pk, by=request.user))
    if done:
        drawn.refresh_from_db(fields=["applied_at"])  # (in effect at once without workers; with them, shortly)
        message = (_("Draw %(number)s: %(targets)s of %(population)s licences drawn, each with its inspectors.")
                   if drawn.applied_at else
                   _("Draw %(number)s: %(targets)s of %(population)s licences drawn, each with its inspectors; the "
                     "assignments are being written and reach the inspectors in a moment."))
        messages.success(request, message % {"number": drawn.number, "targets": len(drawn.result),
                                             "population": drawn.population_size})
        return redirect("inspections:draw", pk=draw.pk)
    draw.refresh_from_db()
    return render_draw(request, draw, {"run": form}, status=status)


@supervisor_required
@require_POST
def draw_verify(request, pk):
    """Recompute the draw from what it stored and show MATCH or each mismatch (as verify_draw does)."""
    draw = get_object_or_404(Draw, pk=pk)
    form = forms.ActionForm(request.POST, prefix="verify")
    done, problems, status = call_service(form, lambda data: services.draw_verify(draw))
    verification = {"problems": problems} if done else None
    return render_draw(request, draw, {"verify": form}, verification=verification, status=status)


OVERDUE_PER_PAGE = 50


@supervisor_required
def overdue(request):
    """Open obligations past their due date (derived from it when read), the longest overdue first, a page at a
    time (after a bulk load or a backlog they may be hundreds of thousands)."""
    page = Paginator(selectors.overdue_obligations().select_related("draw").prefetch_related("assignments__inspector"),
                     OVERDUE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"obligation": o, "licence": o.licence, "holder": public_name(o.licence.holder),
             "holder_number": mask_number(o.licence.holder.number), "method": method_label(o.method),
             "inspectors": [person_name(a.inspector) for a in o.assignments.all()]}
            for o in page]
    return render(request, "inspections/overdue.html", {"rows": rows, "page": page, "section": "overdue"})


@supervisor_required
def recusals(request):
    status = 200
    if request.method == "POST":
        form = forms.RecusalForm(request.POST, prefix="recusal")
        done, recusal, status = call_service(form, lambda data: services.recusal_declare(
            inspector=data["inspector"], subject=form.subject, reason=data["reason"], by=request.user))
        if done:
            messages.success(request, _("Recusal recorded: %(inspector)s will not be drawn to check %(subject)s.")
                             % {"inspector": person_name(recusal.inspector), "subject": recusal.subject.name})
            return redirect("inspections:recusals")
    else:
        form = forms.RecusalForm(prefix="recusal")
    rows = Recusal.objects.select_related("inspector", "subject", "created_by").order_by("-created_at", "-pk")
    return render(request, "inspections/recusals.html", {"form": form, "rows": rows, "section": "recusals"},
                  status=status)
